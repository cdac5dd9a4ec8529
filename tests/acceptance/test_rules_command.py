"""`ldkit rules`: the catalogue every finding's id leads to."""

from __future__ import annotations

import re

import pytest

from ldkit.catalogue import all_rules


def test_list_shows_every_registered_rule_with_severity_and_title_in_aligned_columns(run):
    result = run("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "SEVERITY", "TITLE"]
    rows = [line for line in lines[1:] if re.match(r"LD\d{3} ", line)]
    assert [row.split()[0] for row in rows] == list(all_rules())
    title_column = lines[0].index("TITLE")
    for row, cls in zip(rows, all_rules().values(), strict=True):
        assert row[title_column:] == cls.title
        assert row.split()[1] == str(cls.severity)
    assert f"{len(rows)} rules" in result.stdout


def test_list_as_json_carries_id_severity_title_and_upstream_flag(run):
    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    rules = result.json()["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert list(by_id) == list(all_rules())
    assert by_id["LD203"]["severity"] == "error"
    assert by_id["LD203"]["upstream"] is True
    assert by_id["LD220"]["upstream"] is False
    assert by_id["LD010"]["title"] == "Trailing whitespace"


def test_one_rule_prints_severity_enforcement_explanation_and_both_examples(run):
    result = run("rules", "LD206")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("LD206: oauthIntegrationKey is used by another integration\n")
    assert "severity: error" in text
    assert "enforced by LaunchDarkly: yes" in text
    assert "servicenow-normal" in text  # from the explanation
    assert "Bad:\n" in text and "Good:\n" in text
    assert '"oauthIntegrationKey": "my-tool"' in text


def test_a_rule_of_our_own_says_launchdarkly_does_not_enforce_it(run):
    assert "enforced by LaunchDarkly: no" in run("rules", "LD222").stdout


@pytest.mark.parametrize("spelling", ["ld203", "203", "LD0203"])
def test_rule_ids_are_accepted_in_lower_case_and_as_bare_numbers(run, spelling):
    result = run("rules", spelling)
    assert result.exit_code == 0
    assert result.stdout.startswith("LD203: ")


def test_one_rule_as_json(run):
    result = run("rules", "LD241", "--format", "json")
    assert result.exit_code == 0
    rule = result.json()
    assert rule["id"] == "LD241"
    assert "edgeGridAuth" in rule["good_example"]


def test_unknown_rule_exits_2_and_suggests_close_ids(run):
    result = run("rules", "LD2O3")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown rule id 'LD2O3'" in result.stderr
    assert "did you mean" in result.stderr and "LD203" in result.stderr


def test_unknown_number_suggests_its_numeric_neighbours(run):
    result = run("rules", "LD224")
    assert result.exit_code == 2
    assert "LD223" in result.stderr


def test_every_registered_rule_has_a_title_and_an_explanation():
    for rule_id, cls in all_rules().items():
        assert cls.title.strip(), rule_id
        assert cls.explanation.strip(), rule_id


def test_every_upstream_parity_and_formatting_rule_has_both_examples():
    for rule_id, cls in all_rules().items():
        if rule_id.startswith(("LD01", "LD2")):
            assert cls.bad_example.strip() and cls.good_example.strip(), rule_id
