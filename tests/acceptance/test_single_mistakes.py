"""One mistake, one finding (issue 21): every case of the single-mistake corpus
(`tests/fixtures/mistakes/`, one file per file kind) draws exactly the one
finding it names, at its file, line, rule and severity, and nothing else.

A follow-on finding a user reports becomes a case there."""

from __future__ import annotations

from pathlib import Path

import pytest

from single_mistakes import ARGS, Mistake, corpus, verdict

CASES = corpus()


def test_the_corpus_covers_every_file_kind_with_at_least_60_mistakes():
    kinds = {m.kind for m in CASES}
    assert kinds == {
        "manifest",
        "template",
        "payload",
        "sample",
        "case",
        "expected",
        "icon",
        "configuration",
    }
    assert len(CASES) >= 60


def _param(mistake: Mistake):
    """A case ldkit does not get right yet says so (`known_gap`), and fails
    the run once it is fixed, so that the mark is removed."""
    gap = mistake.case.get("known_gap")
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(mistake, id=mistake.id, marks=marks)


@pytest.mark.parametrize("mistake", [_param(m) for m in CASES])
def test_a_single_mistake_draws_exactly_its_finding(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mistake: Mistake
):
    mistake.make(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run(*ARGS)
    assert verdict(mistake, result.exit_code, result.stdout, result.stderr) is None
