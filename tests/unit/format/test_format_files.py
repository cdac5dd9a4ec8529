"""Which files a folder holds for `ldkit format`, and what `.prettierignore` leaves out."""

from __future__ import annotations

from pathlib import Path

from ldkit.format.files import IgnoreRules, json_files


def test_launchdarkly_ignores_apply_without_a_prettierignore(tmp_path: Path) -> None:
    for name in ["a/manifest.json", "a/manifest.schema.json", "b/tsconfig.json", "c/x.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    (tmp_path / "node_modules" / "p").mkdir(parents=True)
    (tmp_path / "node_modules" / "p" / "package.json").write_text("{}\n")
    found = json_files([tmp_path], tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/manifest.json"]


def test_a_prettierignore_in_the_base_folder_replaces_the_defaults(tmp_path: Path) -> None:
    (tmp_path / ".prettierignore").write_text("# comment\nintegrations/*/payloads/\n*.lock.json\n")
    for name in [
        "integrations/x/manifest.json",
        "integrations/x/payloads/p.json",
        "integrations/x/data.lock.json",
        "tsconfig.json",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    found = json_files([tmp_path / "integrations", tmp_path / "tsconfig.json"], tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "integrations/x/manifest.json",
        "tsconfig.json",
    ]


def test_gitignore_patterns() -> None:
    rules = IgnoreRules(["/root.json", "docs/**/*.json", "!docs/keep.json", "build/", "a?.json"])
    assert rules.ignores("root.json")
    assert not rules.ignores("sub/root.json")
    assert rules.ignores("docs/x/y/z.json")
    assert rules.ignores("docs/z.json")
    assert not rules.ignores("docs/keep.json")
    assert rules.ignores("build/out.json")
    assert not rules.ignores("build")
    assert rules.ignores("deep/ab.json")
    assert not rules.ignores("deep/abc.json")
    assert not rules.ignores("../outside.json")
