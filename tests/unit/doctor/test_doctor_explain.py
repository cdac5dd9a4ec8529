"""How `ldkit doctor` explains calls, without a network: triggers and
change-history entries in LaunchDarkly's shapes, replayed through the real
Dynatrace manifest and the serve fixture's generic trigger."""

from __future__ import annotations

import json
from pathlib import Path

from ldkit.doctor.explain import diagnose, toggle_from_entry
from ldkit.doctor.gather import manifest_lookup

REPO = Path(__file__).resolve().parents[3]
ROOT = REPO  # holds integrations/dynatrace
FIXTURE_ROOT = REPO / "tests" / "fixtures" / "serve"
T0 = 1_765_000_000_000
PROBLEM = {"title": "Failure rate increase", "url": "https://abc.live.dynatrace.com/#p1"}
TEST_RUN = {"title": "Dynatrace problem notification test run", "url": "https://example.com"}


def trigger(bodies, *, key="dynatrace", action="turnFlagOff", enabled=True) -> dict:
    return {
        "_id": "65f1c0de3b0e4a1f2c9d8e7a",
        "_integrationKey": key,
        "instructions": [{"kind": action}],
        "enabled": enabled,
        "_triggerCount": len(bodies),
        "_recentTriggerBodies": [
            {"timestamp": t, "jsonBody": body} for t, body in reversed(bodies)
        ],
    }


def entry(entry_id: str, date: int, on: bool, body=None, title=None) -> dict:
    verb = "turned on" if on else "turned off"
    return {
        "_id": entry_id,
        "date": date,
        "titleVerb": verb,
        "title": title or f"Dynatrace trigger {verb} the flag checkout in production",
        "triggerBody": body,
    }


def run(triggers, entries, *, flag_on, complete=True, root=ROOT, integration=None):
    return diagnose(
        project="default",
        flag="checkout",
        environment="production",
        flag_on=flag_on,
        triggers=triggers,
        entries=entries,
        history_complete=complete,
        manifests=manifest_lookup(integration, root),
    )


def outcomes(diagnosis):
    return [(c.event_name, c.outcome) for c in diagnosis.triggers[0].calls]


def test_calls_are_explained_in_order_with_the_state_the_history_gives():
    diagnosis = run(
        [trigger([(T0, TEST_RUN), (T0 + 10, PROBLEM), (T0 + 20, PROBLEM)])],
        [entry("e1", T0 + 10, on=False, body=PROBLEM)],
        flag_on=False,
    )
    assert outcomes(diagnosis) == [
        ("Dynatrace problem notification test run", "test-event"),
        ("Failure rate increase", "applied"),
        ("Failure rate increase", "no-change"),
    ]
    calls = diagnosis.triggers[0].calls
    assert [(c.flag_on_before, c.flag_on_after) for c in calls] == [
        (True, True),
        (True, False),
        (False, False),
    ]
    assert calls[1].entry == "e1" and calls[0].entry is None
    assert calls[0].fixes == []  # Dynatrace's own test run: nothing to fix


def test_a_change_no_kept_call_made_moves_the_state_at_its_time():
    api_on = entry("api", T0 + 15, on=True, title="Ann turned on the flag checkout")
    diagnosis = run(
        [trigger([(T0 + 10, PROBLEM), (T0 + 20, PROBLEM)])],
        [
            entry("e1", T0 + 10, on=False, body=PROBLEM),
            api_on,
            entry("e2", T0 + 20, False, PROBLEM),
        ],
        flag_on=False,
    )
    assert [c.outcome for c in diagnosis.triggers[0].calls] == ["applied", "applied"]
    assert [c.entry for c in diagnosis.triggers[0].calls] == ["e1", "e2"]
    assert [t.id for t in diagnosis.other_changes] == ["api"]


def test_a_payload_without_title_gets_the_fallback_name_and_the_fix():
    wrong = {"ProblemTitle": "Response time degradation"}
    diagnosis = run([trigger([(T0, wrong)])], [], flag_on=False)
    [call] = diagnosis.triggers[0].calls
    assert (call.event_name, call.outcome) == ("An alert", "no-change")
    assert any("fallback 'An alert' (nothing usable at '/title')" in f for f in call.fixes)
    assert any(f.startswith("url is null") for f in call.fixes)


def test_an_empty_kept_body_says_launchdarkly_kept_no_json():
    diagnosis = run([trigger([(T0, {})])], [], flag_on=False)
    [call] = diagnosis.triggers[0].calls
    assert any(f.startswith("LaunchDarkly kept no JSON object") for f in call.fixes)


def test_a_test_notification_the_pattern_misses_is_named_as_the_cause(tmp_path):
    manifest = (REPO / "integrations" / "dynatrace" / "manifest.json").read_text()
    folder = tmp_path / "integrations" / "dynatrace"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(
        manifest.replace("^Dynatrace problem notification test run$", "^Dynatrace test$")
    )
    diagnosis = run(
        [trigger([(T0, TEST_RUN)])],
        [entry("e1", T0, on=False, body=TEST_RUN)],
        flag_on=False,
        root=tmp_path,
    )
    [call] = diagnosis.triggers[0].calls
    assert (call.is_test, call.outcome, call.entry) == (False, "applied", "e1")
    assert any("looks like a test notification" in f for f in call.fixes)


def test_the_schema_default_pattern_taking_a_real_alert_for_a_test_is_a_fix(tmp_path):
    folder = tmp_path / "integrations" / "generic-trigger"
    folder.mkdir(parents=True)
    manifest = json.loads(
        (FIXTURE_ROOT / "integrations" / "generic-trigger" / "manifest.json").read_text()
    )
    del manifest["capabilities"]["trigger"]["testEventNameRegexp"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    body = {"eventName": "latest deploy failed"}
    diagnosis = run(
        [trigger([(T0, body)], key="generic-trigger", action="turnFlagOn")],
        [],
        flag_on=False,
        root=tmp_path,
    )
    [call] = diagnosis.triggers[0].calls
    assert (call.is_test, call.outcome) == (True, "test-event")
    assert any("only because it matches the schema default" in f for f in call.fixes)


def test_a_disabled_trigger_whose_call_changed_nothing_is_disabled():
    diagnosis = run([trigger([(T0, PROBLEM)], enabled=False)], [], flag_on=True)
    [call] = diagnosis.triggers[0].calls
    assert call.outcome == "disabled"
    assert call.flag_on_after is True


def test_what_doctor_cannot_tell_is_unknown_with_the_reason(tmp_path):
    # No manifest for the trigger's integration.
    diagnosis = run([trigger([(T0, PROBLEM)], key="honeycomb")], [], flag_on=True)
    [call] = diagnosis.triggers[0].calls
    assert call.outcome == "unknown"
    assert "integrations/honeycomb/manifest.json; pass --integration DIR" in call.reason
    # A call older than the change history read.
    older = run(
        [trigger([(T0, PROBLEM)])],
        [entry("e9", T0 + 1000, on=True, title="Ann turned on the flag")],
        flag_on=True,
        complete=False,
    )
    assert older.triggers[0].calls[0].outcome == "unknown"
    assert "older than the change history read" in older.triggers[0].calls[0].reason


def test_an_integration_key_from_the_api_is_never_a_path():
    for key in ("../../etc", "/etc", "a/b", ".."):
        diagnosis = run([trigger([(T0, PROBLEM)], key=key)], [], flag_on=True)
        report = diagnosis.triggers[0]
        assert report.problem is not None and "is not a folder name" in report.problem


def test_only_on_off_entries_are_toggles():
    assert toggle_from_entry({"_id": "a", "date": 1, "titleVerb": "updated the flag"}) is None
    assert toggle_from_entry({"_id": "a", "date": "1", "titleVerb": "turned on"}) is None
    assert toggle_from_entry(["not", "an", "entry"]) is None
    toggle = toggle_from_entry({"_id": "a", "date": 1, "titleVerb": "turned off the flag"})
    assert toggle is not None and toggle.on is False


def test_hostile_shapes_from_the_api_do_not_break_it():
    broken = [
        "not a trigger",
        {"_integrationKey": 7, "_recentTriggerBodies": "x"},
        {
            "_id": "t",
            "_integrationKey": "dynatrace",
            "instructions": [{"kind": "turnFlagOff"}],
            "_recentTriggerBodies": [{"timestamp": "x"}, {"timestamp": 1, "jsonBody": [1, 2]}],
        },
    ]
    diagnosis = run(broken, [{"_id": 1}, "x"], flag_on=True)
    assert len(diagnosis.triggers) == 2
    [call] = diagnosis.triggers[1].calls
    assert call.outcome == "unknown"  # it would act, and no entry says it did
    assert diagnosis.to_dict()["triggers"][1]["calls"][0]["eventName"] == "An alert"


def test_timestamps_and_dates_no_clock_can_show_are_not_calls_or_changes():
    from ldkit.doctor.text import render

    hostile = [
        (-(10**18), PROBLEM),  # before year 1: datetime refuses it
        (10**20, PROBLEM),  # after year 9999
        (True, PROBLEM),  # JSON true is no timestamp
        (T0, PROBLEM),
    ]
    entries = [
        entry("far", 10**20, True, title="someone turned on the flag"),
        entry("past", -(10**18), True, title="someone turned on the flag"),
    ]
    diagnosis = run([trigger(hostile)], entries, flag_on=False)
    assert [c.timestamp for c in diagnosis.triggers[0].calls] == [T0]
    assert diagnosis.toggles == []
    assert "2025-12-06" in render(diagnosis)  # T0 is shown; nothing raised
