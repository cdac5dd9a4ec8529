"""JSON Schema pass over a manifest (first cut: helper-owned, to be completed)."""

from __future__ import annotations

import json
from functools import lru_cache

from ldkit.findings import Finding, Severity
from ldkit.jsonpos import Document
from ldkit.pointer import join
from ldkit.schemas_dir import schemas_root

BASE_URI = "https://ldkit.invalid/schemas/manifest/"


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    root = schemas_root() / "manifest"
    resources = []
    for path in sorted(root.rglob("*.json")):
        uri = BASE_URI + path.relative_to(root).as_posix()
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT7)))
    registry = Registry().with_resources(resources)
    base = registry.contents(BASE_URI + "base.json")
    return Draft7Validator(base, registry=registry)


def schema_findings(document: Document) -> list[Finding]:
    findings = []
    for error in _validator().iter_errors(document.value):
        pointer = join(error.absolute_path)
        findings.append(document.finding("LD100", Severity.ERROR, error.message, pointer))
    return findings
