"""What the server knows about a file, from where ldkit keeps it: which schema
judges it and what that schema says at a pointer, the Dynatrace placeholders
and their values for the samples, what a parser pointer reads from the sample
bodies, and the context a template is rendered with.

Hover (`explain`) and completion (`complete`) both ask here, so they never
disagree about a key, a placeholder or a pointer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ldkit.integration import CASE_SUFFIX, MANIFEST, PAYLOADS, PROBLEM_SUFFIX, SAMPLES, owner_of
from ldkit.load.pointer import child, split

#: At most this many suggestions from sample data (pointers, context paths).
MAX_SUGGESTIONS = 500
_COMBINATORS = ("allOf", "anyOf", "oneOf")
_BRANCHES = ("then", "else")
PARSER_POINTER = re.compile(r"\A/capabilities/trigger/parser/[^/]+\Z")


# -- which schema judges a file, and what it says -----------------------------


def schema_for(path: Path) -> dict | None:
    """The schema `ldkit validate` judges `path` with: a replay case's, a problem
    sample's, or the manifest schema (a checkout's own inside a checkout)."""
    name = path.name
    if name.endswith(CASE_SUFFIX):
        from ldkit.replay.cases import _case_schema

        return _case_schema()
    if name.endswith(PROBLEM_SUFFIX):
        from ldkit.checks.problem_sample import schema

        return schema()
    if name == MANIFEST:
        from ldkit.schema.judge import SchemaChoice
        from ldkit.schema.load import SchemaLoadError

        try:
            return SchemaChoice().for_manifest(path).tree
        except SchemaLoadError:
            return None
    return None


def _resolve(node: object, root: dict) -> object:
    """A local `$ref` (`#/...`) followed, a few levels at most."""
    for _ in range(16):
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            return node
        ref = node["$ref"]
        if not ref.startswith("#"):
            return node
        target: object = root
        try:
            tokens = split(ref[1:])
        except ValueError:
            return node
        for token in tokens:
            target = target.get(token) if isinstance(target, dict) else None
        node = {**(target if isinstance(target, dict) else {}), **_annotations(node)}
    return node


def _annotations(node: dict) -> dict:
    return {k: v for k, v in node.items() if k in ("title", "description")}


def _expand(node: object, root: dict, depth: int = 0) -> Iterator[dict]:
    """`node` and every schema its combinators and conditional branches hold."""
    node = _resolve(node, root)
    if not isinstance(node, dict) or depth > 12:
        return
    yield node
    for key in _COMBINATORS:
        for sub in node.get(key, []) if isinstance(node.get(key), list) else []:
            yield from _expand(sub, root, depth + 1)
    for key in _BRANCHES:
        if key in node:
            yield from _expand(node[key], root, depth + 1)


def schemas_at(root: dict, pointer: str) -> list[dict]:
    """Every subschema that can apply at `pointer` (a JSON pointer)."""
    current = list(_expand(root, root))
    for token in split(pointer):
        following: list[dict] = []
        for node in current:
            properties = node.get("properties")
            if isinstance(properties, dict) and token in properties:
                following.extend(_expand(properties[token], root))
                continue
            patterns = node.get("patternProperties")
            matched = False
            if isinstance(patterns, dict):
                for pattern, sub in patterns.items():
                    try:
                        hit = re.search(pattern, token) is not None
                    except re.error:
                        hit = False
                    if hit:
                        matched = True
                        following.extend(_expand(sub, root))
            if matched:
                continue
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                following.extend(_expand(extra, root))
            items = node.get("items")
            if isinstance(items, dict):
                following.extend(_expand(items, root))
            elif isinstance(items, list) and token.isdigit() and int(token) < len(items):
                following.extend(_expand(items[int(token)], root))
        current = following
        if not current:
            break
    return current


def describe(schemas: list[dict]) -> str | None:
    """The title and description the schemas give, first found."""
    for node in schemas:
        title, text = node.get("title"), node.get("description")
        if isinstance(text, str) and text:
            return f"**{title}**: {text}" if isinstance(title, str) and title else text
    for node in schemas:
        if isinstance(node.get("title"), str):
            return f"**{node['title']}**"
    return None


def keys_of(schemas: list[dict]) -> dict[str, dict]:
    """The member names the schemas declare, with the subschema of each."""
    found: dict[str, dict] = {}
    for node in schemas:
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                if isinstance(sub, dict):
                    found.setdefault(name, sub)
    return found


def enum_of(schemas: list[dict]) -> list[object]:
    """The values the schemas allow (enum, const), in order, once each."""
    values: list[object] = []
    for node in schemas:
        candidates = list(node.get("enum", [])) if isinstance(node.get("enum"), list) else []
        if "const" in node:
            candidates.append(node["const"])
        for value in candidates:
            if value not in values:
                values.append(value)
    return values


# -- Dynatrace placeholders ---------------------------------------------------


def is_payload(path: Path) -> bool:
    """A Dynatrace custom-payload template: `payloads/*.json` of an integration."""
    return path.parent.name == PAYLOADS and path.suffix == ".json"


def placeholder_values(name: str, folder: Path | None, limit: int = 3) -> list[tuple[str, str]]:
    """(input, value) of a placeholder for the test notification and up to
    `limit` problem samples of the integration."""
    from ldkit.dynatrace.values import from_sample, test_run
    from ldkit.fs import FileRefused, read_text

    found: list[tuple[str, str]] = []
    test = test_run()
    value = test.text.get(name, test.json.get(name))
    if value is not None:
        found.append(("the test notification", value))
    if folder is None:
        return found
    for sample in sorted((folder / SAMPLES).glob(f"**/*{PROBLEM_SUFFIX}"))[:limit]:
        try:
            values = from_sample(json.loads(read_text(sample, root=folder)))
        except (FileRefused, ValueError, TypeError, AttributeError, KeyError):
            continue
        value = values.text.get(name, values.json.get(name))
        if value is not None:
            found.append((sample.name, value))
    return found


# -- parser pointers and sample bodies ----------------------------------------


def sample_bodies(folder: Path) -> list[tuple[str, object]]:
    """(case, parsed JSON body) of the integration's sample cases (`sample`
    event or test), as the trigger receives them."""
    from ldkit.replay.samples import sample_requests

    bodies: list[tuple[str, object]] = []
    for item in sample_requests(folder):
        try:
            bodies.append((item.case, json.loads(item.request.body)))
        except (ValueError, UnicodeDecodeError):
            continue
    return bodies


def pointers_in(value: object, pointer: str = "", limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Every JSON pointer into `value` (members and items, depth first)."""
    found: list[str] = []
    pending: list[tuple[str, object]] = [(pointer, value)]
    while pending and len(found) < limit:
        here, node = pending.pop(0)
        if here:
            found.append(here)
        if isinstance(node, dict):
            pending.extend((child(here, key), sub) for key, sub in node.items())
        elif isinstance(node, list):
            pending.extend((child(here, str(i)), sub) for i, sub in enumerate(node[:20]))
    return found


def integration_of(path: Path) -> Path | None:
    """The integration folder `path` belongs to, or None."""
    from ldkit.integration import InputError

    if path.name == MANIFEST:
        return path.parent
    try:
        return owner_of(path)
    except InputError:
        return None


# -- template contexts --------------------------------------------------------


def template_paths(path: Path) -> list[str]:
    """The context paths a Handlebars template of an audit-log hook can use
    (`title`, `project.name`, ...), from the context LaunchDarkly's validator
    renders it with, for the kinds the manifest names this file for."""
    from ldkit.audit_log.contexts import template_context
    from ldkit.fs import FileRefused, read_text

    folder = integration_of(path)
    if folder is None:
        return []
    try:
        manifest = json.loads(read_text(folder / MANIFEST, root=folder))
    except (FileRefused, ValueError):
        return []
    hook = (
        manifest.get("capabilities", {}).get("auditLogEventsHook", {})
        if isinstance(manifest, dict) and isinstance(manifest.get("capabilities"), dict)
        else {}
    )
    templates = hook.get("templates", {}) if isinstance(hook, dict) else {}
    relative = path.resolve().relative_to(folder.resolve()).as_posix()
    kinds = [
        kind
        for kind, value in (templates.items() if isinstance(templates, dict) else [])
        if isinstance(value, str) and value.lstrip("./") == relative
    ] or ["flag"]
    paths: list[str] = []
    for kind in kinds:
        try:
            context = template_context(manifest, kind, escape_json=False)
        except (KeyError, TypeError, ValueError):
            continue
        for pointer in pointers_in(context):
            dotted = ".".join(split(pointer))
            if dotted not in paths and not any(part.isdigit() for part in split(pointer)):
                paths.append(dotted)
    return paths
