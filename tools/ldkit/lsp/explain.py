"""Hover text: what a finding's rule means, what a key is, what a placeholder holds.

Every word comes from where ldkit already keeps it: a rule's title and
explanation from its declaration (`ldkit rules LD123` prints the same), a key's
description from the schema that judges the file, a Dynatrace placeholder's
meaning from `ldkit.dynatrace.placeholders` and its value from rendering a
sample, a parser pointer's value from the integration's own samples.
"""

from __future__ import annotations

import json
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
    from ldkit.catalogue import get_rule

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
    """What the cursor is on, apart from findings: a Dynatrace placeholder in a
    payload, a parser pointer (what it reads from each sample), a key or value
    (the schema's description). None when there is nothing to say."""
    from ldkit.lsp import knowledge

    if knowledge.is_payload(path):
        return _placeholder_markdown(path, text, offset)
    schema = knowledge.schema_for(path)
    if schema is None:
        return None
    from ldkit.lsp.cursor import place_at

    place = place_at(text, offset)
    if not place.role or (place.role == "key" and place.token is None):
        return None
    parts: list[str] = []
    if place.role == "value" and knowledge.PARSER_POINTER.match(place.pointer):
        reads = _pointer_reads(path, place.token)
        if reads:
            parts.append(reads)
    described = knowledge.describe(knowledge.schemas_at(schema, place.pointer))
    if described:
        parts.append(described)
    return "\n\n".join(parts) or None


def _placeholder_markdown(path: Path, text: str, offset: int) -> str | None:
    from ldkit.dynatrace.placeholders import CATALOGUE, TOKEN
    from ldkit.lsp import knowledge

    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end != -1 else len(text)]
    for match in TOKEN.finditer(line):
        if not match.start() <= offset - start <= match.end():
            continue
        name = match.group("name")
        if name is None:
            return (
                f"`{match.group(0)}`: the value of the tag `{match.group('tag')}` of the "
                "impacted entities; left as written when no entity has the tag"
            )
        placeholder = CATALOGUE.get(name)
        if placeholder is None:
            return None
        kind = (
            "text (belongs inside a JSON string)"
            if placeholder.kind.value == "text"
            else "JSON (stands bare, not in quotes)"
        )
        lines = [f"`{placeholder.token}`: {placeholder.meaning}; {kind}"]
        for source, value in knowledge.placeholder_values(name, knowledge.integration_of(path)):
            lines.append(f"- {source}: `{_short(value)}`")
        return "\n".join(lines)
    return None


def _pointer_reads(path: Path, pointer: str | None) -> str | None:
    """What a parser pointer reads from each sample case's body."""
    from ldkit.load.pointer import MISSING, is_valid, resolve
    from ldkit.lsp import knowledge

    folder = knowledge.integration_of(path)
    if folder is None or not pointer or not is_valid(pointer):
        return None
    bodies = knowledge.sample_bodies(folder)
    if not bodies:
        return None
    lines = [f"`{pointer}` reads, from the sample cases:"]
    for case, body in bodies[:10]:
        value = resolve(body, pointer)
        if value is MISSING:
            shown = "nothing there"
        else:
            shown = f"`{_short(json.dumps(value, ensure_ascii=False))}`"
        lines.append(f"- {case}: {shown}")
    return "\n".join(lines)


def _short(text: str, width: int = 80) -> str:
    text = text.replace("`", "'").replace("\n", " ")
    return text if len(text) <= width else text[: width - 3] + "..."
