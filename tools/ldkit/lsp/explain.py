"""Hover text: what a finding's rule means, what a key is, what a placeholder holds.

Every word comes from where ldkit already keeps it: a rule's title and
explanation from its declaration (`ldkit rules LD123` prints the same), a key's
description from the schema that judges the file, a Dynatrace placeholder's
meaning from `ldkit.dynatrace.placeholders` and its value from rendering a
sample, a parser pointer's value from the integration's own samples.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ldkit.core.rule import RuleDeclaration


@lru_cache(maxsize=1)
def _homepage() -> str | None:
    """The project's home page, as `pyproject.toml` declares it (None when ldkit
    runs from a source tree without installed metadata)."""
    from importlib import metadata

    try:
        urls = metadata.metadata("ld-integration-kit").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip() == "Homepage":
            return url.strip()
    return None


def docs_link(rule: type[RuleDeclaration]) -> str:
    """The rule's page: on the project's home page when it has one, else the
    page's path in the ldkit repository."""
    home = _homepage()
    return f"{home}/blob/main/{rule.doc_path()}" if home else rule.doc_path()


def rule_markdown(rule_id: str) -> str | None:
    """Markdown for a finding's rule: title, severity, explanation, examples, link."""
    from ldkit.rules import get_rule

    rule = get_rule(rule_id)
    if rule is None:
        return None
    parts = [f"**{rule.id}** ({rule.severity.value}): {rule.title}"]
    if rule.explanation:
        parts.append(rule.explanation.strip())
    if rule.bad_example:
        parts.append("Bad:\n```\n" + rule.bad_example.strip() + "\n```")
    if rule.good_example:
        parts.append("Good:\n```\n" + rule.good_example.strip() + "\n```")
    parts.append(f"[{rule.id} documentation]({docs_link(rule)})")
    return "\n\n".join(parts)


def context_markdown(path: Path, text: str, offset: int) -> str | None:
    """What the cursor is on, apart from findings: a key's schema description, a
    Dynatrace placeholder, a parser pointer. None when there is nothing to say."""
    return None
