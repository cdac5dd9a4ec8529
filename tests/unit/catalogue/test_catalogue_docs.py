"""The rules reference in docs/rules/ is generated from the catalogue and must
not go stale: regenerate it with `python -m ldkit.catalogue.docs`."""

from __future__ import annotations

from conftest import REPO
from ldkit.catalogue import all_rules
from ldkit.catalogue.docs import pages, write
from ldkit.core.rule import RULES_DOCS

DOCS = REPO / RULES_DOCS


def test_the_committed_rules_reference_is_what_the_catalogue_generates():
    expected = pages()
    committed = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    stale = sorted(name for name in expected if committed.get(name) != expected[name])
    extra = sorted(set(committed) - set(expected))
    hint = "run `python -m ldkit.catalogue.docs` from the repository root"
    assert not stale, f"stale or missing pages {stale}; {hint}"
    assert not extra, f"pages of rules that no longer exist {extra}; {hint}"


def test_every_rule_has_a_page_that_ldkit_rules_and_sarif_point_to():
    for rule_id, rule in all_rules().items():
        assert rule.doc_path() == f"docs/rules/{rule_id}.md"
        assert (REPO / rule.doc_path()).is_file()
        assert f"[{rule_id}]({rule_id}.md)" in (DOCS / "index.md").read_text(encoding="utf-8")


def test_the_generator_writes_only_what_changed_and_removes_pages_of_gone_rules(tmp_path):
    (tmp_path / "LD999.md").write_text("a rule that is gone\n", encoding="utf-8")
    first = write(tmp_path)
    assert len(first) == len(all_rules()) + 1
    assert not (tmp_path / "LD999.md").exists()
    assert write(tmp_path) == []


def test_ldkit_rules_and_the_sarif_report_point_at_the_page(run):
    explained = run("rules", "LD402")
    assert "More: docs/rules/LD402.md in the ldkit repository" in explained.stdout
    assert run("rules", "LD402", "--format", "json").json()["docs"] == "docs/rules/LD402.md"
    fixture = REPO / "tests" / "fixtures" / "triggerrules" / "no-test-regexp"
    sarif = run("validate", fixture, "--format", "sarif").json()
    [descriptor] = [
        rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"] if rule["id"] == "LD402"
    ]
    assert descriptor["helpUri"] == "docs/rules/LD402.md"


def test_the_committed_id_index_is_every_catalogue_id_in_order():
    from ldkit.catalogue.docs import INDEX, index_module
    from ldkit.catalogue.index import RULE_IDS

    assert RULE_IDS == tuple(all_rules())
    assert INDEX.read_text(encoding="utf-8") == index_module(all_rules()), (
        "run `python -m ldkit.catalogue.docs` from the repository root"
    )


def test_looking_a_configuration_code_up_imports_no_rule_module():
    import subprocess
    import sys

    probe = (
        "import sys; from ldkit.config import _rule_ids; _rule_ids(); "
        "print(sorted(m for m in sys.modules if m.startswith(('ldkit.rules', 'ldkit.schema'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
