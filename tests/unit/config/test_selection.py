"""Which findings a selection keeps: rule codes and prefixes, globs relative to
the configuration's folder, negated globs, and baseline keys that ignore line
moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldkit.config import ConfigError, PathIgnore, Settings, check_codes, from_table
from ldkit.core.findings import Finding, Severity
from ldkit.report.baseline import key, normalise_message

KNOWN = ["LD100", "LD311", "LD402", "LD403"]


def _finding(path: str, rule: str = "LD311", message: str = "m", line: int = 3) -> Finding:
    return Finding(path, line, 1, rule, Severity.WARNING, message, "/x")


@pytest.mark.parametrize(
    ("glob", "path", "applies"),
    [
        ("integrations/other", "integrations/other/manifest.json", True),
        ("integrations/other/", "integrations/other/templates/a.hbs", True),
        ("integrations/*/manifest.json", "integrations/a/manifest.json", True),
        ("integrations/*", "integrations/a/replays/x.case.json", True),
        ("integrations/**/*.hbs", "integrations/a/templates/flag.json.hbs", True),
        ("integrations/oth", "integrations/other/manifest.json", False),
        ("*.case.json", "integrations/a/replays/x.case.json", True),
        ("*.case.json", "integrations/a/manifest.json", False),
        ("!integrations/acme", "integrations/acme/manifest.json", False),
        ("!integrations/acme", "integrations/datadog/manifest.json", True),
    ],
)
def test_path_globs(glob: str, path: str, applies: bool) -> None:
    assert PathIgnore(glob, ("LD",)).applies(path) is applies


def test_codes_accept_ids_prefixes_and_bare_numbers() -> None:
    assert check_codes(["ld311", "LD4", "100", "LD"], "where", KNOWN) == (
        "LD311",
        "LD4",
        "LD100",
        "LD",
    )


@pytest.mark.parametrize("code", ["LD5", "LD3111", "E501", "LD31x", ""])
def test_codes_that_name_no_rule_are_refused_with_the_place(code: str) -> None:
    with pytest.raises(ConfigError, match=r"^pyproject.toml: ignore: unknown rule code"):
        check_codes([code], "pyproject.toml: ignore", KNOWN)


def test_select_ignore_and_per_path_ignores_combine(tmp_path: Path) -> None:
    settings = from_table(
        {
            "select": ["LD3", "LD4"],
            "extend-ignore": ["LD403"],
            "per-path-ignores": {"vendor/**": ["LD311"]},
        },
        None,
        tmp_path,
        KNOWN,
    )
    keeps = settings.keeps
    assert keeps(_finding(str(tmp_path / "mine/manifest.json"), "LD311"))
    assert not keeps(_finding(str(tmp_path / "vendor/a/manifest.json"), "LD311"))
    assert keeps(_finding(str(tmp_path / "vendor/a/manifest.json"), "LD402"))
    assert not keeps(_finding(str(tmp_path / "mine/manifest.json"), "LD403"))
    assert not keeps(_finding(str(tmp_path / "mine/manifest.json"), "LD100"))


def test_an_empty_selection_keeps_everything(tmp_path: Path) -> None:
    assert Settings(root=tmp_path).keeps(_finding("a/manifest.json", "LD100"))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"ignore": "LD311"}, "ignore must be a list of rule codes"),
        ({"strict": "yes"}, "strict must be true or false"),
        ({"per-path-ignores": ["a"]}, "per-path-ignores must be a table"),
        ({"per-path-ignores": {"a": "LD311"}}, "per-path-ignores 'a' must be a list"),
        ({"selcet": []}, "unknown setting 'selcet'; did you mean 'select'?"),
    ],
)
def test_malformed_settings_say_what_is_wrong(tmp_path: Path, table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        from_table(table, None, tmp_path, KNOWN)


def test_baseline_keys_ignore_numbers_and_lines_but_not_the_place(tmp_path: Path) -> None:
    path = str(tmp_path / "a" / "manifest.json")
    first = _finding(path, message="duplicate key 'x' (first defined on line 12)", line=14)
    moved = _finding(path, message="duplicate key 'x' (first defined on line 15)", line=17)
    assert key(first, tmp_path) == key(moved, tmp_path)
    assert key(first, tmp_path)[0] == "a/manifest.json"
    other_rule = _finding(path, rule="LD402", message=first.message)
    assert key(other_rule, tmp_path) != key(first, tmp_path)
    assert normalise_message("line 3, column 14") == "line #, column #"
