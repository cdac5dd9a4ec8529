"""Schema files in a folder, read the way LaunchDarkly's own build reads them.

Partners work in a fork of LaunchDarkly's integrations repository, and the
fork's `schemas/` folder is the schema their pull request will be judged by.
This module recognises such a checkout and turns its schema files into one
tree, as the repository's build does (json-schema-ref-parser, then Ajv 6):

* a `$ref` is a file path plus a JSON-pointer fragment; `base.json` writes its
  references from the repository root (`schemas/capabilities/trigger.json#/trigger`),
  every other file relative to itself (`../definitions.json#/endpoint`);
  ldkit's own files use file-relative references throughout, so the same
  reader loads both;
* keys written next to a `$ref` are merged over its target;
* `$id` values only label nodes (the build never resolves by them), so they
  are dropped, like every `$schema` below the root.

Nothing outside the folder's checkout is read, and nothing is fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ldkit.load.plain import parse_json
from ldkit.schema.load import SOURCE, SchemaLoadError, follow_fragment, inline_refs

#: Every LaunchDarkly manifest schema `$id` starts so
#: (`https://launchdarkly.com/schemas/v1.0/manifest.schema.json#` at 35c6f74).
LAUNCHDARKLY_ID_PREFIX = "https://launchdarkly.com/schemas/"
SCHEMAS = "schemas"
BASE = "base.json"
DEFINITIONS = "definitions.json"
CAPABILITIES = "capabilities"

_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_ONE = ("additionalProperties", "items", "additionalItems", "contains", "propertyNames")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_LABELS = ("$id", "$schema", "#id")


def _read_json(path: Path) -> Any:
    from ldkit.fs import FileRefused, read_text

    try:
        return parse_json(read_text(path, root=path.parent, errors="strict"))
    except FileRefused as refused:
        raise SchemaLoadError(f"cannot read schema file {path}: {refused.detail}") from None
    except ValueError as exc:
        raise SchemaLoadError(f"schema file {path} is not JSON: {exc}") from None


def has_schema_layout(folder: Path) -> bool:
    """`folder` holds base.json, definitions.json and capabilities/*.json."""
    capabilities = folder / CAPABILITIES
    return (
        (folder / BASE).is_file()
        and (folder / DEFINITIONS).is_file()
        and capabilities.is_dir()
        and any(capabilities.glob("*.json"))
    )


def schema_id(folder: Path) -> str | None:
    """The `$id` of the folder's base.json, if it declares one."""
    from ldkit.fs import FileRefused, read_text

    try:
        base = parse_json(read_text(folder / BASE, root=folder, errors="strict"))
    except (FileRefused, ValueError):
        return None
    value = base.get("$id") if isinstance(base, dict) else None
    return value if isinstance(value, str) else None


def is_checkout(root: Path) -> bool:
    """`root` is a checkout of LaunchDarkly's integrations repository: its
    `schemas/` folder has the layout and base.json has LaunchDarkly's `$id`."""
    folder = root / SCHEMAS
    found = schema_id(folder) if has_schema_layout(folder) else None
    return found is not None and found.startswith(LAUNCHDARKLY_ID_PREFIX)


def find_checkout(start: Path, seen: dict[Path, bool] | None = None) -> Path | None:
    """The checkout of LaunchDarkly's repository that holds `start`, if any.

    `seen` remembers, for one run, which folders are checkouts, so a hundred
    manifests of one repository read its base.json once.
    """
    seen = {} if seen is None else seen
    here = start.resolve()
    for folder in (here, *here.parents) if here.is_dir() else here.parents:
        if folder not in seen:
            seen[folder] = is_checkout(folder)
        if seen[folder]:
            return folder
    return None


def schema_folder(path: Path) -> Path:
    """The schema folder `--schema PATH` names: a checkout (its `schemas/`), or
    a folder with base.json, definitions.json and capabilities/ itself."""
    for folder in (path / SCHEMAS, path):
        if has_schema_layout(folder):
            return folder
    raise SchemaLoadError(
        f"{path}: no schema here; pass a checkout of LaunchDarkly's integrations repository "
        f"or a folder holding {BASE}, {DEFINITIONS} and {CAPABILITIES}/*.json"
    )


class _Resolved:
    def __init__(self, contents: Any, resolver: _PathResolver, source: str) -> None:
        self.contents = contents
        self.resolver = resolver
        self.source = source  # `path from the checkout root#pointer`, for marked trees


class _PathResolver:
    """Resolves `$ref`s by file path: relative to the referring file first, then
    to the checkout root (how base.json upstream writes them)."""

    def __init__(self, documents: dict[Path, Any], root: Path, current: Path) -> None:
        self.documents = documents
        self.root = root
        self.current = current

    def _document(self, path: Path) -> Any:
        if path not in self.documents:
            self.documents[path] = _read_json(path)
        return self.documents[path]

    def lookup(self, ref: str) -> _Resolved:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            raise SchemaLoadError(
                f"{self.current}: $ref {ref!r} points outside the checkout; ldkit never "
                "fetches schemas from the network"
            )
        target = self.current
        if parts.path:
            relative = unquote(parts.path)
            candidates = [
                (self.current.parent / relative).resolve(),
                (self.root / relative).resolve(),
            ]
            found = [c for c in candidates if c.is_file() and c.is_relative_to(self.root)]
            if not found:
                raise SchemaLoadError(f"{self.current}: $ref {ref!r} names no file in {self.root}")
            target = found[0]
        node = follow_fragment(self._document(target), parts.fragment, ref)
        source = f"{target.relative_to(self.root).as_posix()}#{parts.fragment}"
        return _Resolved(node, _PathResolver(self.documents, self.root, target), source)


def _drop_labels(node: Any) -> Any:
    """The inlined tree without `$id`/`$schema` labels, in schema positions only
    (a manifest key of that name inside `properties` stays)."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _LABELS:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _drop_labels(sub) for name, sub in value.items()}
        elif key in _SCHEMA_ONE or key == "not":
            out[key] = (
                [_drop_labels(sub) for sub in value]
                if isinstance(value, list)
                else _drop_labels(value)
            )
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_drop_labels(sub) for sub in value]
        else:
            out[key] = value
    return out


def load_tree(folder: Path, *, mark: bool = False) -> dict:
    """The folder's base.json with every `$ref` resolved, as one tree (with
    `mark`, each inlined node records its file and pointer under `SOURCE`)."""
    folder = folder.resolve()
    base = folder / BASE
    documents: dict[Path, Any] = {base: _read_json(base)}
    if not isinstance(documents[base], dict):
        raise SchemaLoadError(f"{base}: a schema must be a JSON object")
    resolver = _PathResolver(documents, folder.parent, base)
    try:
        tree = inline_refs(documents[base], resolver, merge_siblings=True, mark=mark)
    except RecursionError:
        raise SchemaLoadError(f"{base}: the schema nests too deeply to load") from None
    if mark:
        tree = {**tree, SOURCE: f"{base.relative_to(folder.parent).as_posix()}#"}
    return _drop_labels(tree)
