"""Reading a schema folder the way LaunchDarkly's build reads it, and
recognising a checkout of LaunchDarkly's repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from ldkit.schema.checkout import find_checkout, is_checkout, load_tree, schema_folder
from ldkit.schema.load import SchemaLoadError, bundled_schema

CHECKOUTS = FIXTURES / "schema-checkout"
FORK = CHECKOUTS / "fork"


def test_a_checkout_is_the_layout_plus_launchdarklys_id():
    assert is_checkout(FORK)
    assert not is_checkout(CHECKOUTS / "not-launchdarkly")  # same layout, other $id
    assert not is_checkout(REPO)  # ldkit's own schemas/manifest/ is not that layout


def test_the_checkout_is_found_from_any_folder_or_file_inside_it():
    manifest = FORK / "integrations" / "acme-notes" / "manifest.json"
    assert find_checkout(manifest) == FORK.resolve()
    assert find_checkout(manifest.parent) == FORK.resolve()
    assert find_checkout(CHECKOUTS / "not-launchdarkly" / "integrations") is None


def test_references_resolve_from_the_repository_root_in_base_and_from_the_file_elsewhere():
    tree = load_tree(FORK / "schemas")
    notes = tree["properties"]["capabilities"]["properties"]["releaseNotes"]
    # base.json -> schemas/capabilities/releaseNotes.json#/releaseNotes (root-relative)
    # -> ../definitions.json#/endpoint (file-relative), whose properties map is shared
    # by reference; keys next to that $ref are merged over the target.
    endpoint = notes["properties"]["endpoint"]
    assert endpoint["propertyNames"] == {"enum": ["url", "method", "headers"]}
    assert list(endpoint["properties"]) == ["url", "method", "headers"]
    documentation = tree["properties"]["capabilities"]["properties"]["trigger"]["properties"][
        "documentation"
    ]
    assert documentation["title"] == "Documentation page"
    assert documentation["pattern"] == "^[Hh][Tt][Tt][Pp][Ss]?://"
    text = json.dumps(tree)
    assert "$ref" not in text and "$id" not in text and "$schema" not in text


def test_ldkits_own_files_load_through_the_same_reader_into_the_same_tree():
    assert load_tree(REPO / "schemas" / "manifest") == bundled_schema()


def test_schema_folder_accepts_a_checkout_or_its_schemas_folder(tmp_path):
    assert schema_folder(FORK) == FORK / "schemas"
    assert schema_folder(FORK / "schemas") == FORK / "schemas"
    with pytest.raises(SchemaLoadError, match="no schema here"):
        schema_folder(tmp_path)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "checkout"
    shutil.copytree(FORK / "schemas", target / "schemas")
    return target / "schemas"


def _edit(path: Path, change) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def test_a_reference_to_the_network_is_refused(tmp_path):
    schemas = _copy(tmp_path)
    _edit(
        schemas / "capabilities" / "trigger.json",
        lambda d: d["trigger"]["properties"].update(
            auth={"$ref": "https://example.com/schema.json#/auth"}
        ),
    )
    with pytest.raises(SchemaLoadError, match="never fetches schemas from the network"):
        load_tree(schemas)


def test_a_reference_outside_the_checkout_is_refused(tmp_path):
    schemas = _copy(tmp_path)
    (tmp_path / "outside.json").write_text('{"x": {"type": "string"}}')
    _edit(
        schemas / "capabilities" / "trigger.json",
        lambda d: d["trigger"]["properties"].update(auth={"$ref": "../../../outside.json#/x"}),
    )
    with pytest.raises(SchemaLoadError, match="names no file"):
        load_tree(schemas)


def test_a_fragment_that_names_nothing_is_reported(tmp_path):
    schemas = _copy(tmp_path)
    _edit(
        schemas / "capabilities" / "trigger.json",
        lambda d: d["trigger"]["properties"].update(auth={"$ref": "../definitions.json#/nope"}),
    )
    with pytest.raises(SchemaLoadError, match="names nothing: no 'nope' there"):
        load_tree(schemas)


def test_a_reference_cycle_is_reported(tmp_path):
    schemas = _copy(tmp_path)
    _edit(
        schemas / "definitions.json",
        lambda d: d["formVariable"]["properties"].update(nested={"$ref": "#/formVariable"}),
    )
    with pytest.raises(SchemaLoadError, match="refers to itself"):
        load_tree(schemas)


def test_a_file_that_is_not_json_is_reported_with_its_path(tmp_path):
    schemas = _copy(tmp_path)
    (schemas / "definitions.json").write_text("{ not json")
    with pytest.raises(SchemaLoadError, match=r"definitions\.json is not JSON"):
        load_tree(schemas)


def test_schemas_merged_next_to_a_reference_are_resolved_too(tmp_path):
    schemas = _copy(tmp_path)
    _edit(
        schemas / "capabilities" / "trigger.json",
        lambda d: d["trigger"]["properties"].update(
            parser={
                "$ref": "parser/parser.json#/triggerParser",
                "properties": {"eventName": {"$ref": "../definitions.json#/httpUrl"}},
            }
        ),
    )
    tree = load_tree(schemas)
    parser = tree["properties"]["capabilities"]["properties"]["trigger"]["properties"]["parser"]
    assert parser["propertyNames"] == {"enum": ["eventName", "value", "url"]}  # from the target
    assert parser["properties"]["eventName"]["pattern"] == "^[Hh][Tt][Tt][Pp][Ss]?://"


def test_a_checkout_whose_base_json_is_broken_is_still_a_checkout(tmp_path):
    # A fork's base.json with a stray comma must not make ldkit fall back to its
    # bundled schema in silence: the fork is still found, and loading it fails.
    root = tmp_path / "fork"
    shutil.copytree(FORK, root)
    base = root / "schemas" / "base.json"
    base.write_text(base.read_text().replace("{", "{,", 1))
    assert is_checkout(root)
    with pytest.raises(SchemaLoadError, match=r"base\.json is not JSON"):
        load_tree(root / "schemas")


def test_validate_in_a_checkout_whose_base_json_is_broken_exits_2(tmp_path, run):
    root = tmp_path / "fork"
    shutil.copytree(FORK, root)
    base = root / "schemas" / "base.json"
    base.write_text(base.read_text().replace("{", "{,", 1))
    result = run("validate", root / "integrations" / "acme-notes")
    assert result.exit_code == 2
    assert "base.json is not JSON" in result.stderr
    assert "Traceback" not in result.stderr
