"""`ldkit replay`, the case format, `ldkit validate` on cases, and the sample rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from ldkit.integration import case_paths
from ldkit.replay.cases import CaseError, load_case

DYNATRACE = REPO / "integrations" / "dynatrace"
CONTRADICT = FIXTURES / "trigger" / "samples-contradict"


@pytest.fixture
def integration(tmp_path: Path) -> Path:
    """A scratch copy of the Dynatrace integration, replays included."""
    target = tmp_path / "integrations" / "dynatrace"
    shutil.copytree(DYNATRACE, target)
    return target


def write_case(folder: Path, name: str, case: dict) -> Path:
    path = folder / "replays" / f"{name}.case.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(case, indent=2) + "\n")
    return path


# --- the shipped cases ------------------------------------------------------------


def test_shipped_dynatrace_cases_all_pass(run):
    result = run("replay", DYNATRACE)
    assert result.exit_code == 0, result.stdout
    count = len(list((DYNATRACE / "replays").glob("*.case.json")))
    assert result.stdout.splitlines()[-1] == f"{count} replay cases: {count} passed, 0 failed"


def test_shipped_cases_cover_the_documented_outcomes():
    outcomes = {}
    for case in (load_case(path, DYNATRACE) for path in case_paths(DYNATRACE)):
        outcomes[case.name] = json.loads(case.expected_path.read_text())["outcome"]
    assert outcomes["test-notification"] == "test-event"
    assert outcomes["test-notification-2018"] == "test-event"
    assert outcomes["problem-opened"] == "applied"
    assert outcomes["problem-resolved"] == "no-change"
    assert outcomes["flag-already-on"] == "no-change"
    assert outcomes["javascript-url"] == "applied"


def test_expected_file_is_exactly_what_trigger_prints_for_the_same_call(run, tmp_path):
    case = load_case(DYNATRACE / "replays" / "problem-opened.case.json")
    body = tmp_path / "body.json"
    body.write_bytes(case.request_bytes())
    result = run(
        "trigger",
        DYNATRACE,
        "--body",
        body,
        "--timestamp",
        case.timestamp,
        "--flag",
        case.trigger.flag,
        "--environment",
        case.trigger.environment,
    )
    assert result.stdout == case.expected_path.read_text(encoding="utf-8")


def test_default_runs_every_integration_under_the_current_folder(run, integration, monkeypatch):
    monkeypatch.chdir(integration.parent.parent)
    result = run("replay")
    assert result.exit_code == 0
    assert "passed, 0 failed" in result.stdout


def _integrations_without_replays(root: Path, keys: list[str]) -> None:
    for key in keys:
        folder = root / "integrations" / key
        folder.mkdir(parents=True)
        shutil.copy(DYNATRACE / "manifest.json", folder / "manifest.json")


def test_no_cases_in_a_few_integrations_names_each_folder(run, tmp_path, monkeypatch):
    _integrations_without_replays(tmp_path, ["alpha", "beta"])
    monkeypatch.chdir(tmp_path)
    result = run("replay")
    assert result.exit_code == 0
    assert result.stdout == (
        "no replay cases found (looked in replays/ of: integrations/alpha, integrations/beta)\n"
    )


def test_no_cases_in_a_fork_sized_tree_is_one_short_line(run, tmp_path, monkeypatch):
    """A fork of LaunchDarkly's repository has about 130 integrations and no
    replays/: the line counts them instead of naming every one."""
    keys = [f"partner-{n:03d}" for n in range(130)]
    _integrations_without_replays(tmp_path, keys)
    monkeypatch.chdir(tmp_path)
    result = run("replay")
    assert result.exit_code == 0
    assert result.stdout == (
        "no replay cases found (looked in replays/ of: 130 integration folders,"
        " integrations/partner-000 to integrations/partner-129)\n"
    )


def test_without_integrations_folder_is_a_usage_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("replay")
    assert result.exit_code == 2
    assert "no ./integrations folder here" in result.stderr


def test_missing_integration_folder_is_a_usage_error(run, tmp_path):
    result = run("replay", tmp_path / "nope")
    assert result.exit_code == 2


# --- diff and update ----------------------------------------------------------------


def test_a_changed_expected_file_prints_a_unified_diff_and_exits_1(run, integration):
    expected = integration / "replays" / "problem-opened.expected.json"
    expected.write_text(expected.read_text().replace('"outcome": "applied"', '"outcome": "x"'))
    result = run("replay", integration)
    assert result.exit_code == 1
    assert "FAIL " in result.stdout and "problem-opened.case.json" in result.stdout
    assert f"--- {expected} (expected)" in result.stdout
    assert '-  "outcome": "x",\n+  "outcome": "applied",\n' in result.stdout
    assert "1 failed" in result.stdout.splitlines()[-1]


def test_update_rewrites_only_differing_files_and_round_trips_byte_for_byte(run, integration):
    replays = integration / "replays"
    before = {p.name: p.read_bytes() for p in replays.glob("*.expected.json")}
    broken = replays / "empty-body.expected.json"
    broken.write_text("{}")
    result = run("replay", integration, "--update")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].endswith("1 updated")
    assert {p.name: p.read_bytes() for p in replays.glob("*.expected.json")} == before
    assert run("replay", integration).exit_code == 0


def test_missing_expected_file_fails_and_says_to_run_update(run, integration):
    (integration / "replays" / "array-body.expected.json").unlink()
    result = run("replay", integration)
    assert result.exit_code == 1
    assert "array-body.expected.json is missing); run `ldkit replay --update`" in result.stdout
    assert run("replay", integration, "--update").exit_code == 0
    assert (integration / "replays" / "array-body.expected.json").is_file()


def test_broken_case_is_reported_and_fails_even_with_update(run, integration):
    write_case(
        integration,
        "two-bodies",
        {"description": "x", "request": {"body": {}, "bodyText": "", "timestamp": 1}},
    )
    result = run("replay", integration, "--update")
    assert result.exit_code == 1
    assert "BROKEN " in result.stdout
    assert "exactly one body source" in result.stdout
    assert "1 broken" in result.stdout.splitlines()[-1]


# --- the case API --------------------------------------------------------------------


def test_load_cases_reads_names_samples_and_defaults():
    cases = {
        case.name: case for case in (load_case(path, DYNATRACE) for path in case_paths(DYNATRACE))
    }
    case = cases["test-notification-2018"]
    assert case.sample == "test"
    assert case.expected_path == DYNATRACE / "replays" / "test-notification-2018.expected.json"
    assert (case.trigger.action, case.trigger.flag, case.trigger.environment) == (
        "turnFlagOff",
        "example-flag",
        "production",
    )
    assert case.flag_on is True
    assert cases["missing-title"].sample is None


def test_flag_state_defaults_to_the_state_the_action_changes(tmp_path):
    path = write_case(
        tmp_path,
        "on",
        {
            "description": "x",
            "request": {"body": {}, "timestamp": 1},
            "trigger": {"action": "turnFlagOn"},
        },
    )
    assert load_case(path).flag_on is False


def test_body_sources_give_the_exact_request_bytes(tmp_path):
    (tmp_path / "replays" / "bodies").mkdir(parents=True)
    (tmp_path / "replays" / "bodies" / "raw.bin").write_bytes(b"\xff raw")
    inline = write_case(
        tmp_path, "a", {"description": "x", "request": {"body": {"t": "é"}, "timestamp": 1}}
    )
    text = write_case(
        tmp_path, "b", {"description": "x", "request": {"bodyText": "plain", "timestamp": 1}}
    )
    file = write_case(
        tmp_path,
        "c",
        {"description": "x", "request": {"bodyFile": "bodies/raw.bin", "timestamp": 1}},
    )
    assert load_case(inline).request_bytes() == '{"t": "é"}'.encode()
    assert load_case(text).request_bytes() == b"plain"
    assert load_case(file).request_bytes() == b"\xff raw"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"request": {"timestamp": 1}}, "exactly one body source"),
        ({"request": {"body": {}}}, 'request is missing the required key "timestamp"'),
        (
            {"request": {"body": {}, "timestamp": 1}, "flagState": "yes"},
            'flagState is "yes", which is not allowed. Allowed values: "on", "off"',
        ),
        ({"request": {"bodyFile": "nope.txt", "timestamp": 1}}, "'nope.txt' does not exist"),
    ],
)
def test_broken_cases_raise_case_error_with_the_fix(tmp_path, case, message):
    path = write_case(tmp_path, "broken", {"description": "x", **case})
    with pytest.raises(CaseError) as caught:
        load_case(path).request_bytes()
    assert message in caught.value.message
    assert str(path) in caught.value.message


def _dynatrace_case(tmp_path: Path) -> Path:
    path = write_case(
        tmp_path,
        "rendered",
        {
            "description": "x",
            "request": {
                "dynatrace": {"template": "payload.json.tmpl", "testNotification": True},
                "timestamp": 1,
            },
        },
    )
    (tmp_path / "replays" / "payload.json.tmpl").write_text(
        '{"title":"{ProblemTitle}","url":"{ProblemURL}"}'
    )
    return path


def test_dynatrace_case_body_is_exactly_what_ldkit_render_prints(tmp_path, run):
    case = load_case(_dynatrace_case(tmp_path), tmp_path)
    rendered = run(
        "render",
        "--template",
        tmp_path / "replays" / "payload.json.tmpl",
        "--test-notification",
    )
    assert rendered.exit_code == 0
    assert case.request_bytes() == rendered.stdout.encode("utf-8")
    assert case.request_bytes() == (
        b'{"title":"Dynatrace problem notification test run","url":"https://example.com"}'
    )


def test_dynatrace_case_with_an_unreadable_template_is_a_clear_case_error(tmp_path):
    path = _dynatrace_case(tmp_path)
    (tmp_path / "replays" / "payload.json.tmpl").write_bytes(b"\xff\xfe not utf-8")
    case = load_case(path, tmp_path)
    with pytest.raises(CaseError) as caught:
        case.request_bytes()
    assert "payload.json.tmpl" in caught.value.message


# --- ldkit validate on case files -------------------------------------------------------


def _findings(run, path: Path) -> list[dict]:
    result = run("validate", path, "--format", "json")
    return [f for file in result.json()["files"] for f in file["findings"]]


def test_shipped_cases_validate_clean(run):
    assert [f for f in _findings(run, DYNATRACE) if f["rule"].startswith("LD5")] == []


def test_unknown_key_in_a_case_is_reported_at_the_key(run, integration):
    path = write_case(
        integration,
        "typo",
        {"description": "x", "request": {"body": {}, "timestamp": 1}, "flagstate": "on"},
    )
    (integration / "replays" / "typo.expected.json").write_text("{}\n")
    [finding] = [f for f in _findings(run, path) if f["rule"] == "LD510"]
    assert (finding["pointer"], finding["line"], finding["column"]) == ("/flagstate", 7, 3)
    assert finding["message"] == (
        'unknown key "flagstate" in the case; did you mean "flagState"? Allowed keys: $schema, '
        "description, sample, request, trigger, flagState"
    )


def test_enum_violation_lists_the_allowed_values(run, integration):
    path = write_case(
        integration,
        "bad-sample",
        {"description": "x", "sample": "demo", "request": {"body": {}, "timestamp": 1}},
    )
    [finding] = [f for f in _findings(run, path) if f["rule"] == "LD510"]
    assert finding["pointer"] == "/sample"
    assert (
        finding["message"]
        == 'sample is "demo", which is not allowed. Allowed values: "event", "test"'
    )


def test_two_body_sources_missing_files_and_missing_expected_are_findings(run, integration):
    path = write_case(
        integration,
        "messy",
        {
            "description": "x",
            "request": {"bodyFile": "bodies/absent.txt", "bodyText": "", "timestamp": 1},
        },
    )
    found = {(f["rule"], f["pointer"]) for f in _findings(run, path)}
    assert found == {
        ("LD511", "/request/bodyText"),
        ("LD512", "/request/bodyFile"),
        ("LD513", ""),
    }


def test_dynatrace_source_without_problem_needs_test_notification(run, integration):
    path = write_case(
        integration,
        "no-problem",
        {
            "description": "x",
            "request": {"dynatrace": {"template": "missing.tmpl"}, "timestamp": 1},
        },
    )
    found = {(f["rule"], f["pointer"]) for f in _findings(run, path)}
    assert ("LD514", "/request/dynatrace") in found
    assert ("LD512", "/request/dynatrace/template") in found


# --- sample rules ----------------------------------------------------------------------


def test_samples_that_contradict_the_manifest_are_errors_at_the_trigger_fields(run):
    manifest = CONTRADICT / "manifest.json"
    result = run("validate", manifest, "--format", "json")
    assert result.exit_code == 1
    found = sorted(
        (f["rule"], Path(f["path"]).name, f["pointer"], f["line"], f["column"])
        for f in result.json()["files"][0]["findings"]
        if f["rule"] in ("LD520", "LD521", "LD522")
    )
    # The odd case out (the other samples have the name where the parser looks)
    # is the file to edit.
    assert found == [
        ("LD520", "unnamed-alert.case.json", "/request/body", 5, 13),
        ("LD521", "manifest.json", "/capabilities/trigger/testEventNameRegexp", 26, 30),
        ("LD522", "manifest.json", "/capabilities/trigger/testEventNameRegexp", 26, 30),
    ]
    messages = {f["rule"]: f["message"] for f in result.json()["files"][0]["findings"]}
    assert "which replays/ping.case.json, replays/real-alert.case.json have" in messages["LD520"]
    assert "'Ping from Partner'" in messages["LD521"]
    assert "replays/real-alert.case.json" in messages["LD522"]


def test_the_dynatrace_samples_agree_with_its_manifest(run):
    findings = _findings(run, DYNATRACE / "manifest.json")
    assert [f for f in findings if f["rule"] in ("LD520", "LD521", "LD522")] == []


def test_a_regexp_matching_real_problems_makes_the_sample_event_an_error(run, integration):
    manifest = integration / "manifest.json"
    data = json.loads(manifest.read_text())
    data["capabilities"]["trigger"]["testEventNameRegexp"] = "degradation|test run"
    manifest.write_text(json.dumps(data, indent=2))
    found = [f for f in _findings(run, manifest) if f["rule"].startswith("LD52")]
    assert [(f["rule"], f["pointer"]) for f in found] == [
        ("LD522", "/capabilities/trigger/testEventNameRegexp")
    ]
    assert "replays/problem-opened.case.json" in found[0]["message"]


def test_an_event_name_pointer_missing_the_test_title_breaks_the_test_samples(run, integration):
    manifest = integration / "manifest.json"
    data = json.loads(manifest.read_text())
    data["capabilities"]["trigger"]["parser"]["eventName"] = "/url"
    manifest.write_text(json.dumps(data, indent=2))
    found = sorted(f["message"] for f in _findings(run, manifest) if f["rule"] == "LD521")
    test_samples = sorted(
        p.name
        for p in (integration / "replays").glob("*.case.json")
        if json.loads(p.read_text()).get("sample") == "test"
    )
    assert len(test_samples) >= 2
    assert len(found) == len(test_samples)
    for name, message in zip(test_samples, found, strict=True):
        assert f"replays/{name}" in message
        assert "'https://example.com'" in message


def test_cases_of_an_integration_without_trigger_capability_are_broken(run, tmp_path):
    folder = tmp_path / "hook-only"
    shutil.copytree(FIXTURES / "trigger" / "no-trigger", folder)
    write_case(folder, "a", {"description": "x", "request": {"body": {}, "timestamp": 1}})
    result = run("replay", folder)
    assert result.exit_code == 1
    assert "BROKEN" in result.stdout and "no `capabilities.trigger` object" in result.stdout
