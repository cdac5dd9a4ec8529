"""Terraform configurations, parsed by python-hcl2 (the `dynatrace` extra):
findings at the attribute's line, values evaluated as Terraform would without
state."""

from __future__ import annotations

import json
import os

import pytest

from conftest import FIXTURES, REPO
from ldkit.dynatrace.config.payload import load_integration
from ldkit.dynatrace.config.run import check_config, read_config

pytest.importorskip("hcl2", reason="python-hcl2 (the dynatrace extra) is not installed")

from ldkit.dynatrace.config import terraform  # noqa: E402

TF = FIXTURES / "dynatrace-config" / "terraform"
INTEGRATION = REPO / "integrations" / "dynatrace"

EXPECTED = [
    ("good.tf", []),
    ("syntax-error.tf", [("LD700", 3, 11)]),
    ("variable-payload.tf", [("LD708", 10, 3)]),
    ("heredoc.tf", [("LD720", 10, 3), ("LD721", 10, 3)]),
    ("file-payload.tf", [("LD600", 10, 3), ("LD602", 10, 3), ("LD720", 10, 3), ("LD721", 10, 3)]),
    ("classic-notification.tf", [("LD731", 2, 3)]),
    ("literal-url.tf", [("LD731", 1, 1), ("LD733", 4, 3), ("LD740", 5, 3)]),
    (
        "provider-example.tf",
        [
            ("LD602", 10, 3),
            ("LD711", 6, 3),
            ("LD720", 10, 3),
            ("LD721", 10, 3),
            ("LD730", 7, 3),
            ("LD731", 9, 3),
            ("LD732", 8, 3),
            ("LD740", 18, 7),
            ("LD740", 25, 5),
        ],
    ),
]


@pytest.fixture(scope="module")
def integration():
    return load_integration(INTEGRATION)


@pytest.mark.parametrize(("name", "expected"), EXPECTED, ids=[n for n, _ in EXPECTED])
def test_terraform_configuration_draws_exactly_these_findings(name, expected, integration):
    results = check_config(read_config(str(TF / name)), integration)
    assert sorted((f.rule, f.line, f.column) for r in results for f in r.findings) == sorted(
        expected
    )


def test_the_provider_example_names_terraform_spellings():
    [hook] = read_config(str(TF / "provider-example.tf")).webhooks
    assert hook.label == "dynatrace_webhook_notification.example"
    assert hook.accept_any_certificate.key == "insecure"
    assert hook.accept_any_certificate.value is True
    assert hook.alerting_profile.reference == "dynatrace_alerting.Default.id"
    assert [h.name.value for h in hook.headers] == ["http-header-name-01", "http-header-name-02"]
    assert hook.headers[1].secret_value.where.pointer == (
        "dynatrace_webhook_notification.example.headers.header[1].secret_value"
    )


def test_the_trigger_url_wired_from_the_trigger_resource_is_a_reference():
    [hook] = read_config(str(TF / "good.tf")).webhooks
    url = hook.effective_url()
    assert url.key == "secret_url"
    assert url.reference == "launchdarkly_flag_trigger.checkout_kill_switch.trigger_url"


def test_jsonencode_sorts_keys_and_escapes_like_terraform():
    [hook] = read_config(str(TF / "good.tf")).webhooks
    assert hook.payload.value == '{"title":"{ProblemTitle}","url":"{ProblemURL}"}'
    assert terraform.jsonencode({"url": "a<b>&c", "title": "t\u2028"}) == (
        '{"title":"t\\u2028","url":"a\\u003cb\\u003e\\u0026c"}'
    )


def test_a_trimmed_heredoc_keeps_its_final_newline_and_loses_the_indent():
    [hook] = read_config(str(TF / "heredoc.tf")).webhooks
    assert hook.payload.value == '{"name":"{ProblemTitle}","url":"{ProblemURL}"}\n'


def test_file_reads_the_payload_next_to_the_module():
    [hook] = read_config(str(TF / "file-payload.tf")).webhooks
    assert hook.payload.value == (TF / "payload.json").read_text(encoding="utf-8")


def test_quoted_strings_unescape_and_template_escapes_become_literal(tmp_path):
    config = tmp_path / "escapes.tf"
    config.write_text(
        'resource "dynatrace_webhook_notification" "x" {\n'
        '  payload = "{\\"title\\":\\"{ProblemTitle}\\",\\"cost\\":\\"$${price}\\"}"\n'
        '  name    = "a ${var.b}"\n'
        "}\n",
        encoding="utf-8",
    )
    [hook] = read_config(str(config)).webhooks
    assert hook.payload.value == '{"title":"{ProblemTitle}","cost":"${price}"}'
    assert hook.name.reference == '"a ${var.b}"'


def test_a_wrong_type_is_reported_at_the_attribute(tmp_path):
    config = tmp_path / "types.tf"
    config.write_text(
        'resource "dynatrace_webhook_notification" "x" {\n  insecure = "yes"\n}\n',
        encoding="utf-8",
    )
    [result] = check_config(read_config(str(config)), None)
    [wrong] = [f for f in result.findings if f.rule == "LD702"]
    assert (wrong.line, wrong.column, wrong.message) == (2, 3, "insecure must be a boolean")


def test_a_secret_from_a_variable_not_declared_sensitive_is_a_plain_secret(integration):
    module = TF / "module"
    results = check_config(read_config(str(module / "notification.tf")), integration)
    [secret] = [f for r in results for f in r.findings]
    assert (secret.rule, secret.line, secret.column) == ("LD740", 6, 3)
    assert secret.message == (
        "secret_url comes from var.launchdarkly_trigger_url, which is not declared sensitive: "
        "Terraform prints its value in plans and logs; add sensitive = true to variable "
        '"launchdarkly_trigger_url"'
    )  # var.webhook_token is declared sensitive in variables.tf: no finding


def test_a_file_without_webhook_resources_has_nothing_to_check(integration):
    results = check_config(read_config(str(TF / "module" / "variables.tf")), integration)
    assert [r.findings for r in results] == [[]]


@pytest.mark.skipif(os.name != "posix", reason="needs symbolic links")
@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_file_never_reads_outside_the_module_folder(tmp_path, how):
    secret = tmp_path / "secret.json"
    secret.write_text('{"title": "a secret from outside the module"}', encoding="utf-8")
    module = tmp_path / "module"
    module.mkdir()
    argument = {
        "dotdot": '"${path.module}/../secret.json"',
        "absolute": json.dumps(str(secret)),
        "symlink": '"${path.module}/payload.json"',
    }[how]
    if how == "symlink":
        (module / "payload.json").symlink_to(secret)
    config = module / "main.tf"
    config.write_text(
        f'resource "dynatrace_webhook_notification" "x" {{\n  payload = file({argument})\n}}\n',
        encoding="utf-8",
    )
    [hook] = read_config(str(config)).webhooks
    assert "secret" not in str(hook.payload.value)
