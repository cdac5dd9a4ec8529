"""A checkout newer than 35c6f74: its own schema judges in every rule, and the
compare script says what the bundled schema needs to match it, in order.

The checkout is built in a temporary folder from the extracted 35c6f74
snapshot plus the changes LaunchDarkly made later, written here in
LaunchDarkly's schema style from the facts of its later files
(`segmentImport`: one required boolean, `includeErrorResponseBody`, default
true; `jiraIssueCreate` from pull request #133; the form-variable types and
keys databricks-experimentation uses). Where LaunchDarkly's definition has not
been seen (the Jira parser, the new form-variable keys), the synthetic checkout
leaves them unconstrained, as the bundled schema does.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES
from ldkit.format import format_json
from ldkit.schema.checkout import load_tree
from ldkit.schema.compare import compare, plan
from ldkit.schema.compare_cli import main
from ldkit.schema.judge import bundled
from ldkit.schema.load import bundled_marked

pytestmark = pytest.mark.slow
NEW_KEYS = ("divider", "codeLanguage", "instructionsHeading", "instructions")


def _edit(path: Path, change: Callable[[dict], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _register(schemas: Path, name: str, file: str) -> None:
    def change(base: dict) -> None:
        capabilities = base["properties"]["capabilities"]
        capabilities["propertyNames"]["enum"].append(name)
        capabilities["properties"][name] = {"$ref": f"schemas/capabilities/{file}#/{name}"}

    _edit(schemas / "base.json", change)


def _follow_form_variables(definitions: dict) -> None:
    variable = definitions["formVariable"]
    variable["properties"]["type"]["enum"] += ["sectionHeading", "codeEditor"]
    variable["propertyNames"]["enum"] += list(NEW_KEYS)
    for key in NEW_KEYS:
        variable["properties"][key] = {"title": key}


def _follow_parsers(parsers: dict) -> None:
    parsers["jiraIssueCreateParser"] = {
        "properties": {"issueKey": {}, "issueUrl": {}, "self": {}},
    }


@pytest.fixture
def newer(tmp_path: Path, upstream_checkout: Path) -> Path:
    """35c6f74's schemas with what LaunchDarkly merged after it."""
    root = tmp_path / "integration-framework"
    shutil.copytree(upstream_checkout / "schemas", root / "schemas")
    schemas = root / "schemas"
    capability = {
        "segmentImport": {
            "$id": "#/capability/segmentImport",
            "title": "Segment import",
            "type": "object",
            "propertyNames": {"enum": ["includeErrorResponseBody"]},
            "required": ["includeErrorResponseBody"],
            "properties": {"includeErrorResponseBody": {"type": "boolean", "default": True}},
        }
    }
    (schemas / "capabilities" / "segmentImport.json").write_text(json.dumps(capability))
    jira = {
        "jiraIssueCreate": {
            "type": "object",
            "propertyNames": {"enum": ["name", "creationRequest", "issueCreateFormVariables"]},
            "required": ["creationRequest"],
            "properties": {
                "name": {"type": "string", "maxLength": 100},
                "issueCreateFormVariables": {
                    "type": "array",
                    "items": {"$ref": "../definitions.json#/formVariable"},
                },
                "creationRequest": {
                    "required": ["endpoint", "parser"],
                    "properties": {
                        "endpoint": {"$ref": "../definitions.json#/endpoint"},
                        "jsonBody": {"$ref": "../definitions.json#/jsonBody"},
                        "parser": {"$ref": "parser/parser.json#/jiraIssueCreateParser"},
                    },
                },
            },
        }
    }
    (schemas / "capabilities" / "jiraIssueCreate.json").write_text(json.dumps(jira))
    _register(schemas, "jiraIssueCreate", "jiraIssueCreate.json")
    _register(schemas, "segmentImport", "segmentImport.json")
    _edit(schemas / "definitions.json", _follow_form_variables)
    _edit(schemas / "capabilities" / "parser" / "parser.json", _follow_parsers)
    return root


def test_the_bundled_schema_accepts_what_the_newer_checkout_accepts(newer, capsys):
    assert main([str(newer)]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "no differences: both accept the same manifests"
    ]
    assert main([str(newer), "--plan"]) == 0
    assert capsys.readouterr().out.splitlines()[2:] == [
        "nothing to do: the bundled schema accepts what the checkout's accepts"
    ]


def _add_method(definitions: dict) -> None:
    definitions["endpointMethod"]["enum"].append("HEAD")


def test_the_plan_edits_shared_definitions_first_then_capabilities_then_base(newer, capsys):
    schemas = newer / "schemas"
    _edit(schemas / "definitions.json", _add_method)
    audit = {
        "flagAudit": {
            "propertyNames": {"enum": ["notes"]},
            "properties": {"notes": {"type": "string"}},
        }
    }
    (schemas / "capabilities" / "flagAudit.json").write_text(json.dumps(audit))
    _register(schemas, "flagAudit", "flagAudit.json")
    _edit(schemas / "base.json", lambda base: base["properties"]["name"].update(maxLength=60))

    differences = compare(bundled().tree, load_tree(schemas))
    steps = plan(bundled_marked(), load_tree(schemas, mark=True), differences)
    assert [step.target for step in steps] == [
        "definitions.json#/definitions/endpoint/properties/method",
        "capabilities/flagAudit.json",
        "base.json#/properties/capabilities",
        "base.json#/properties/name",
        "UPSTREAM",
        "tests/fixtures/schema/constraints.json",
    ]
    method, audit_file, registration, name = steps[:4]
    assert method.changes == ['enum: add "HEAD"']
    assert method.template == "schemas/definitions.json#/endpointMethod"
    assert len(method.places) > 10  # one edit reaches every endpoint of the manifest
    assert audit_file.template == "schemas/capabilities/flagAudit.json#/flagAudit"
    assert registration.changes == [
        "list 'flagAudit' under capabilities.properties ($ref capabilities/flagAudit.json)"
    ]
    assert name.changes == ["maxLength: 100 -> 60"]

    assert main([str(newer), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [step["edit"] for step in report["plan"]] == [step.target for step in steps]


# --- the checkout's schema judges in every rule ------------------------------------------


def _integration(newer: Path, name: str, change: Callable[[dict], None]) -> Path:
    folder = newer / "integrations" / name
    shutil.copytree(FIXTURES / "followed" / "segment-import", folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    # Formatted as LaunchDarkly's CI wants it, so only the change itself is reported.
    (folder / "manifest.json").write_text(format_json(json.dumps(manifest)), encoding="utf-8")
    return folder


def _rules(result) -> list[tuple[str, str]]:
    return [(f["rule"], f["pointer"]) for f in result.json()["files"][0]["findings"]]


def _with_secret_variable(kind: str) -> Callable[[dict], None]:
    def change(manifest: dict) -> None:
        manifest["formVariables"] = [
            {
                "key": "palette",
                "name": "Palette",
                "type": kind,
                "description": "The colours of the dashboard.",
                "isSecret": True,
            }
        ]

    return change


def test_a_form_variable_type_the_checkout_adds_is_judged_by_the_type_rules(newer, run):
    _edit(
        newer / "schemas" / "definitions.json",
        lambda d: d["formVariable"]["properties"]["type"]["enum"].append("colorPicker"),
    )
    inside = _integration(newer, "acme-colors", _with_secret_variable("colorPicker"))
    result = run("validate", inside, "--format", "json")
    # The checkout knows colorPicker, so the secret-only-for-strings rule applies.
    assert _rules(result) == [("LD217", "/formVariables/0/isSecret")]

    outside = newer.parent / "elsewhere" / "acme-colors"
    shutil.copytree(inside, outside)
    result = run("validate", outside, "--format", "json")
    # The bundled schema does not know it: the type itself is the one mistake.
    assert _rules(result) == [("LD104", "/formVariables/0/type")]


def test_the_hole_warnings_read_their_limits_from_the_checkout(newer, run):
    _edit(
        newer / "schemas" / "capabilities" / "reservedCustomProperties.json",
        lambda d: d["reservedCustomProperties"].update(maxLength=2),
    )

    def three_properties(manifest: dict) -> None:
        manifest["capabilities"]["reservedCustomProperties"] = [
            {"name": f"Tag {n}", "key": f"tag{n}"} for n in range(3)
        ]

    inside = _integration(newer, "acme-tags", three_properties)
    result = run("validate", inside, "--format", "json")
    assert _rules(result) == [("LD151", "/capabilities/reservedCustomProperties")]
    assert "means to allow 1 to 2" in result.json()["files"][0]["findings"][0]["message"]

    outside = newer.parent / "elsewhere" / "acme-tags"
    shutil.copytree(inside, outside)
    assert _rules(run("validate", outside, "--format", "json")) == []


def test_a_hole_the_checkout_opens_draws_the_warning(newer, run):
    untyped = {"flagAudit": {"propertyNames": {"enum": ["notes"]}, "properties": {}}}
    (newer / "schemas" / "capabilities" / "flagAudit.json").write_text(json.dumps(untyped))
    _register(newer / "schemas", "flagAudit", "flagAudit.json")

    def audit(manifest: dict) -> None:
        manifest["capabilities"]["flagAudit"] = "every change"

    result = run("validate", _integration(newer, "acme-audit", audit), "--format", "json")
    assert _rules(result) == [("LD150", "/capabilities/flagAudit")]
    assert result.exit_code == 0
