"""LaunchDarkly's manifest schema as ldkit holds it: the files, their registry, one tree.

The schema stays split into files under `schemas/manifest/` (one per capability,
plus shared definitions) because that is how people read and review it;
validation wants it as one tree (`bundled_schema`). Nothing is ever fetched from
the network, and everything is read once per process (`lru_cache`), so a run
over a hundred manifests loads the schema once.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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


class SchemaLoadError(RuntimeError):
    """ldkit's own schema files are missing, broken or refer outside themselves."""


def _refuse(uri: str) -> Any:
    raise SchemaLoadError(
        f"the manifest schema refers to {uri!r}, which is not one of ldkit's schema files; "
        "ldkit never fetches schemas from the network (reinstall ldkit if files are missing)"
    )


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
    for path in sorted(root.rglob("*.json")):
        try:
            contents = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaLoadError(f"cannot load schema file {path}: {exc}") from None
        if isinstance(contents, dict):
            contents.pop("$schema", None)
        documents[BASE_URI + path.relative_to(root).as_posix()] = contents
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


def _inline(node: Any, resolver: Any) -> Any:
    """`node` with every `$ref` replaced by its target (our schema has no cycles)."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if set(siblings) - ANNOTATIONS:
            raise SchemaLoadError(f"only annotations may sit next to $ref: {sorted(siblings)}")
        resolved = resolver.lookup(node["$ref"])
        target = _inline(resolved.contents, resolved.resolver)
        # The referring node's title names the field better than the shared target's.
        return {**target, **siblings} if isinstance(target, dict) else target
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "definitions":
            continue  # everything in use is inlined where it is used
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _inline(sub, resolver) for name, sub in value.items()}
        elif key in _SCHEMA_ONE or key == "not":
            out[key] = (
                [_inline(sub, resolver) for sub in value]
                if isinstance(value, list)
                else _inline(value, resolver)
            )
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_inline(sub, resolver) for sub in value]
        else:
            out[key] = value
    return out


class _Resolved:
    def __init__(self, contents: Any, resolver: _FileResolver) -> None:
        self.contents = contents
        self.resolver = resolver


class _FileResolver:
    """Resolves our relative `$ref`s among `schema_documents()`, like the registry
    does, without importing `referencing` (a third of a cold run's schema cost).
    A test holds the bundle it builds equal to the one built through the registry."""

    def __init__(self, documents: dict[str, Any], base_uri: str) -> None:
        self.documents = documents
        self.base_uri = base_uri

    def lookup(self, ref: str) -> _Resolved:
        from urllib.parse import unquote, urldefrag, urljoin

        uri, fragment = urldefrag(urljoin(self.base_uri, ref))
        if uri not in self.documents:
            _refuse(uri)
        node = self.documents[uri]
        for token in unquote(fragment).split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return _Resolved(node, _FileResolver(self.documents, uri))


@lru_cache(maxsize=1)
def bundled_schema() -> dict:
    """base.json with every reference resolved, as one tree.

    Validating against it skips a URI lookup at every `$ref` (a fifth of the
    schema pass) and accepts exactly what the split files accept.
    """
    documents = schema_documents()
    return _inline(documents[ROOT_URI], _FileResolver(documents, ROOT_URI))
