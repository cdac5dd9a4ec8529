"""`ldkit new KEY`: a scaffold that is valid from the start, answers checked up
front, values escaped in every file format, and no clobbering."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import NEW_ANSWERS

REQUIRED = NEW_ANSWERS


def _new(run, root: Path, key: str = "acme-alerts", *extra: str, input: str | None = None):
    args = ["new", key, "--root", root]
    if input is None:
        args += ["--no-input", *REQUIRED]
    return run(*args, *extra, input=input)


def _manifest(root: Path, key: str = "acme-alerts") -> dict:
    return json.loads((root / "integrations" / key / "manifest.json").read_text("utf-8"))


def test_no_input_with_the_required_options_creates_every_file_of_a_trigger_integration(
    run, tmp_path
):
    result = _new(run, tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    folder = tmp_path / "integrations" / "acme-alerts"
    created = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert {
        "LICENSE.md",
        "README.md",
        "assets/images/horizontal.svg",
        "assets/images/square.svg",
        "manifest.json",
        "replays/example-event.case.json",
        "replays/test-event.case.json",
    } <= set(created)
    assert f"Created {folder}" in result.stdout
    assert f"ldkit validate {folder}" in result.stdout


def test_defaults_fill_name_overview_description_categories_and_the_trigger(run, tmp_path):
    _new(run, tmp_path)
    manifest = _manifest(tmp_path)
    assert manifest["name"] == "Acme Alerts"
    assert (
        manifest["overview"]
        == "Turn LaunchDarkly flags on or off when Acme Alerts raises an alert."
    )
    assert 50 <= len(manifest["description"]) <= 2048
    assert manifest["author"] == "Acme Inc."
    assert manifest["supportEmail"] == "support@acme.example"
    assert manifest["links"] == {
        "site": "https://acme.example",
        "privacyPolicy": "https://acme.example/privacy",
    }
    assert manifest["categories"] == ["monitoring"]
    assert manifest["icons"] == {
        "square": "assets/images/square.svg",
        "horizontal": "assets/images/horizontal.svg",
    }
    assert manifest["capabilities"] == {
        "trigger": {
            "documentation": "https://acme.example",
            "parser": {"eventName": "/eventName", "value": "/value", "url": "/url"},
            "testEventNameRegexp": "^Test notification$",
        }
    }


def test_the_scaffolded_manifest_draws_no_finding(run, tmp_path):
    _new(run, tmp_path)
    result = run(
        "validate", tmp_path / "integrations" / "acme-alerts" / "manifest.json", "--format", "json"
    )
    assert result.exit_code == 0
    assert result.json()["files"][0]["findings"] == []


def test_the_scaffold_passes_validate_and_replay_straight_away(run, tmp_path):
    created = _new(run, tmp_path, "acme-alerts", "--name", 'Acme "Alerts" \\ <Ops>')
    assert created.exit_code == 0, created.stderr
    assert "note:" not in created.stderr
    folder = tmp_path / "integrations" / "acme-alerts"
    for name in ("test-event", "example-event"):
        assert f"{folder / 'replays' / name}.expected.json" in created.stdout
    checked = run("validate", folder, "--format", "json")
    assert checked.exit_code == 0
    assert checked.json()["summary"] == {"files": 3, "errors": 0, "warnings": 0}
    replayed = run("replay", folder)
    assert replayed.exit_code == 0, replayed.stdout
    assert "2 passed, 0 failed" in replayed.stdout
    test_event = json.loads((folder / "replays" / "test-event.expected.json").read_text("utf-8"))
    assert (test_event["outcome"], test_event["isTest"]) == ("test-event", True)
    event = json.loads((folder / "replays" / "example-event.expected.json").read_text("utf-8"))
    assert event["outcome"] == "applied"
    assert event["entry"]["actor"]["name"] == 'Acme "Alerts" \\ <Ops> trigger'


def test_the_audit_log_capability_adds_form_variables_endpoint_and_a_template(run, tmp_path):
    result = _new(run, tmp_path, "acme-events", "--capability", "auditLogEventsHook")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "integrations" / "acme-events"
    manifest = _manifest(tmp_path, "acme-events")
    assert [v["key"] for v in manifest["formVariables"]] == ["apiToken", "url"]
    hook = manifest["capabilities"]["auditLogEventsHook"]
    assert hook["endpoint"]["url"] == "{{url}}/api/events"
    assert hook["templates"] == {"flag": "templates/flag.json.hbs"}
    assert "trigger" not in manifest["capabilities"]
    assert (folder / "templates" / "flag.json.hbs").is_file()
    assert not (folder / "replays").exists()
    assert manifest["overview"] == "Send LaunchDarkly flag changes to Acme Events."
    checked = run("validate", folder / "manifest.json", "--format", "json")
    assert checked.json()["files"][0]["findings"] == []


def test_both_capabilities_together_give_one_valid_capabilities_object(run, tmp_path):
    result = _new(run, tmp_path, "acme", "--capability", "trigger,auditLogEventsHook")
    assert result.exit_code == 0, result.stderr
    assert list(_manifest(tmp_path, "acme")["capabilities"]) == ["auditLogEventsHook", "trigger"]


def test_quotes_backslashes_and_markup_in_answers_stay_valid_json_and_svg(run, tmp_path):
    name = 'Acme "Q" \\ <&> Ünïcode'
    author = 'O\'Brien "&" Sons \\ Co'
    result = run(
        "new", "acme", "--root", tmp_path, "--no-input", *REQUIRED[2:],
        "--author", author, "--name", name,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    manifest = _manifest(tmp_path, "acme")
    assert (manifest["name"], manifest["author"]) == (name, author)
    folder = tmp_path / "integrations" / "acme"
    for icon in ("square", "horizontal"):
        svg = ET.parse(folder / "assets" / "images" / f"{icon}.svg").getroot()
        assert svg.get("aria-label") == name
    case = json.loads((folder / "replays" / "example-event.case.json").read_text("utf-8"))
    assert (
        case["description"]
        == f"An alert from {name} turns the flag off and links back to the alert"
    )


def test_a_newline_in_the_overview_is_refused_before_anything_is_written(run, tmp_path):
    result = _new(run, tmp_path, "acme", "--overview", "First line.\nSecond line.")
    assert result.exit_code == 2
    assert "the overview must be one line" in result.stderr
    assert not (tmp_path / "integrations").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--overview", "No period at the end", "must end with a period"),
        ("--overview", "Too short.", None),
        ("--description", "Short.", "the description must be 50 to 2048 characters long"),
        ("--support-email", "support at acme", "not an e-mail address LaunchDarkly accepts"),
        ("--site", "acme.example", "must be an http:// or https:// URL"),
        ("--category", "monitoring,telepathy", "unknown category telepathy; choose from: ai,"),
        ("--category", "ai,data,import,messaging", "give 1 to 3 categories"),
        ("--capability", "featureStore", "cannot scaffold featureStore; choose from: trigger"),
        ("--name", "Acme Trigger", "contains 'trigger'"),
    ],
)
def test_answers_the_schema_would_reject_are_refused_with_the_reason(
    run, tmp_path, option, value, message
):
    result = _new(run, tmp_path, "acme", option, value)
    if message is None:  # "Too short." has 10 characters: the minimum, so it is fine
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 2
    assert message in result.stderr
    assert option in result.stderr
    assert not (tmp_path / "integrations" / "acme").exists()


@pytest.mark.parametrize("key", ["Acme", "acme_alerts", "acme-", "ac me", "ac.me", ""])
def test_an_invalid_key_is_a_usage_error_that_says_what_a_key_may_contain(run, tmp_path, key):
    result = _new(run, tmp_path, key)
    assert result.exit_code == 2
    assert "use lowercase letters, digits and hyphens" in result.stderr


def test_an_existing_folder_is_never_overwritten(run, tmp_path):
    folder = tmp_path / "integrations" / "acme"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    result = _new(run, tmp_path, "acme")
    assert result.exit_code == 2
    assert f"{folder} already exists" in result.stderr
    assert (folder / "manifest.json").read_text(encoding="utf-8") == "{}"


def test_no_input_names_the_missing_required_option(run, tmp_path):
    result = run("new", "acme", "--root", tmp_path, "--no-input", *REQUIRED[:4])
    assert result.exit_code == 2
    assert "--site is required with --no-input" in result.stderr
    assert not (tmp_path / "integrations").exists()


def test_prompts_ask_for_each_answer_and_ask_again_after_a_bad_one(run, tmp_path):
    answers = [
        "trigger",  # capabilities
        "Monitor Trigger",  # name: refused for a trigger-only integration ...
        "Acme Monitor",  # ... and asked again
        "Lacks a period",  # overview: refused ...
        "Acme turns flags off.",  # ... and asked again
        "",  # description: default
        "Acme Inc.",  # author
        "not-an-email",  # refused ...
        "help@acme.example",
        "https://acme.example",
        "https://acme.example/privacy",
        "monitoring, automation",
        "",  # documentation: default (the website)
        "",  # LICENSE.md: default (yes)
    ]
    result = _new(run, tmp_path, "acme", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Display name [Acme]:" in result.stdout
    assert "the overview must end with a period" in result.stdout + result.stderr
    assert "not an e-mail address" in result.stdout + result.stderr
    assert "the name 'Monitor Trigger' contains 'trigger'" in result.stdout + result.stderr
    manifest = _manifest(tmp_path, "acme")
    assert manifest["name"] == "Acme Monitor"
    assert manifest["overview"] == "Acme turns flags off."
    assert manifest["description"].startswith("Connect Acme Monitor alerts to LaunchDarkly")
    assert manifest["supportEmail"] == "help@acme.example"
    assert manifest["categories"] == ["monitoring", "automation"]
    assert manifest["capabilities"]["trigger"]["documentation"] == "https://acme.example"
    assert "Apache-2.0 licence (the licence of LaunchDarkly's integrations" in result.stdout
    assert (tmp_path / "integrations" / "acme" / "LICENSE.md").is_file()


def test_running_out_of_input_at_a_prompt_is_a_usage_error_not_a_crash(run, tmp_path):
    result = _new(run, tmp_path, "acme", input="trigger\n")
    assert result.exit_code == 2
    assert "no answer for --name; in scripts pass the values as options" in result.stderr
    assert not (tmp_path / "integrations").exists()


def test_root_defaults_to_the_current_folder(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "acme", "--no-input", *REQUIRED)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "integrations" / "acme" / "manifest.json").is_file()


@pytest.mark.parametrize(("name", "squeezed"), [("Acme", False), ("Acme Observability", True)])
def test_the_horizontal_icon_squeezes_only_a_long_name_into_its_width(
    run, tmp_path, name, squeezed
):
    _new(run, tmp_path, "acme", "--name", name)
    svg = ET.parse(tmp_path / "integrations/acme/assets/images/horizontal.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    initials, label = svg.findall(f"{ns}text")
    assert label.text == name
    assert (label.get("textLength") == "152") is squeezed
    assert initials.text == ("A" if name == "Acme" else "AO")


@pytest.mark.skipif(not hasattr(__import__("os"), "symlink"), reason="needs symbolic links")
def test_an_integrations_folder_that_links_out_of_the_repository_is_not_written_through(
    run, tmp_path
):
    # A checkout whose integrations/ is a link elsewhere (a fork can commit
    # one) must not make `ldkit new` create files outside the repository.
    repo = tmp_path / "repo"
    repo.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "integrations").symlink_to(elsewhere, target_is_directory=True)
    result = _new(run, repo, "acme")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "cannot create" in result.stderr and "outside" in result.stderr
    assert list(elsewhere.iterdir()) == []
