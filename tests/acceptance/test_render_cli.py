"""`ldkit render` through the real command line."""

from __future__ import annotations

import json

from _render_helpers import PAYLOADS, PROBLEMS, SAMPLES, TEMPLATES

RECOMMENDED = PAYLOADS / "recommended.json"
OPENED = SAMPLES / "memory-exhausted-opened.problem.json"
URL = (
    "https://kqt41907.live.dynatrace.com/#problems/problemdetails;"
    "pid=-3815209474620185731_1763371920000V2"
)


def test_prints_the_body_exactly_and_nothing_else_for_a_clean_render(run):
    result = run("render", "--template", RECOMMENDED, "--problem", OPENED)
    assert result.exit_code == 0
    assert result.stdout == '{"title":"Memory resources exhausted","url":"' + URL + '"}'
    assert result.stderr == ""


def test_error_findings_go_to_stderr_the_body_still_to_stdout_and_exit_1(run):
    template = TEMPLATES / "unquoted-title.json"
    result = run("render", "--template", template, "--problem", OPENED)
    assert result.exit_code == 1
    assert result.stdout.split("\n")[1] == '  "title": Memory resources exhausted,'
    lines = result.stderr.split("\n")
    assert lines[0] == (
        f"{template}:2:12: LD600 error: {{ProblemTitle}} becomes text but is not inside a JSON "
        'string; put it in double quotes ("{ProblemTitle}"); Dynatrace escapes the value so '
        "that the string stays valid"
    )
    assert lines[1:3] == ['      "title": {ProblemTitle},', "               ^"]
    assert lines[3].startswith(f"{template} (rendered body):2:12: LD602 error: ")
    assert lines[4:6] == ['      "title": Memory resources exhausted,', "               ^"]
    assert lines[-2] == "2 files checked: 2 errors, 0 warnings"


def test_json_format_reports_template_and_rendered_body_as_two_files(run):
    template = TEMPLATES / "quoted-entities.json"
    result = run("render", "--template", template, "--problem", OPENED, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stderr)
    assert [f["path"] for f in report["files"]] == [str(template), f"{template} (rendered body)"]
    [quoted] = report["files"][0]["findings"]
    assert quoted == {
        "rule": "LD601",
        "severity": "error",
        "message": quoted["message"],
        "pointer": "/entities",
        "line": 3,
        "column": 16,
        "path": str(template),
    }
    assert report["files"][1]["findings"][0]["rule"] == "LD602"
    assert report["summary"] == {"files": 2, "errors": 2, "warnings": 0}
    assert '  "entities": "[{"type":"PROCESS_GROUP_INSTANCE"' in result.stdout  # body still printed


def test_json_format_always_prints_its_object(run):
    result = run("render", "--template", RECOMMENDED, "--problem", OPENED, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stderr)["summary"] == {"files": 2, "errors": 0, "warnings": 0}


def test_warnings_alone_exit_0(run):
    result = run("render", "--template", TEMPLATES / "tags.json", "--problem", OPENED)
    assert result.exit_code == 0
    assert "LD604 warning" in result.stderr
    assert json.loads(result.stdout)["owner"] == "{Tags[owner]}"


def test_test_notification_needs_no_problem(run):
    result = run("render", "--template", RECOMMENDED, "--test-notification")
    assert result.exit_code == 0
    assert result.stdout == (
        '{"title":"Dynatrace problem notification test run","url":"https://example.com"}'
    )


def test_test_notification_ignores_a_problem_given_too(run):
    result = run(
        "render", "--template", RECOMMENDED, "--test-notification", "--problem", "missing.json"
    )
    assert result.exit_code == 0
    assert "test run" in result.stdout


def test_without_problem_or_test_notification_is_a_usage_error(run):
    result = run("render", "--template", RECOMMENDED)
    assert result.exit_code == 2
    assert "give a problem sample with --problem FILE, or --test-notification" in result.stderr


def test_missing_files_exit_2_without_a_traceback(run, tmp_path):
    missing = tmp_path / "nope.json"
    for args in (
        ("--template", missing, "--problem", OPENED),
        ("--template", RECOMMENDED, "--problem", missing),
    ):
        result = run("render", *args)
        assert result.exit_code == 2
        assert f"{missing}: cannot read" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_a_problem_file_that_is_not_json_exits_2_with_its_position(run):
    problem = PROBLEMS / "not-json.problem.json"
    result = run("render", "--template", RECOMMENDED, "--problem", problem)
    assert result.exit_code == 2
    assert (
        f"{problem}:3:52: LD001 error: trailing comma after the last member; JSON allows no "
        "comma before '}', remove it" in result.stderr
    )
    assert f"ldkit render: {problem} is not a usable problem sample" in result.stderr
    assert result.stdout == ""


def test_a_problem_file_that_breaks_the_schema_exits_2_listing_the_errors(run):
    problem = PROBLEMS / "wrong-types.problem.json"
    result = run("render", "--template", RECOMMENDED, "--problem", problem, "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stderr.split("\nldkit render:")[0])
    assert {f["rule"] for f in report["files"][0]["findings"]} == {"LD620"}
    assert report["summary"]["errors"] == 6


def test_a_template_that_is_not_utf8_exits_2(run, tmp_path):
    template = tmp_path / "latin1.json"
    template.write_bytes(b'{"title":"Caf\xe9 {ProblemTitle}"}')
    result = run("render", "--template", template, "--problem", OPENED)
    assert result.exit_code == 2
    assert "not UTF-8 (invalid byte 0xe9 at offset 13)" in result.stderr


def test_output_file_gets_the_exact_bytes_line_endings_included(run, tmp_path):
    template = tmp_path / "crlf.json"
    template.write_bytes('{\r\n  "title": "Ä {ProblemTitle}"\r\n}\r\n'.encode())
    out = tmp_path / "body.json"
    result = run("render", "--template", template, "--problem", OPENED, "--output", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_bytes() == '{\r\n  "title": "Ä Memory resources exhausted"\r\n}\r\n'.encode()


def test_a_byte_order_mark_is_not_part_of_the_payload(run, tmp_path):
    template = tmp_path / "bom.json"
    template.write_bytes(b"\xef\xbb\xbf" + RECOMMENDED.read_bytes())
    out = tmp_path / "body.json"
    run("render", "--template", template, "--problem", OPENED, "-o", out)
    assert out.read_bytes().startswith(b'{"title":')


def test_custom_content_type_sends_values_raw(run):
    problem = SAMPLES / "special-characters.problem.json"
    result = run(
        "render", "--template", RECOMMENDED, "--problem", problem, "--content-type", "text/plain"
    )
    assert result.exit_code == 0
    assert result.stdout.startswith('{"title":"Failure rate increase on "Checkout" C:\\payments')
    assert "\n" in result.stdout
    assert "LD607 warning" in result.stderr


def test_help_lists_every_option(run):
    result = run("render", "--help")
    for option in (
        "--template",
        "--problem",
        "--test-notification",
        "--content-type",
        "--output",
        "--format",
    ):
        assert option in result.stdout


def test_the_readme_shows_what_ldkit_render_really_prints(run):
    """The integration README quotes real output; keep it true."""
    import re
    import shlex

    folder = PAYLOADS.parent
    readme = (folder / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n\$ (ldkit render [^\n]*)\n([^\n]*)\n```", readme)
    assert len(blocks) == 3
    for command, shown in blocks:
        args = shlex.split(command)[1:]
        args = [str(folder / a) if a.endswith(".json") else a for a in args]
        result = run(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, shown, ""), command


def test_the_readme_shows_what_render_piped_into_trigger_really_prints(run):
    import re
    import shlex

    folder = PAYLOADS.parent
    readme = (folder / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(
        r"```console\n\$ (ldkit render [^\n]*) \\\n    \| (ldkit trigger [^\n]*)\n(.*?)\n```",
        readme,
        re.S,
    )
    assert len(blocks) == 3
    for render_command, trigger_command, shown in blocks:
        args = [str(folder / a) if a.endswith(".json") else a for a in shlex.split(render_command)]
        body = run(*args[1:]).stdout
        args = [str(folder) if a == "." else a for a in shlex.split(trigger_command)]
        result = run(*args[1:], input=body)
        assert (result.exit_code, result.stdout.rstrip("\n")) == (0, shown), trigger_command
