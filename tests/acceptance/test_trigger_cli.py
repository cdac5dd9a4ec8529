"""`ldkit trigger` through the real CLI."""

from __future__ import annotations

import json

from conftest import FIXTURES, REPO

DYNATRACE = REPO / "integrations" / "dynatrace"
BODIES = FIXTURES / "trigger" / "bodies"
GENERIC = FIXTURES / "trigger" / "generic"


def test_json_output_is_the_invocation_result_for_a_dynatrace_problem(run):
    result = run(
        "trigger", DYNATRACE, "--body", BODIES / "dynatrace-problem.json", "--timestamp", "5"
    )
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["outcome"] == "applied"
    assert data["eventName"] == "Response time degradation"
    assert data["recentTriggerBody"]["timestamp"] == 5
    assert data["entry"]["title"] == (
        "Dynatrace trigger turned off the flag example-flag in production"
    )
    assert result.stdout.startswith('{\n  "outcome": "applied",\n')
    assert result.stdout.endswith("}\n")


def test_accepts_the_manifest_file_as_well_as_the_folder(run):
    by_file = run(
        "trigger",
        DYNATRACE / "manifest.json",
        "--body",
        BODIES / "dynatrace-problem.json",
        "--timestamp",
        "1",
    )
    by_dir = run(
        "trigger", DYNATRACE, "--body", BODIES / "dynatrace-problem.json", "--timestamp", "1"
    )
    assert by_file.stdout == by_dir.stdout


def test_options_set_action_flag_state_flag_and_environment(run):
    result = run(
        "trigger",
        DYNATRACE,
        "--body",
        "-",
        "--action",
        "turnFlagOn",
        "--flag-state",
        "off",
        "--flag",
        "checkout",
        "--environment",
        "staging",
        "--timestamp",
        "7",
        input='{"title": "Recovered"}',
    )
    data = result.json()
    assert (data["outcome"], data["flagOnAfter"]) == ("applied", True)
    assert data["entry"]["target"] == {"flag": "checkout", "environment": "staging"}
    assert data["entry"]["title"] == "Dynatrace trigger turned on the flag checkout in staging"


def test_flag_state_equal_to_the_action_gives_no_change(run):
    result = run("trigger", DYNATRACE, "--body", "-", "--flag-state", "off", input='{"title": "x"}')
    assert result.json()["outcome"] == "no-change"


def test_stdin_body_warnings_name_stdin_as_their_path(run):
    result = run("trigger", DYNATRACE, "--body", "-", "--timestamp", "1", input="")
    [warning] = result.json()["warnings"]
    assert (warning["path"], warning["rule"], warning["line"], warning["column"]) == (
        "<stdin>",
        "LD500",
        1,
        1,
    )
    assert result.exit_code == 0


def test_text_format_summarises_the_outcome_entry_and_warnings(run):
    result = run(
        "trigger",
        DYNATRACE,
        "--body",
        "-",
        "--format",
        "text",
        "--timestamp",
        "1",
        input='{"title": "CPU *hot*", "url": "javascript:alert(1)"}',
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "outcome:       applied (the flag was turned off)"
    assert lines[1] == 'event name:    "CPU *hot*" (from the body)'
    assert "url:           none" in lines
    assert (
        "  title:       Dynatrace trigger turned off the flag example-flag in production" in lines
    )
    assert "  description: CPU \\*hot\\*" in lines
    assert any(line.startswith("  <stdin>:1:31: LD501 warning: url is null") for line in lines)


def test_text_format_of_a_test_event_says_nothing_changed(run):
    result = run(
        "trigger",
        DYNATRACE,
        "--body",
        "-",
        "--format",
        "text",
        input='{"title": "Dynatrace problem notification test run"}',
    )
    assert "outcome:       test-event (a test event: counted, the flag is unchanged (on))" in (
        result.stdout
    )
    assert "entry:         none" in result.stdout


def test_ndjson_streams_one_result_per_line_and_carries_history(run):
    lines = "\n".join(
        [
            '{"title": "Dynatrace problem notification test run"}',
            '{"title": "CPU saturation"}',
            '{"title": "CPU saturation"}',
            "",
            "not json",
        ]
    )
    result = run(
        "trigger", DYNATRACE, "--body", "-", "--ndjson", "--timestamp", "9", input=lines + "\n"
    )
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["outcome"] for r in out] == [
        "test-event",
        "applied",
        "no-change",
        "no-change",
        "no-change",
    ]
    assert [r["triggerCount"] for r in out] == [1, 2, 3, 4, 5]
    assert out[3]["warnings"][0]["message"].startswith("the request body is empty")
    assert all("\n" not in line for line in result.stdout.splitlines())


def test_ndjson_with_text_format_is_a_usage_error(run):
    result = run("trigger", DYNATRACE, "--body", "-", "--ndjson", "--format", "text", input="")
    assert result.exit_code == 2
    assert "--ndjson prints one JSON object per line" in result.stderr


def test_missing_manifest_is_exit_2(run, tmp_path):
    result = run("trigger", tmp_path / "nowhere", "--body", "-", input="{}")
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr


def test_folder_without_manifest_is_exit_2(run, tmp_path):
    result = run("trigger", tmp_path, "--body", "-", input="{}")
    assert result.exit_code == 2
    assert "no manifest.json in this folder" in result.stderr


def test_missing_body_file_is_exit_2(run, tmp_path):
    result = run("trigger", DYNATRACE, "--body", tmp_path / "missing.json")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_manifest_without_trigger_capability_is_exit_1_with_a_finding(run):
    result = run("trigger", FIXTURES / "trigger" / "no-trigger", "--body", "-", input="{}")
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(str(FIXTURES / "trigger" / "no-trigger" / "manifest.json") + ":19:19:")
    assert "LD504 error: this manifest has no `capabilities.trigger` object" in line


def test_malformed_manifest_is_exit_1_with_the_syntax_finding(run, tmp_path):
    (tmp_path / "manifest.json").write_text('{"name": "x",\n "capabilities": {,}}')
    result = run("trigger", tmp_path, "--body", "-", input="{}")
    assert result.exit_code == 1
    assert ":2:19: LD001 error:" in result.stderr


def test_generic_trigger_value_and_default_event_name(run):
    result = run("trigger", GENERIC, "--body", "-", input='{"value": 12}')
    data = result.json()
    assert (data["eventName"], data["eventNameSource"], data["value"]) == (
        "An event",
        "defaultEventName",
        12,
    )
    assert data["entry"]["description"] == "An event\n\nValue: 12"
