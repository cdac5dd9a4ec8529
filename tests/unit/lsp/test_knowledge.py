"""What the server tells about a place comes from the schema that judges the
file and from the integration's samples."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO
from ldkit.lsp import knowledge

DYNATRACE = REPO / "integrations" / "dynatrace"


def test_the_schema_at_a_pointer_follows_properties_items_and_combinators():
    schema = knowledge.schema_for(DYNATRACE / "manifest.json")
    parser = knowledge.schemas_at(schema, "/capabilities/trigger/parser")
    assert set(knowledge.keys_of(parser)) == {"eventName", "value", "url"}
    assert "monitoring" in knowledge.enum_of(knowledge.schemas_at(schema, "/categories/0"))
    described = knowledge.describe(knowledge.schemas_at(schema, "/name"))
    assert described == "**Integration name**: The name shown in LaunchDarkly, 3 to 100 characters."


def test_a_local_reference_is_followed():
    schema = {
        "definitions": {"colour": {"enum": ["red", "blue"], "description": "a colour"}},
        "properties": {"paint": {"$ref": "#/definitions/colour", "title": "Paint"}},
    }
    found = knowledge.schemas_at(schema, "/paint")
    assert knowledge.enum_of(found) == ["red", "blue"]
    assert knowledge.describe(found) == "**Paint**: a colour"


def test_a_reference_cycle_or_a_broken_reference_ends():
    schema = {"properties": {"a": {"$ref": "#/properties/a"}, "b": {"$ref": "#/nowhere/~"}}}
    knowledge.schemas_at(schema, "/a/x/y")
    assert knowledge.schemas_at(schema, "/b") != []


def test_each_file_kind_is_judged_by_its_own_schema():
    case = knowledge.schema_for(DYNATRACE / "replays" / "problem-opened.case.json")
    sample = knowledge.schema_for(DYNATRACE / "samples" / "no-tags.problem.json")
    assert "request" in knowledge.keys_of(knowledge.schemas_at(case, ""))
    assert "problem" in knowledge.keys_of(knowledge.schemas_at(sample, ""))
    assert knowledge.schema_for(DYNATRACE / "README.md") is None


def test_sample_bodies_and_their_pointers():
    bodies = dict(knowledge.sample_bodies(DYNATRACE))
    assert bodies["replays/problem-opened.case.json"]["title"].startswith("Response time")
    assert {"/title", "/url"} <= set(
        knowledge.pointers_in(bodies["replays/problem-opened.case.json"])
    )


def test_a_placeholder_has_a_value_for_the_test_notification_and_the_samples():
    values = dict(knowledge.placeholder_values("ProblemTitle", DYNATRACE))
    assert values["the test notification"] == "Dynatrace problem notification test run"
    assert values["memory-exhausted-opened.problem.json"] == "Memory resources exhausted"
    assert knowledge.is_payload(DYNATRACE / "payloads" / "recommended.json")
    assert not knowledge.is_payload(DYNATRACE / "manifest.json")


def test_a_templates_context_paths_come_from_the_kinds_the_manifest_names_it_for():
    paths = knowledge.template_paths(DYNATRACE / "templates" / "flag.json.hbs")
    assert "title" in paths
    assert "project.name" in paths
    assert knowledge.template_paths(Path("/nowhere/x.hbs")) == []
