"""The holes of a manifest schema: what it means to forbid but lets through.

LaunchDarkly's schema has constraints that never take effect and places with
no constraint at all; ldkit warns about them (LD150-LD156). Which places those
are is read from the schema that judges, never written down for one commit: a
checkout that closes a hole loses the warning, one that opens a new hole gains
it. Found in an inlined tree (either style, LaunchDarkly's `propertyNames` or
ldkit's `additionalProperties: false`), as fields named the way
`ldkit.schema.compare` names them (`capabilities.approval.creationRequest`,
`formVariables[].dynamicOptions.parser.optionsItems`):

* untyped objects: a node lists keys or required keys but has no `type`, so a
  string, a number or null passes;
* count intentions: an array carries string-length or object-size keywords
  (`minLength`, `maxProperties`), which validators ignore on arrays, and no
  item count of its own;
* open objects: a node lists properties but no key list, so a misspelt key
  passes and is ignored;
* unchecked keys: a key is allowed but nothing is said about its value.

A node whose `$comment` starts with "unseen" is not a hole but a definition
nobody has seen (the bundled schema accepts it on the evidence of a merged
manifest, see schemas/manifest/UPSTREAM): `find_unseen` lists those, and
`find_holes` leaves them out. `instances` finds the places a field names in
one manifest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ldkit.schema.load import ANNOTATIONS, SOURCE

#: Keywords that make a node describe an object.
_OBJECT_KEYWORDS = ("properties", "required", "propertyNames")
#: Keywords validators apply to strings or objects only; on an array they are
#: an intention nobody enforces. Mapped to the item-count keyword they stand for.
_COUNT_INTENTS = {
    "minLength": "minItems",
    "maxLength": "maxItems",
    "minProperties": "minItems",
    "maxProperties": "maxItems",
}
_NOT_CONSTRAINTS = ANNOTATIONS | {SOURCE, "$schema", "#id"}


@dataclass(frozen=True)
class CountIntent:
    """An array's intended item count, written with keywords that do not apply."""

    minimum: int | None
    maximum: int | None
    written: str  # the keywords as the schema writes them, for messages

    def allows(self, count: int) -> bool:
        return (self.minimum is None or count >= self.minimum) and (
            self.maximum is None or count <= self.maximum
        )

    def describe(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum} to {self.maximum}"
        if self.minimum is not None:
            return f"at least {self.minimum}"
        return f"at most {self.maximum}"


@dataclass
class Holes:
    """Every hole of one schema, by field."""

    untyped_objects: list[str] = field(default_factory=list)
    count_intents: dict[str, CountIntent] = field(default_factory=dict)
    open_objects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unchecked_keys: list[str] = field(default_factory=list)
    #: Fields whose object items require no key at all (so `{}` passes).
    nothing_required: set[str] = field(default_factory=set)


def _child(location: str, key: str) -> str:
    return f"{location}.{key}" if location else key


def _listed_keys(node: dict) -> list[str] | None:
    names = node.get("propertyNames")
    if isinstance(names, dict) and isinstance(names.get("enum"), list):
        return [str(k) for k in names["enum"]]
    if node.get("additionalProperties") is False:
        return list(node.get("properties") or {})
    return None


def _unconstrained(node: Any) -> bool:
    return node is True or (isinstance(node, dict) and not set(node) - _NOT_CONSTRAINTS)


UNSEEN = "unseen"


@dataclass(frozen=True)
class Unseen:
    """A field the schema accepts without anyone having seen LaunchDarkly's
    definition of it; `value`, when given, narrows it to one value (a form
    variable `type` of `codeEditor`)."""

    field: str
    value: str | None

    def describe(self) -> str:
        return f"{self.field} = {self.value!r}" if self.value is not None else self.field


def _unseen_mark(node: dict) -> tuple[bool, list[str]]:
    """(whole node unseen, unseen values) from a node's `$comment`."""
    comment = node.get("$comment")
    if not isinstance(comment, str) or not comment.startswith(UNSEEN):
        return False, []
    rest = comment[len(UNSEEN) :].lstrip()
    if rest.startswith("values"):
        listed = rest[len("values") :].lstrip()
        try:
            values, _ = json.JSONDecoder().raw_decode(listed)
        except ValueError:
            return False, []
        return False, [str(v) for v in values] if isinstance(values, list) else []
    return True, []


def _walk(node: Any, location: str = "") -> Iterator[tuple[str, dict]]:
    if not isinstance(node, dict):
        return
    yield location, node
    properties = node.get("properties")
    for key, sub in (properties if isinstance(properties, dict) else {}).items():
        yield from _walk(sub, _child(location, key))
    if isinstance(node.get("additionalProperties"), dict):
        yield from _walk(node["additionalProperties"], _child(location, "*"))
    if isinstance(node.get("items"), dict):
        yield from _walk(node["items"], f"{location}[]")


def find_unseen(tree: Any) -> tuple[Unseen, ...]:
    """Every unseen field (and unseen value) of a schema tree, by field."""
    found: list[Unseen] = []
    for location, node in _walk(tree):
        whole, values = _unseen_mark(node)
        if whole:
            found.append(Unseen(location, None))
        found += [Unseen(location, value) for value in values]
    return tuple(found)


def find_holes(tree: Any) -> Holes:
    """The holes of an inlined schema tree (unseen nodes left out)."""
    holes = Holes()

    def walk(node: Any, location: str) -> None:
        if not isinstance(node, dict) or _unseen_mark(node)[0]:
            return
        properties = node.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        declared = node.get("type")
        types = set(declared) if isinstance(declared, list) else {declared} if declared else set()
        if declared is None and any(k in node for k in _OBJECT_KEYWORDS) and location:
            holes.untyped_objects.append(location)
        if "array" in types and types <= {"array"}:
            intent = _count_intent(node)
            if intent is not None:
                holes.count_intents[location] = intent
            items = node.get("items")
            if isinstance(items, dict) and items.get("properties") and not items.get("required"):
                holes.nothing_required.add(location)
        keys = _listed_keys(node)
        if properties and keys is None and not isinstance(node.get("additionalProperties"), dict):
            holes.open_objects[location] = tuple(properties)
        for key in keys or ():
            sub = properties.get(key, True)
            if _unconstrained(sub) and not (isinstance(sub, dict) and _unseen_mark(sub)[0]):
                holes.unchecked_keys.append(_child(location, key))
        for key, sub in properties.items():
            walk(sub, _child(location, key))
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], _child(location, "*"))
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{location}[]")

    walk(tree, "")
    return holes


def _count_intent(node: dict) -> CountIntent | None:
    written = {k: node[k] for k in _COUNT_INTENTS if isinstance(node.get(k), int)}
    if not written or "minItems" in node or "maxItems" in node:
        return None
    low = [v for k, v in written.items() if _COUNT_INTENTS[k] == "minItems"]
    high = [v for k, v in written.items() if _COUNT_INTENTS[k] == "maxItems"]
    return CountIntent(
        max(low) if low else None,
        min(high) if high else None,
        ", ".join(f"{k} {v}" for k, v in written.items()),
    )


def _steps(field_name: str) -> list[tuple[str, bool]]:
    return [(p[:-2], True) if p.endswith("[]") else (p, False) for p in field_name.split(".")]


def present(manifest: object, unseen: Unseen) -> bool:
    """Whether the manifest has a value at the unseen field (equal to its
    `value`, when one is named)."""
    return any(
        unseen.value is None or value == unseen.value
        for _, value in instances(manifest, unseen.field)
    )


def instances(manifest: object, field_name: str) -> Iterator[tuple[tuple[str | int, ...], object]]:
    """(path, value) of every place in the manifest a field names; `[]` means
    every item of an array, `*` every key of an object."""
    found: list[tuple[tuple[str | int, ...], object]] = [((), manifest)]
    for key, each_item in _steps(field_name):
        step: list[tuple[tuple[str | int, ...], object]] = []
        for path, node in found:
            if not isinstance(node, dict):
                continue
            if key == "*":
                step += [((*path, name), value) for name, value in node.items()]
            elif key in node:
                step.append(((*path, key), node[key]))
        if each_item:
            step = [
                ((*path, index), item)
                for path, node in step
                if isinstance(node, list)
                for index, item in enumerate(node)
            ]
        found = step
    yield from found
