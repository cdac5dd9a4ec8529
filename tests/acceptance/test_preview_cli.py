"""`ldkit preview`: preview.js's output byte for byte, and the trigger side it cannot show.

`tests/fixtures/preview/expected/` holds what LaunchDarkly's real `preview.js`
printed for our own integrations (made by `scripts/preview_goldens.py`, clock
fixed at TIMESTAMP, TZ=UTC); no Node.js is needed here.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO

PREVIEW = FIXTURES / "preview"
TIMESTAMP = "1732000000000"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch):
    """preview.js formats `simple` dates in local time; the goldens were made in UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("name", ["acme-events", "acme-default", "dynatrace"])
@pytest.mark.parametrize("curl", [False, True], ids=["plain", "curl"])
def test_output_is_byte_identical_to_preview_js(run, name: str, curl: bool) -> None:
    folder = REPO / "integrations" / name if name == "dynatrace" else PREVIEW / name
    result = run("preview", folder, "--timestamp", TIMESTAMP, *(["--curl"] if curl else []))
    expected = (PREVIEW / "expected" / f"{name}{'.curl' if curl else ''}.txt").read_text("utf-8")
    assert (result.exit_code, result.stdout) == (0, expected)


def test_form_variables_oauth_and_the_sample_event_fill_url_headers_and_body(run) -> None:
    result = run("preview", PREVIEW / "acme-events", "--timestamp", TIMESTAMP)
    lines = result.stdout.splitlines()
    assert lines[:7] == [
        "URL:    $URL/api/$REGION/events?verbose=true",
        "METHOD: POST",
        "HEADER: Content-Type: application/json",
        "HEADER: Authorization: Bearer $OAUTH_ACCESS_TOKEN",
        "HEADER: X-Acme-Basic: Basic JEFQSVRPS0VOOng&#x3D;",
        "HEADER: X-Flag: Demo flag at 1732000000",
        "BODY:\ttargeting-rule-update.json",
    ]
    assert '  "when": 1732000000000,' in lines


def test_an_integration_key_is_looked_up_under_integrations(run, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    by_key = run("preview", "dynatrace", "--timestamp", TIMESTAMP)
    assert by_key.stdout == (PREVIEW / "expected" / "dynatrace.txt").read_text("utf-8")


def test_without_a_timestamp_the_sample_happens_now(run) -> None:
    before = int(time.time() * 1000)
    result = run("preview", PREVIEW / "acme-events")
    when = next(line for line in result.stdout.splitlines() if '"when"' in line)
    stamp = int(when.split(":")[1].strip().rstrip(","))
    assert before <= stamp <= int(time.time() * 1000)


def test_without_flag_or_default_template_the_first_other_template_is_previewed(
    run, tmp_path: Path
) -> None:
    folder = tmp_path / "acme-project"
    shutil.copytree(PREVIEW / "acme-default", folder)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    hook = manifest["capabilities"]["auditLogEventsHook"]
    hook["templates"] = {"project": "templates/default.txt.hbs"}
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    result = run("preview", folder, "--timestamp", TIMESTAMP)
    assert result.exit_code == 0
    assert result.stdout.startswith("URL:    $WEBHOOKURL\nMETHOD: PUT\n")
    assert "BODY:\tldkit's sample project event\n" in result.stdout
    assert result.stderr == (
        "ldkit preview: no flag or default template (preview.js stops here); previewed the "
        "project template templates/default.txt.hbs with ldkit's sample project event\n"
    )


def test_a_template_that_does_not_render_is_one_line_and_exit_1(run, tmp_path: Path) -> None:
    folder = tmp_path / "acme-broken"
    shutil.copytree(PREVIEW / "acme-default", folder)
    (folder / "templates" / "default.txt.hbs").write_text("{{missing.field}}", "utf-8")
    result = run("preview", folder, "--timestamp", TIMESTAMP)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "ldkit preview: acme-broken: the default template templates/default.txt.hbs does not "
        "render: "
    )
    assert len(result.stderr.splitlines()) == 1


def test_a_trigger_integration_shows_the_request_it_receives_and_the_entry(run) -> None:
    result = run("preview", PREVIEW / "acme-trigger", "--timestamp", TIMESTAMP)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:8] == [
        "== a sample event built from the manifest's parser pointers "
        "(manifest.json capabilities.trigger.parser)",
        "URL:    https://app.launchdarkly.com/webhook/triggers/$TRIGGER_ID/$SECRET",
        "METHOD: POST",
        "HEADER: Content-Type: application/json",
        "BODY:\tmanifest.json capabilities.trigger.parser",
        "{",
    ]
    assert result.stdout.endswith(
        'RESULT: the flag example-flag is turned off in production (event name "Sample alert")\n'
        "CHANGE HISTORY:\n"
        "  title:       Acme Alerts trigger turned off the flag example-flag in production\n"
        "  description: [Sample alert](https://example.com/alerts/1)\n"
    )


def test_dynatrace_shows_the_payload_to_paste_the_test_notification_and_a_real_problem(
    run,
) -> None:
    result = run(
        "preview", REPO / "integrations" / "dynatrace", "--trigger", "--timestamp", TIMESTAMP
    )
    out = result.stdout
    assert result.exit_code == 0
    assert (
        '== Dynatrace "Send test notification" (replays/chain-test-notification.case.json)\n'
        "Custom payload to paste into Dynatrace (payloads/recommended.json):\n"
        '{"title":"{ProblemTitle}","url":"{ProblemURL}"}\n'
    ) in out
    assert "RESULT: a test event: LaunchDarkly counts it and changes nothing" in out
    assert "== a real Dynatrace problem (replays/chain-problem-opened.case.json)\n" in out
    assert (
        "  title:       Dynatrace trigger turned off the flag new-checkout in production\n"
        "  description: [Memory resources exhausted](https://kqt41907.live.dynatrace.com/"
    ) in out


def test_the_trigger_curl_command_quotes_the_body_for_the_shell(run) -> None:
    result = run("preview", PREVIEW / "acme-trigger", "--curl", "--timestamp", TIMESTAMP)
    assert (
        "curl -X POST \\\n"
        "  https://app.launchdarkly.com/webhook/triggers/$TRIGGER_ID/$SECRET \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        "  -d '{\n"
    ) in result.stdout


def test_an_integration_without_endpoint_or_trigger_says_so_as_preview_js_does(
    run, tmp_path: Path
) -> None:
    folder = tmp_path / "acme-none"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"name": "None", "capabilities": {}}', "utf-8")
    result = run("preview", folder)
    assert (result.exit_code, result.stdout) == (
        0,
        'The "acme-none" integration does not make any outbound requests from LaunchDarkly.\n\n',
    )


def test_an_unknown_integration_is_a_usage_error(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("preview", "nope")
    assert result.exit_code == 2
    assert '"nope" is neither an integration folder' in result.stderr


def test_with_no_template_at_all_the_request_is_shown_without_a_body(run, tmp_path: Path) -> None:
    folder = tmp_path / "acme-bare"
    shutil.copytree(PREVIEW / "acme-default", folder)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["capabilities"]["auditLogEventsHook"]["templates"] = {}
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    result = run("preview", folder, "--timestamp", TIMESTAMP)
    assert result.exit_code == 0
    assert result.stdout == (
        "URL:    $WEBHOOKURL\nMETHOD: PUT\nHEADER: Content-Type: text/plain\n"
        "BODY:\t(no template: the manifest names no flag, default, project, environment or "
        "member template, and what LaunchDarkly sends then is not documented)\n"
    )
    curl = run("preview", folder, "--curl", "--timestamp", TIMESTAMP)
    assert curl.stdout.endswith(
        "curl -X PUT \\\n  $WEBHOOKURL \\\n  -H 'Content-Type: text/plain'\n"
    )
