"""Files written to hurt: every one ends in a finding or a clear error, never a
traceback, a hang, or a read or write outside the repository.

Trees are built in tmp_path from the Dynatrace integration (symbolic links,
FIFOs and odd names cannot be committed portably). Anything that could hang
runs as a real subprocess with a timeout, so a regression fails instead of
stalling the suite; memory is bounded the same way where it matters.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

DYNATRACE = REPO / "integrations" / "dynatrace"
TIMEOUT = 60
NEW_OPTIONS = (
    *("--author", "Acme Inc.", "--support-email", "support@acme.example"),
    *("--site", "https://acme.example", "--privacy-policy", "https://acme.example/p"),
)
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and symlinks need POSIX")


def copy_dynatrace(tmp_path: Path, key: str = "dynatrace") -> Path:
    folder = tmp_path / "integrations" / key
    shutil.copytree(DYNATRACE, folder)
    return folder


def case(folder: Path, name: str, request: dict, **extra: object) -> Path:
    path = folder / "replays" / f"{name}.case.json"
    data = {"description": "A hostile case.", "request": request, **extra}
    path.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
    return path


def ldkit(*args: str, cwd: Path | None = None, memory_mb: int | None = None, stdin=b""):
    """The real CLI in a subprocess, with a timeout (and an address-space limit)."""

    def limit() -> None:
        import resource  # POSIX only; the tests that pass memory_mb run there

        if memory_mb is not None:
            size = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return subprocess.run(
        [sys.executable, "-m", "ldkit", *map(str, args)],
        input=stdin,
        capture_output=True,
        timeout=TIMEOUT,
        cwd=cwd,
        preexec_fn=limit if memory_mb else None,
    )


def findings_of(run, *args: str) -> list[dict]:
    result = run("validate", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [f for file in result.json()["files"] for f in file["findings"]]


# --- reading and writing outside the repository ------------------------------------


@posix_only
def test_replay_update_never_writes_through_a_symlinked_expected_file(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", "utf-8")
    expected = folder / "replays" / "array-body.expected.json"
    expected.unlink()
    expected.symlink_to(outside)
    result = run("replay", folder, "--update")
    assert result.exit_code == 0, result.stdout
    assert outside.read_text("utf-8") == "precious\n"
    assert not expected.is_symlink()
    assert json.loads(expected.read_text("utf-8"))["outcome"] == "applied"


@pytest.mark.parametrize("body_file", ["/etc/hostname", "../../../secret.txt"])
def test_a_case_body_file_outside_the_integration_is_a_finding_and_never_read(
    run, tmp_path, body_file
):
    folder = copy_dynatrace(tmp_path)
    (tmp_path / "secret.txt").write_text("TOKEN=hunter2\n", "utf-8")
    path = case(folder, "leak", {"bodyFile": body_file, "timestamp": 1})
    [finding] = [f for f in findings_of(run, path) if f["rule"] == "LD512"]
    assert finding["pointer"] == "/request/bodyFile"
    assert finding["message"].endswith("; it is never read")
    replay = run("replay", folder)
    assert replay.exit_code == 1
    assert "BROKEN" in replay.stdout and "hunter2" not in replay.stdout
    assert "integration folder" in replay.stdout


@posix_only
def test_a_body_file_symlinked_out_of_the_integration_is_refused(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    (tmp_path / "secret.txt").write_text("TOKEN=hunter2\n", "utf-8")
    (folder / "replays" / "bodies" / "link.json").symlink_to(tmp_path / "secret.txt")
    case(folder, "leak", {"bodyFile": "bodies/link.json", "timestamp": 1})
    replay = run("replay", folder)
    assert replay.exit_code == 1 and "hunter2" not in replay.stdout
    assert "leads outside the integration folder" in replay.stdout


def test_an_expected_path_that_is_a_directory_is_a_broken_case_not_a_crash(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    expected = folder / "replays" / "array-body.expected.json"
    expected.unlink()
    expected.mkdir()
    for args in ((folder,), (folder, "--update")):
        result = run("replay", *args)
        assert result.exit_code == 1
        assert "BROKEN" in result.stdout and "array-body.expected.json" in result.stdout


# --- hangs ---------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("where", ["replays/fifo.case.json", "samples/fifo.problem.json"])
def test_a_fifo_among_the_stored_files_is_a_clear_error_not_a_hang(tmp_path, where):
    folder = copy_dynatrace(tmp_path)
    os.mkfifo(folder / where)
    result = ldkit("validate", folder)
    assert result.returncode == 2
    assert b"a FIFO (named pipe), not a regular file" in result.stderr


@posix_only
def test_a_fifo_as_a_sibling_manifest_does_not_hang_the_oauth_key_rule(tmp_path):
    folder = copy_dynatrace(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["oauthIntegrationKey"] = "dynatrace"
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    (tmp_path / "integrations" / "other").mkdir()
    os.mkfifo(tmp_path / "integrations" / "other" / "manifest.json")
    result = ldkit("validate", folder / "manifest.json", "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    json.loads(result.stdout)


# --- internal errors -------------------------------------------------------------------


def test_an_integer_of_5000_digits_is_a_finding(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    text = (folder / "manifest.json").read_text("utf-8")
    (folder / "manifest.json").write_text(text.replace("{", '{"big": ' + "9" * 5000 + ",", 1))
    found = findings_of(run, folder / "manifest.json")
    [finding] = [f for f in found if f["rule"] == "LD005"]
    assert finding["message"].startswith("an integer with 5,000 digits")
    assert (finding["line"], finding["column"]) == (1, 9)


def test_a_5000_digit_array_index_in_a_parser_pointer_is_harmless(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["capabilities"]["trigger"]["parser"]["eventName"] = "/items/" + "1" * 5000
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    result = run("trigger", folder, "--body", "-", input=b'{"items": ["a"]}')
    assert result.exit_code == 0, result.stderr
    assert result.json()["eventNameSource"] != "body"


def test_lone_surrogates_and_control_characters_print_in_every_format(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    text = (folder / "manifest.json").read_text("utf-8")
    hostile = '"\\ud800\\u001b[31mred": 1,'
    (folder / "manifest.json").write_text(text.replace("{", "{" + hostile, 1), "utf-8")
    for fmt in ("text", "json", "github", "junit", "sarif"):
        result = run("validate", folder / "manifest.json", "--format", fmt)
        assert result.exit_code == 1, (fmt, result.stderr)
        assert "\x1b" not in result.stdout and "\ud800" not in result.stdout
        if fmt in ("json", "sarif"):
            json.loads(result.stdout)


def test_terminal_control_bytes_in_a_manifest_are_escaped_in_the_text_excerpt(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    text = (folder / "manifest.json").read_text("utf-8")
    (folder / "manifest.json").write_text(text.replace("{", '{"x": "\x1b[2J\u202e",', 1))
    result = run("validate", folder / "manifest.json")
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert '    {"x": "\\x1b[2J\\u202e",' in result.stdout


def test_trigger_text_output_survives_a_lone_surrogate_event_name(run):
    result = run(
        "trigger", DYNATRACE, "--body", "-", "--format", "text", input=b'{"title": "x\\ud800"}'
    )
    assert result.exit_code == 0, result.stderr
    assert "x\\ud800" in result.stdout


@pytest.mark.parametrize("icon", ["assets/a\u0000b.svg", "x" * 5000 + ".svg"])
def test_nul_bytes_and_over_long_names_in_path_fields_are_findings(run, tmp_path, icon):
    folder = copy_dynatrace(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["icons"]["square"] = icon
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    assert "LD200" in {f["rule"] for f in findings_of(run, folder / "manifest.json")}


@posix_only
def test_a_symlink_loop_as_an_icon_is_a_finding(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    square = folder / "assets" / "images" / "square.svg"
    square.unlink()
    loop = folder / "assets" / "images" / "loop.svg"
    loop.symlink_to(square)
    square.symlink_to(loop)
    assert "LD200" in {f["rule"] for f in findings_of(run, folder / "manifest.json")}


def test_a_deeply_nested_case_file_is_a_broken_case(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    deep = "[" * 100_000 + "]" * 100_000
    (folder / "replays" / "deep.case.json").write_text(deep, "utf-8")
    result = run("replay", folder)
    assert result.exit_code == 1
    assert "deep.case.json: not valid JSON (nested too deeply)" in result.stdout
    found = findings_of(run, folder / "replays" / "deep.case.json")
    assert [f["rule"] for f in found] == ["LD001"]


def test_a_problem_sample_with_an_object_delivery_is_a_schema_finding(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    sample = folder / "samples" / "memory-exhausted-opened.problem.json"
    data = json.loads(sample.read_text("utf-8"))
    data["notification"]["delivery"] = {"kind": "opened"}
    sample.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
    rules = {f["rule"] for f in findings_of(run, sample) if not f["rule"].startswith("LD01")}
    assert rules == {"LD620"}  # the problem-sample schema; formatting (LD01x) aside


@posix_only
def test_a_file_name_that_is_not_utf8_keeps_json_and_sarif_valid(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    name = os.fsdecode(b"\xff-broken.case.json")
    (folder / "replays" / name).write_text("{", "utf-8")
    for fmt in ("json", "sarif", "junit", "github", "text"):
        result = run("validate", folder, "--format", fmt)
        assert result.exit_code == 1, (fmt, result.stderr)
        if fmt != "junit" and fmt != "github" and fmt != "text":
            json.loads(result.stdout)
    sarif = json.loads(run("validate", folder, "--format", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in
            sarif["runs"][0]["results"]}  # fmt: skip
    assert any("%FF-broken.case.json" in uri for uri in uris)


def test_a_manifest_over_the_size_limit_is_a_clear_error(run, tmp_path):
    folder = copy_dynatrace(tmp_path)
    text = (folder / "manifest.json").read_text("utf-8")
    (folder / "manifest.json").write_text(text + " " * (5 * 1024 * 1024), "utf-8")
    result = run("validate", folder / "manifest.json")
    assert result.exit_code == 2
    assert "ldkit reads files of at most 4,194,304 bytes" in result.stderr


# --- ldkit new -------------------------------------------------------------------------


def test_new_reports_file_system_errors_as_usage_errors(run, tmp_path):
    (tmp_path / "integrations").write_text("not a folder", "utf-8")
    result = run("new", "acme", "--root", tmp_path, "--no-input", *NEW_OPTIONS)
    assert result.exit_code == 2
    assert f"cannot create {tmp_path}/integrations/acme: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_half_built_integration_from_a_killed_new_is_ignored(run, tmp_path):
    copy_dynatrace(tmp_path)
    staging = tmp_path / "integrations" / ".ldkit-new-abc123" / "acme"
    staging.mkdir(parents=True)
    (staging / "README.md").write_text("half written\n", "utf-8")
    validate = run("validate", tmp_path)
    assert validate.exit_code == 0, validate.stdout + validate.stderr
    replay = ldkit("replay", cwd=tmp_path)
    assert replay.returncode == 0, replay.stdout
    assert b".ldkit-new" not in replay.stdout


# --- memory and time out of proportion ---------------------------------------------------


def test_a_template_of_nested_brackets_renders_in_bounded_memory(tmp_path):
    template = tmp_path / "nested.json"
    template.write_text("[" * 1_000_000 + '"{ProblemTitle}"' + "]" * 1_000_000, "utf-8")
    result = ldkit("render", "--template", template, "--test-notification", "--format", "json",
                   memory_mb=1024)  # fmt: skip
    assert result.returncode in (0, 1), result.stderr[-500:]


def test_a_body_with_a_non_http_url_costs_no_reparse(tmp_path):
    body = json.dumps({"title": "x", "pad": "y" * 5_000_000, "url": "javascript:alert(1)"})
    result = ldkit("trigger", DYNATRACE, "--body", "-", stdin=body.encode(), memory_mb=1024)
    assert result.returncode == 0, result.stderr[-500:]
    [warning] = json.loads(result.stdout)["warnings"]
    assert warning["rule"] == "LD501" and warning["line"] == 1


@pytest.mark.slow
def test_100000_unknown_keys_are_reported_within_bounds(tmp_path):
    folder = copy_dynatrace(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest.update({f"unknownKey{i}": i for i in range(100_000)})
    (folder / "manifest.json").write_text(json.dumps(manifest) + "\n", "utf-8")
    result = ldkit("validate", folder / "manifest.json", "--format", "json", memory_mb=2048)
    assert result.returncode == 1, result.stderr[-500:]
    assert json.loads(result.stdout)["summary"]["errors"] >= 100_000


@posix_only
@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "../outside.json"])
def test_a_baseline_the_configuration_names_is_read_only_inside_the_repository(tmp_path, target):
    copy_dynatrace(tmp_path / "repo")
    (tmp_path / "outside.json").write_text('{"format": "ldkit-baseline"}', "utf-8")
    (tmp_path / "repo" / ".ldkit.toml").write_text(f'baseline = "{target}"\n', "utf-8")
    result = ldkit("validate", cwd=tmp_path / "repo", memory_mb=1024)
    assert result.returncode == 2
    assert b"not a readable ldkit baseline" in result.stderr
    assert b"Traceback" not in result.stderr and b"root:" not in result.stderr


@posix_only
def test_a_baseline_named_on_the_command_line_may_be_anywhere_but_must_be_a_file(tmp_path):
    copy_dynatrace(tmp_path / "repo")
    result = ldkit("validate", "--baseline", "/dev/zero", cwd=tmp_path / "repo", memory_mb=1024)
    assert result.returncode == 2
    assert b"not a regular file" in result.stderr


@posix_only
@pytest.mark.parametrize(
    "link",
    ["integrations/evil/manifest.json", "integrations/dynatrace/replays/evil.case.json"],
)
def test_a_file_validate_finds_by_walking_that_links_out_of_the_tree_is_never_printed(
    tmp_path, link
):
    # `ldkit validate` in CI walks the checkout: a manifest or case that a
    # fork commits as a link to a runner's file must not be quoted in the log.
    copy_dynatrace(tmp_path / "repo")
    secret = tmp_path / "runner-secret.txt"
    secret.write_text("RUNNER-SECRET-4242\n", "utf-8")
    (tmp_path / "repo" / link).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "repo" / link).symlink_to(secret)
    result = ldkit("validate", cwd=tmp_path / "repo")
    assert result.returncode == 2, result.stdout[-500:]
    assert b"RUNNER-SECRET" not in result.stdout + result.stderr
    assert b"outside" in result.stderr and b"Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(b"Error: integrations/")


@posix_only
def test_an_integration_folder_linked_out_of_the_tree_is_not_read(tmp_path):
    copy_dynatrace(tmp_path / "repo")
    elsewhere = copy_dynatrace(tmp_path / "elsewhere", "other")
    with (elsewhere / "manifest.json").open("a", encoding="utf-8") as stream:
        stream.write("RUNNER-SECRET-4242\n")
    (tmp_path / "repo" / "integrations" / "other").symlink_to(elsewhere)
    result = ldkit("validate", cwd=tmp_path / "repo")
    assert result.returncode == 2, result.stdout[-500:]
    assert b"RUNNER-SECRET" not in result.stdout + result.stderr


@posix_only
def test_a_file_the_user_names_may_be_a_link_out_of_the_tree(tmp_path):
    copy_dynatrace(tmp_path / "elsewhere", "other")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "manifest.json").symlink_to(
        tmp_path / "elsewhere" / "integrations" / "other" / "manifest.json"
    )
    result = ldkit("validate", "manifest.json", cwd=tmp_path / "repo")
    assert result.returncode in (0, 1), result.stderr[-500:]


@posix_only
def test_replay_never_reads_a_manifest_linked_out_of_the_integration(tmp_path):
    folder = copy_dynatrace(tmp_path / "repo")
    secret = tmp_path / "runner-secret.txt"
    secret.write_text("RUNNER-SECRET-4242\n", "utf-8")
    (folder / "manifest.json").unlink()
    (folder / "manifest.json").symlink_to(secret)
    result = ldkit("replay", cwd=tmp_path / "repo")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-500:]
    assert b"RUNNER-SECRET" not in output
    assert b"internal error" not in output and b"Traceback" not in output
    assert b"BROKEN integrations/dynatrace/replays/" in output
    assert b"outside" in output


def test_a_configuration_with_thousands_of_per_path_globs_is_a_clear_error(tmp_path):
    copy_dynatrace(tmp_path)
    lines = ["[per-path-ignores]", *(f'"**/x{i}/**/*.json" = ["LD311"]' for i in range(5000))]
    (tmp_path / ".ldkit.toml").write_text("\n".join(lines) + "\n", "utf-8")
    result = ldkit("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert b"per-path-ignores has 5,000 globs" in result.stderr


def test_a_body_integer_past_pythons_digit_limit_is_explained_without_python_advice(run):
    body = '{"title": ' + "9" * 5000 + "}"
    result = run("trigger", str(DYNATRACE), "--body", "-", "--format", "json", input=body)
    [warning] = result.json()["warnings"]
    assert "thousands of digits" in warning["message"]
    assert "sys.set_int_max_str_digits" not in warning["message"]
