"""LaunchDarkly's manifest schema as ldkit holds it: the files, their registry, one tree.

The schema stays split into files under `schemas/manifest/` (one per capability,
plus shared definitions) because that is how people read and review it;
validation wants it as one tree (`bundled_schema`). Nothing is ever fetched from
the network, and everything is read once per process (`lru_cache`), so a run
over a hundred manifests loads the schema once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ldkit.load.plain import parse_json
from ldkit.schema.files import schemas_root

if TYPE_CHECKING:
    from referencing import Registry

#: Base URI the schema files are registered under. Never fetched: the registry
#: holds every file up front and refuses anything else.
BASE_URI = "https://schemas.ldkit.invalid/manifest/"
ROOT_URI = BASE_URI + "base.json"

# Keywords that only annotate: they may sit next to a `$ref` (draft-07 ignores
# them there) and the fast acceptance check may skip them.
ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment", "$id"})
_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_ONE = ("additionalProperties", "items", "additionalItems", "contains", "propertyNames")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
#: Where an inlined node came from (`file#pointer`), in trees built with
#: `mark=True` for `ldkit.schema.compare`'s plan; never in a tree that validates.
SOURCE = "$ldkitSource"


class SchemaLoadError(RuntimeError):
    """ldkit's own schema files are missing, broken or refer outside themselves."""


def _refuse(uri: str) -> Any:
    raise SchemaLoadError(
        f"the manifest schema refers to {uri!r}, which is not one of ldkit's schema files; "
        "ldkit never fetches schemas from the network (reinstall ldkit if files are missing)"
    )


@lru_cache(maxsize=1)
def schema_files() -> tuple[tuple[str, bytes], ...]:
    """Every manifest schema file's bytes, by its path under `schemas/manifest/`,
    read once per process."""
    from ldkit.fs import FileRefused, read_bytes

    root = schemas_root() / "manifest"
    files: list[tuple[str, bytes]] = []
    for path in sorted(root.rglob("*.json")):
        try:
            files.append((path.relative_to(root).as_posix(), read_bytes(path, root=root)))
        except FileRefused as refused:
            raise SchemaLoadError(f"cannot load schema file {path}: {refused.detail}") from None
    return tuple(files)


@lru_cache(maxsize=1)
def schema_documents() -> dict[str, Any]:
    """Every manifest schema file by URI, parsed once per process.

    The files declare draft-07 for editors and readers; in memory the
    declaration goes. jsonschema switches to its stock Draft7Validator at any
    subschema that names its dialect, which would drop our ECMAScript `pattern`
    and Ajv `format` below the first `$ref` to a capability file.
    """
    root = schemas_root() / "manifest"
    documents: dict[str, Any] = {}
    for name, data in schema_files():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SchemaLoadError(
                f"cannot load schema file {root / name}: it is not UTF-8 text (byte {exc.start})"
            ) from None
        try:
            contents = parse_json(text)
        except ValueError as exc:
            raise SchemaLoadError(f"cannot load schema file {root / name}: {exc}") from None
        if isinstance(contents, dict):
            contents.pop("$schema", None)
        documents[BASE_URI + name] = contents
    if ROOT_URI not in documents:
        raise SchemaLoadError(f"{root / 'base.json'} is missing")
    return documents


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The one `referencing.Registry` of the process: our files, nothing fetched."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    resources = [(uri, DRAFT7.create_resource(c)) for uri, c in schema_documents().items()]
    return Registry(retrieve=_refuse).with_resources(resources).crawl()


def inline_refs(
    node: Any, resolver: Any, *, merge_siblings: bool = False, mark: bool = False
) -> Any:
    """`node` with every `$ref` replaced by its target, and `definitions` dropped.

    ldkit's own files put only annotations next to a `$ref`. A checkout of
    LaunchDarkly's repository is read the way its build reads it
    (json-schema-ref-parser's dereference): keys next to a `$ref` are merged
    over the target (`merge_siblings`). A `$ref` cycle is an error: neither
    schema has one, and a tree cannot hold one. With `mark`, every inlined
    target records where it came from under `SOURCE`.
    """
    return _inline(node, resolver, merge_siblings, (), mark)


def _inline(node: Any, resolver: Any, merge: bool, trail: tuple[int, ...], mark: bool) -> Any:
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if not merge and set(siblings) - ANNOTATIONS:
            raise SchemaLoadError(f"only annotations may sit next to $ref: {sorted(siblings)}")
        resolved = resolver.lookup(node["$ref"])
        if id(resolved.contents) in trail:
            raise SchemaLoadError(f"the schema refers to itself through $ref {node['$ref']!r}")
        target = _inline(
            resolved.contents, resolved.resolver, merge, (*trail, id(resolved.contents)), mark
        )
        if mark and isinstance(target, dict):
            target = {**target, SOURCE: resolved.source}
        # The referring node's title names the field better than the shared target's;
        # merged keys may hold schemas with references of their own.
        if merge:
            siblings = _inline(siblings, resolver, merge, trail, mark)
        return {**target, **siblings} if isinstance(target, dict) else target
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "definitions":
            continue  # everything in use is inlined where it is used
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            scope = resolver
            if merge and isinstance(value.get("$ref"), str):
                # A checkout may share a whole `properties` map by reference.
                shared = resolver.lookup(value["$ref"])
                value, scope = shared.contents, shared.resolver
            out[key] = {
                name: _inline(sub, scope, merge, trail, mark) for name, sub in value.items()
            }
        elif key in _SCHEMA_ONE or key == "not":
            out[key] = (
                [_inline(sub, resolver, merge, trail, mark) for sub in value]
                if isinstance(value, list)
                else _inline(value, resolver, merge, trail, mark)
            )
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_inline(sub, resolver, merge, trail, mark) for sub in value]
        else:
            out[key] = value
    return out


class _Resolved:
    def __init__(self, contents: Any, resolver: Any, source: str = "") -> None:
        self.contents = contents
        self.resolver = resolver
        self.source = source  # `file#pointer`, for marked trees


class _FileResolver:
    """Resolves our relative `$ref`s among `schema_documents()`, like the registry
    does, without importing `referencing` (a third of a cold run's schema cost).
    A test holds the bundle it builds equal to the one built through the registry."""

    def __init__(self, documents: dict[str, Any], base_uri: str) -> None:
        self.documents = documents
        self.base_uri = base_uri

    def lookup(self, ref: str) -> _Resolved:
        from urllib.parse import urldefrag, urljoin

        uri, fragment = urldefrag(urljoin(self.base_uri, ref))
        if uri not in self.documents:
            _refuse(uri)
        return _Resolved(
            follow_fragment(self.documents[uri], fragment, ref),
            _FileResolver(self.documents, uri),
            f"{uri.removeprefix(BASE_URI)}#{fragment}",
        )


def follow_fragment(document: Any, fragment: str, ref: str) -> Any:
    """The node a `#/a/b` fragment (RFC 6901, percent-decoded) names in `document`."""
    from urllib.parse import unquote

    node = document
    for token in unquote(fragment).split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(token)] if isinstance(node, list) else node[token]
        except (KeyError, IndexError, ValueError, TypeError):
            raise SchemaLoadError(f"$ref {ref!r} names nothing: no {token!r} there") from None
    return node


@lru_cache(maxsize=1)
def bundled_schema() -> dict:
    """base.json with every reference resolved, as one tree.

    Validating against it skips a URI lookup at every `$ref` (a fifth of the
    schema pass) and accepts exactly what the split files accept. The tree is
    built once per content of the files and kept in the user's cache
    (`ldkit.schema.cache`); later processes load it instead of building it.
    """
    from ldkit.schema.cache import cached_tree, content_key

    return cached_tree(content_key(schema_files()), build_bundled_schema)


def build_bundled_schema() -> dict:
    """The bundled tree, built from the files (what the cache stores)."""
    documents = schema_documents()
    return inline_refs(documents[ROOT_URI], _FileResolver(documents, ROOT_URI))


def bundled_marked() -> dict:
    """The bundled tree with every inlined node's file and pointer (`SOURCE`)."""
    documents = schema_documents()
    tree = inline_refs(documents[ROOT_URI], _FileResolver(documents, ROOT_URI), mark=True)
    return {**tree, SOURCE: "base.json#"}
