"""Monaco projects: config.yaml read with PyYAML's marks, the JSON template
read as Settings JSON; value parameters are what is committed."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from ldkit.dynatrace.config.run import check_config, read_config

pytest.importorskip("yaml", reason="PyYAML (the dynatrace extra) is not installed")

MONACO = FIXTURES / "dynatrace-config" / "monaco"


def test_a_project_with_environment_parameters_is_clean():
    config = read_config(str(MONACO / "good" / "config.yaml"))
    [hook] = config.webhooks
    assert hook.label == "config checkout-kill-switch"
    assert hook.path == str(MONACO / "good" / "notification.json")
    assert hook.effective_url().reference == "{{ .triggerUrl }}"
    assert [r.findings for r in check_config(config, None)] == [[]]


def test_a_literal_value_parameter_is_a_plain_secret_positioned_in_config_yaml():
    config_path = MONACO / "value-parameter" / "config.yaml"
    results = check_config(read_config(str(config_path)), None)
    [secret] = [f for r in results for f in r.findings]
    assert (secret.path, secret.rule, secret.line, secret.column) == (
        str(config_path),
        "LD740",
        12,
        21,
    )
    assert "use a parameter of type environment" in secret.message


def test_a_missing_template_is_a_finding_at_config_template():
    config_path = MONACO / "missing-template" / "config.yaml"
    [result] = check_config(read_config(str(config_path)), None)
    [missing] = result.findings
    assert (missing.rule, missing.line, missing.column) == ("LD701", 9, 17)
    assert missing.message.startswith(
        "config checkout-kill-switch: cannot read its template missing.json"
    )


def test_findings_in_the_template_are_reported_against_the_template(tmp_path):
    (tmp_path / "config.yaml").write_text(
        (MONACO / "good" / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    template = (MONACO / "good" / "notification.json").read_text(encoding="utf-8")
    (tmp_path / "notification.json").write_text(
        template.replace('"acceptAnyCertificate": false', '"acceptAnyCertificate": true'),
        encoding="utf-8",
    )
    results = check_config(read_config(str(tmp_path / "config.yaml")), None)
    assert [(r.path, [(f.rule, f.line) for f in r.findings]) for r in results] == [
        (str(tmp_path / "config.yaml"), []),
        (str(tmp_path / "notification.json"), [("LD730", 9)]),
    ]


def test_yaml_that_does_not_parse_is_a_positioned_finding(tmp_path):
    broken = tmp_path / "config.yaml"
    broken.write_text("configs:\n  - id: [unclosed\n", encoding="utf-8")
    [result] = check_config(read_config(str(broken)), None)
    [error] = result.findings
    assert error.rule == "LD700" and error.message.startswith("not valid YAML")


def test_the_config_name_is_the_name_parameter_and_is_checked_where_it_is_written(tmp_path):
    long_name = "LaunchDarkly " + "x" * 100
    config = (MONACO / "good" / "config.yaml").read_text(encoding="utf-8")
    (tmp_path / "config.yaml").write_text(
        config.replace('"LaunchDarkly: new-checkout-flow off"', f'"{long_name}"'), encoding="utf-8"
    )
    (tmp_path / "notification.json").write_text(
        (MONACO / "good" / "notification.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    results = check_config(read_config(str(tmp_path / "config.yaml")), None)
    [length] = [f for r in results for f in r.findings]
    assert (length.path, length.rule, length.line, length.column) == (
        str(tmp_path / "config.yaml"),
        "LD703",
        8,
        13,
    )
    assert length.message == "displayName is 113 characters long; Dynatrace allows 1 to 100"
