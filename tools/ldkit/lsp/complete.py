"""Completion: what may be typed at the cursor, from what judges or feeds the file.

* in a manifest, a replay case or a problem sample: the keys the schema that
  judges the file allows in the object at the cursor (not those already there),
  and a value's allowed values (enum, const);
* at a trigger parser's pointer: the pointers into the integration's sample bodies;
* in a Dynatrace payload (`payloads/*.json`): the placeholders Dynatrace documents;
* in a Handlebars template of an audit-log hook: the context paths it renders with.
"""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types

from ldkit.lsp import knowledge, positions
from ldkit.lsp.cursor import Place, place_at


def completions(path: Path, text: str, offset: int, encoding: str) -> list[types.CompletionItem]:
    if knowledge.is_payload(path):
        return _placeholders(path)
    if path.suffix in (".hbs", ".handlebars") or path.name.endswith(".json.hbs"):
        return _context_paths(path)
    schema = knowledge.schema_for(path)
    if schema is None:
        return []
    place = place_at(text, offset)
    if place.role == "key":
        return _keys(schema, place, text, encoding)
    if place.role == "value":
        items = _values(schema, place, text, encoding)
        if knowledge.PARSER_POINTER.match(place.pointer):
            items.extend(_pointers(path, place, text, encoding))
        return items
    return []


def _edit(place: Place, text: str, new_text: str, encoding: str) -> types.TextEdit | None:
    """Replace the string under the cursor, quotes included; None when there is none."""
    if place.token is None:
        return None
    return types.TextEdit(
        range=types.Range(
            start=positions.position_at(text, place.start, encoding),
            end=positions.position_at(text, place.end, encoding),
        ),
        new_text=new_text,
    )


def _keys(schema: dict, place: Place, text: str, encoding: str) -> list[types.CompletionItem]:
    items: list[types.CompletionItem] = []
    declared = knowledge.keys_of(knowledge.schemas_at(schema, place.container))
    for name, sub in declared.items():
        if name in place.siblings and name != place.key:
            continue
        quoted = json.dumps(name)
        edit = _edit(place, text, quoted, encoding)
        items.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Property,
                detail=sub.get("title") if isinstance(sub.get("title"), str) else None,
                documentation=sub.get("description")
                if isinstance(sub.get("description"), str)
                else None,
                text_edit=edit,
                insert_text=None if edit else f"{quoted}: ",
                filter_text=quoted if edit else name,
            )
        )
    return items


def _values(schema: dict, place: Place, text: str, encoding: str) -> list[types.CompletionItem]:
    items: list[types.CompletionItem] = []
    for value in knowledge.enum_of(knowledge.schemas_at(schema, place.pointer)):
        literal = json.dumps(value, ensure_ascii=False)
        edit = _edit(place, text, literal, encoding)
        items.append(
            types.CompletionItem(
                label=value if isinstance(value, str) else literal,
                kind=types.CompletionItemKind.EnumMember,
                text_edit=edit,
                insert_text=None if edit else literal,
                filter_text=literal if edit else None,
            )
        )
    return items


def _pointers(path: Path, place: Place, text: str, encoding: str) -> list[types.CompletionItem]:
    folder = knowledge.integration_of(path)
    if folder is None:
        return []
    seen: dict[str, list[str]] = {}
    for case, body in knowledge.sample_bodies(folder):
        for pointer in knowledge.pointers_in(body):
            seen.setdefault(pointer, []).append(case)
    items = []
    for pointer, cases in list(seen.items())[: knowledge.MAX_SUGGESTIONS]:
        literal = json.dumps(pointer)
        edit = _edit(place, text, literal, encoding)
        items.append(
            types.CompletionItem(
                label=pointer,
                kind=types.CompletionItemKind.Field,
                detail=f"in {len(cases)} sample case{'s' if len(cases) != 1 else ''}",
                text_edit=edit,
                insert_text=None if edit else literal,
                filter_text=literal if edit else None,
            )
        )
    return items


def _placeholders(path: Path) -> list[types.CompletionItem]:
    from ldkit.dynatrace.placeholders import CATALOGUE

    items = []
    for placeholder in CATALOGUE.values():
        bare = placeholder.kind.value == "json"
        items.append(
            types.CompletionItem(
                label=placeholder.token,
                kind=types.CompletionItemKind.Variable,
                detail="JSON value: not in quotes" if bare else "text: inside a JSON string",
                documentation=placeholder.meaning,
                insert_text=placeholder.token,
            )
        )
    return items


def _context_paths(path: Path) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(label=name, kind=types.CompletionItemKind.Field, insert_text=name)
        for name in knowledge.template_paths(path)
    ]
