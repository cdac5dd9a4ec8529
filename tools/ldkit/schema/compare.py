"""What one manifest schema accepts that another does not, field by field.

Two schemas written in different styles (ldkit's `additionalProperties: false`
and one file per capability; LaunchDarkly's `propertyNames` enums and shared
parser files) are compared by what they accept, not by their text: each is
flattened into the fields a manifest can have (`capabilities.trigger.parser.url`,
`formVariables[]`), and for each field the facts that decide acceptance (type,
allowed keys, required keys, allowed values, length and count limits,
pattern, format). Titles and descriptions are ignored.

Used by `ldkit validate` to say how a checkout's schema differs from the
bundled one, and by the procedure for updating the bundled schema
(`python -m ldkit.schema.compare_cli`), whose `--plan` is `plan` below: what
the bundled schema would need to match a checkout, one step per bundled file
and definition, in the order to apply it (shared definitions first, since a
change there reaches every place that uses them; then capability files, new
capability files, base.json, and the records). It compares schema trees and
knows nothing of where they come from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Facts compared at every field, besides its allowed and required keys.
FACTS = (
    "type",
    "enum",
    "const",
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minProperties",
    "maxProperties",
)
#: The JSON types a fact can reject; on a field of other types it is a no-op
#: (LaunchDarkly's schema has a few, such as `minLength` on an array) and is
#: not compared.
_APPLIES_TO = {
    "pattern": {"string"},
    "format": {"string"},
    "minLength": {"string"},
    "maxLength": {"string"},
    "minItems": {"array"},
    "maxItems": {"array"},
    "uniqueItems": {"array"},
    "minimum": {"number", "integer"},
    "maximum": {"number", "integer"},
    "exclusiveMinimum": {"number", "integer"},
    "exclusiveMaximum": {"number", "integer"},
    "multipleOf": {"number", "integer"},
    "minProperties": {"object"},
    "maxProperties": {"object"},
}
CAPABILITIES = "capabilities"
#: Stands for "any key" in a field name: the values of an open map.
ANY_KEY = "*"


@dataclass(frozen=True)
class Field:
    """What one schema says about one field of a manifest."""

    keys: frozenset[str] | None  # allowed keys of an object; None: any key
    required: frozenset[str]
    facts: tuple[tuple[str, str], ...]  # (fact, value as JSON text), only facts present

    def fact(self, name: str) -> str | None:
        return dict(self.facts).get(name)


def _child(location: str, key: str) -> str:
    return f"{location}.{key}" if location else key


def flatten(schema: Any, location: str = "") -> Iterator[tuple[str, Field]]:
    """Every field an inlined schema tree describes, with what it says about it.

    Alternatives (`anyOf`, `oneOf`, `allOf`) are flattened in place: neither
    schema uses them today, and a difference inside one still shows.
    """
    if not isinstance(schema, dict):
        return
    names = schema.get("propertyNames")
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    keys: frozenset[str] | None = None
    if isinstance(names, dict) and isinstance(names.get("enum"), list):
        keys = frozenset(str(k) for k in names["enum"])
    elif schema.get("additionalProperties") is False:
        keys = frozenset(properties)
    required = schema.get("required")
    declared = schema.get("type")
    types = set(declared) if isinstance(declared, list) else {declared} if declared else None
    facts = tuple(
        (name, json.dumps(_canonical(name, schema[name]), sort_keys=True))
        for name in FACTS
        if name in schema
        and (types is None or name not in _APPLIES_TO or types & _APPLIES_TO[name])
    )
    yield (
        location,
        Field(keys, frozenset(required) if isinstance(required, list) else frozenset(), facts),
    )
    for key, sub in properties.items():
        yield from flatten(sub, _child(location, key))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from flatten(extra, _child(location, ANY_KEY))
    items = schema.get("items")
    if isinstance(items, dict):
        yield from flatten(items, f"{location}[]")
    for combinator in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(combinator) or ():
            yield from flatten(sub, location)


def _canonical(fact: str, value: Any) -> Any:
    """The order of a type list does not change what it accepts."""
    if fact == "type" and isinstance(value, list):
        return sorted(value, key=str)
    return value


def _fields(schema: Any) -> dict[str, Field]:
    merged: dict[str, Field] = {}
    for location, found in flatten(schema):
        merged.setdefault(location, found)
    return merged


def enum_at(schema: Any, location: str) -> list[Any] | None:
    """The values a field allows (`formVariables[].type`), or None when the
    schema lists none there."""
    found = _fields(schema).get(location)
    value = found.fact("enum") if found is not None else None
    allowed = json.loads(value) if value is not None else None
    return allowed if isinstance(allowed, list) else None


def capability_names(schema: Any) -> frozenset[str]:
    """The capabilities a manifest schema knows."""
    found = _fields(schema).get(CAPABILITIES)
    return found.keys or frozenset() if found is not None else frozenset()


@dataclass
class Differences:
    """How schema `new` differs from schema `old`, in partner words."""

    capabilities_added: list[str] = field(default_factory=list)
    capabilities_removed: list[str] = field(default_factory=list)
    keys_added: list[str] = field(default_factory=list)  # "field.key"
    keys_removed: list[str] = field(default_factory=list)
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # field, fact, old, new

    def __bool__(self) -> bool:
        return any(
            (
                self.capabilities_added,
                self.capabilities_removed,
                self.keys_added,
                self.keys_removed,
                self.changes,
            )
        )

    def summary(self) -> str:
        """One line: what was added, removed and changed."""
        if not self:
            return "accepts the same manifests"
        parts = []
        for label, items in (
            ("capabilities added", self.capabilities_added),
            ("capabilities removed", self.capabilities_removed),
            ("keys added", self.keys_added),
            ("keys removed", self.keys_removed),
        ):
            if items:
                shown = ", ".join(items[:6]) + (
                    f" and {len(items) - 6} more" if len(items) > 6 else ""
                )
                parts.append(f"{label}: {shown}")
        if self.changes:
            shown = ", ".join(f"{where} {fact}" for where, fact, _, _ in self.changes[:4])
            more = f" and {len(self.changes) - 4} more" if len(self.changes) > 4 else ""
            parts.append(f"constraints changed: {shown}{more}")
        return "; ".join(parts)

    def lines(self) -> list[str]:
        """Every difference, one per line (what the compare script prints)."""
        out = [f"capability added: {name}" for name in self.capabilities_added]
        out += [f"capability removed: {name}" for name in self.capabilities_removed]
        out += [f"key added: {name}" for name in self.keys_added]
        out += [f"key removed: {name}" for name in self.keys_removed]
        out += [
            f"changed: {where or '(manifest)'} {fact}: {old} -> {new}"
            for where, fact, old, new in self.changes
        ]
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "capabilitiesAdded": self.capabilities_added,
            "capabilitiesRemoved": self.capabilities_removed,
            "keysAdded": self.keys_added,
            "keysRemoved": self.keys_removed,
            "changes": [
                {"field": where, "constraint": fact, "old": old, "new": new}
                for where, fact, old, new in self.changes
            ],
        }


def _inside(location: str, prefixes: set[str]) -> bool:
    return any(location == p or location.startswith((p + ".", p + "[")) for p in prefixes)


def compare(old: Any, new: Any) -> Differences:
    """What `new` accepts differently from `old` (both inlined schema trees)."""
    before, after = _fields(old), _fields(new)
    result = Differences()
    caps_before = before.get(CAPABILITIES, Field(None, frozenset(), ())).keys or frozenset()
    caps_after = after.get(CAPABILITIES, Field(None, frozenset(), ())).keys or frozenset()
    result.capabilities_added = sorted(caps_after - caps_before)
    result.capabilities_removed = sorted(caps_before - caps_after)
    skipped = {
        _child(CAPABILITIES, name)
        for name in result.capabilities_added + result.capabilities_removed
    }
    for location in sorted(set(before) | set(after)):
        if _inside(location, skipped):
            continue
        old_field, new_field = before.get(location), after.get(location)
        if old_field is None or new_field is None:
            continue  # a new or gone field shows as a key added or removed on its parent
        if location != CAPABILITIES:
            _compare_keys(location, old_field, new_field, result)
        if old_field.required != new_field.required:
            result.changes.append(
                (location, "required", _show(old_field.required), _show(new_field.required))
            )
        for fact in FACTS:
            was, now = old_field.fact(fact), new_field.fact(fact)
            if was != now:
                result.changes.append((location, fact, was or "none", now or "none"))
    return result


def _compare_keys(location: str, old: Field, new: Field, result: Differences) -> None:
    if old.keys == new.keys:
        return
    if old.keys is None or new.keys is None:
        what = "any key" if new.keys is None else "only its listed keys"
        was = "any key" if old.keys is None else "only its listed keys"
        result.changes.append((location, "keys", was, what))
        return
    result.keys_added += [_child(location, k) for k in sorted(new.keys - old.keys)]
    result.keys_removed += [_child(location, k) for k in sorted(old.keys - new.keys)]


def _show(keys: frozenset[str]) -> str:
    return "[" + ", ".join(sorted(keys)) + "]" if keys else "none"


def sources(schema: Any, location: str = "", base: str = "") -> dict[str, str]:
    """Field name -> `file#pointer` of the schema node that describes it, in a
    tree built with `mark=True` (`ldkit.schema.load.SOURCE`). The first place
    wins, as in `_fields`."""
    from ldkit.schema.load import SOURCE

    found: dict[str, str] = {}

    def walk(node: Any, where: str, at: str) -> None:
        if not isinstance(node, dict):
            return
        if isinstance(node.get(SOURCE), str):
            at = node[SOURCE]
        found.setdefault(where, at)
        properties = node.get("properties")
        for key, sub in (properties if isinstance(properties, dict) else {}).items():
            walk(sub, _child(where, key), f"{at}/properties/{_escape(key)}")
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], _child(where, ANY_KEY), f"{at}/additionalProperties")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{where}[]", f"{at}/items")
        for combinator in ("allOf", "anyOf", "oneOf"):
            for index, sub in enumerate(node.get(combinator) or ()):
                walk(sub, where, f"{at}/{combinator}/{index}")

    walk(schema, location, base)
    return found


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


#: The order files are edited in: what others refer to comes first.
_FILE_ORDER = ("definitions.json", "parsers.json")


@dataclass
class Step:
    """One edit of the bundled schema: a file and the node in it, and what to change."""

    target: str  # bundled `file#pointer`, or a file
    changes: list[str]
    template: str = ""  # where the checkout defines the same thing
    places: list[str] = field(default_factory=list)  # manifest fields the edit reaches

    def as_json(self) -> dict[str, Any]:
        return {
            "edit": self.target,
            "changes": self.changes,
            "checkout": self.template,
            "fields": self.places,
        }


def _rank(target: str) -> tuple[int, str]:
    name = target.split("#", 1)[0]
    if name in _FILE_ORDER:
        return (_FILE_ORDER.index(name), target)
    if name.startswith("capabilities/"):
        return (len(_FILE_ORDER), target)
    return (len(_FILE_ORDER) + 2, target)  # base.json: registers what the others define


def plan(old: Any, new: Any, differences: Differences) -> list[Step]:
    """What the bundled schema (`old`, a marked tree) needs to accept what the
    checkout's (`new`, marked) accepts, in the order to apply it."""
    ours, theirs = sources(old), sources(new)
    grouped: dict[str, Step] = {}

    def add(location: str, change: str) -> None:
        target = ours.get(location, "base.json#")
        step = grouped.setdefault(target, Step(target, [], theirs.get(location, "")))
        if change not in step.changes:
            step.changes.append(change)
        if location not in step.places:
            step.places.append(location)

    for name in differences.keys_added:
        parent, _, key = name.rpartition(".")
        add(parent, f"allow key {key!r}" + _defined(theirs.get(name)))
    for name in differences.keys_removed:
        parent, _, key = name.rpartition(".")
        add(parent, f"remove key {key!r}")
    for where, fact, was, now in differences.changes:
        add(where, _change(fact, was, now))
    steps = sorted(grouped.values(), key=lambda step: _rank(step.target))
    new_files = [
        Step(
            f"capabilities/{name}.json",
            [f"write the capability {name!r} in ldkit's style"],
            theirs.get(_child(CAPABILITIES, name), ""),
            [_child(CAPABILITIES, name)],
        )
        for name in differences.capabilities_added
    ]
    registration: list[Step] = []
    if differences.capabilities_added or differences.capabilities_removed:
        changes = [
            f"list {name!r} under capabilities.properties ($ref capabilities/{name}.json)"
            for name in differences.capabilities_added
        ] + [
            f"remove {name!r} from capabilities.properties and delete capabilities/{name}.json"
            for name in differences.capabilities_removed
        ]
        registration.append(Step("base.json#/properties/capabilities", changes, "", []))
    first_base = next((i for i, step in enumerate(steps) if _rank(step.target)[0] > 2), len(steps))
    ordered = steps[:first_base] + new_files + registration + steps[first_base:]
    if ordered:
        ordered.append(
            Step(
                "UPSTREAM",
                ["record the checkout's commit, and one `includes` line per change"],
            )
        )
        ordered.append(
            Step(
                "tests/fixtures/schema/constraints.json",
                ["add a valid and an invalid case for every changed constraint"],
            )
        )
    return ordered


def _change(fact: str, was: str, now: str) -> str:
    """One constraint change as an edit: for an enum, the values to add and remove."""
    if fact == "enum":
        before, after = _values(was), _values(now)
        if before is not None and after is not None:
            edits = []
            if added := [v for v in after if v not in before]:
                edits.append("add " + ", ".join(json.dumps(v) for v in added))
            if removed := [v for v in before if v not in after]:
                edits.append("remove " + ", ".join(json.dumps(v) for v in removed))
            return f"enum: {'; '.join(edits) or 'reorder'}"
    return f"{fact}: {was} -> {now}"


def _values(text: str) -> list[Any] | None:
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, list) else None


def _defined(source: str | None) -> str:
    return f" (as the checkout's {source})" if source else ""


def plan_lines(steps: list[Step]) -> list[str]:
    """The plan as the compare script prints it."""
    if not steps:
        return ["nothing to do: the bundled schema accepts what the checkout's accepts"]
    out = ["to make the bundled schema (schemas/manifest/) match the checkout, in this order:"]
    for number, step in enumerate(steps, 1):
        seen = f" (the checkout's {step.template})" if step.template else ""
        out.append(f"{number}. {step.target}{seen}")
        out += [f"   - {change}" for change in step.changes]
        if len(step.places) > 1:
            shown = ", ".join(step.places[:4])
            more = f" and {len(step.places) - 4} more" if len(step.places) > 4 else ""
            out.append(f"   reaches {len(step.places)} fields: {shown}{more}")
    return out
