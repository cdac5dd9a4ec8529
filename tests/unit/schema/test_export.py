"""`ldkit schema`: the bundled schema as one self-contained draft-07 document
that validates exactly what the split files validate."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import FIXTURES
from ldkit.schema.export import standalone_schema
from ldkit.schema.judge import bundled_upstream
from ldkit.schema.validator import make_validator, validator

TABLE = json.loads((FIXTURES / "schema" / "constraints.json").read_text(encoding="utf-8"))
BASE = json.loads((FIXTURES / "schema" / "full" / "manifest.json").read_text(encoding="utf-8"))


def _document() -> dict:
    upstream = bundled_upstream()
    return standalone_schema(upstream.commit, upstream.repository)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_document_is_valid_draft_07_with_local_references_only():
    from jsonschema import Draft7Validator

    document = _document()
    Draft7Validator.check_schema(document)
    assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
    refs = set(_refs(document))
    assert refs and all(ref.startswith("#/definitions/") for ref in refs)
    assert {ref.removeprefix("#/definitions/") for ref in refs} == set(document["definitions"])
    assert "capability.jiraIssueCreate" in document["definitions"]
    assert "jiraIssueCreateParser" in document["definitions"]


def test_the_document_names_the_upstream_commit_it_follows():
    assert bundled_upstream().commit in _document()["$comment"]


def _mutated(case: dict) -> object:
    from ldkit.load.pointer import split

    manifest = copy.deepcopy(BASE)
    if case["pointer"] == "":
        return case["value"]
    tokens = split(case["pointer"])
    node = manifest
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    value = (
        case.get("prefix", "") + case["repeat"][0] * case["repeat"][1]
        if "repeat" in case
        else case.get("value")
    )
    if isinstance(node, list):
        index = int(last)
        if case.get("delete"):
            del node[index]
        elif index < len(node):
            node[index] = value
        else:
            node.append(value)
    elif case.get("delete"):
        del node[last]
    else:
        node[last] = value
    return manifest


@pytest.fixture(scope="module")
def exported():
    return make_validator(_document())


@pytest.mark.parametrize("case", TABLE["cases"], ids=lambda c: f"{c['row']} {c['pointer']}")
def test_the_document_judges_every_constraint_case_like_the_split_files(case, exported):
    manifest = _mutated(case)
    if case.get("valid"):
        assert exported.is_valid(manifest)
        return
    expected = sorted(
        (list(e.absolute_path), e.validator) for e in validator().iter_errors(manifest)
    )
    got = sorted((list(e.absolute_path), e.validator) for e in exported.iter_errors(manifest))
    assert got == expected != []


def test_ldkit_schema_prints_it_and_writes_it_with_o(run, tmp_path):
    printed = run("schema")
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == _document()
    target = tmp_path / "editor" / "manifest.schema.json"
    written = run("schema", "-o", target)
    assert written.exit_code == 0
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert printed.stdout.endswith("}\n")
    assert f"wrote {target}" in written.stderr


def test_ldkit_schema_cannot_write_into_a_file_posing_as_a_folder(run, tmp_path):
    (tmp_path / "file").write_text("x")
    result = run("schema", "-o", tmp_path / "file" / "schema.json")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert (tmp_path / "file").read_text() == "x"
