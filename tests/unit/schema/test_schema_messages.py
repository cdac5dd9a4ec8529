"""The schema pass as partners meet it: loading, the quirks of LaunchDarkly's
validator, and how errors read."""

from __future__ import annotations

import copy
import json

import pytest

from conftest import FIXTURES, REPO
from ldkit.catalogue import all_rules
from ldkit.core.findings import Severity
from ldkit.load.jsonpos import load_text
from ldkit.schema import fast as schema_fast
from ldkit.schema import load as schema_load
from ldkit.schema import messages as schema_messages
from ldkit.schema.check import RULE_OF_KIND, schema_findings
from ldkit.schema.load import registry
from ldkit.schema.rules import _SchemaRule
from ldkit.schema.validator import is_ajv_email, validator

SCHEMAS = REPO / "schemas" / "manifest"
DYNATRACE = json.loads((REPO / "integrations" / "dynatrace" / "manifest.json").read_text())
CAPABILITIES = [
    "auditLogEventsHook",
    "buttonAction",
    "reservedCustomProperties",
    "trigger",
    "approval",
    "featureStore",
    "flagLink",
    "hideConfiguration",
    "externalConfigurationURL",
    "externalConfigurationPages",
    "syncedSegment",
    "bigSegmentStore",
    "flagImport",
    "eventsHook",
    "flagCleanup",
    "internalConfigurationURL",
    "jiraIssueCreate",
    "segmentImport",
]


def _findings(manifest: object, text: str | None = None):
    source = text if text is not None else json.dumps(manifest, indent=2, ensure_ascii=False)
    return schema_findings(load_text(source, "manifest.json").document)


def _dynatrace(**top_level) -> dict:
    manifest = copy.deepcopy(DYNATRACE)
    manifest.update(top_level)
    return manifest


# --- the schema files -------------------------------------------------------------------


def test_schema_is_split_into_base_definitions_parsers_and_one_file_per_capability():
    names = sorted(p.relative_to(SCHEMAS).as_posix() for p in SCHEMAS.rglob("*.json"))
    assert names == sorted(
        ["base.json", "definitions.json", "parsers.json"]
        + [f"capabilities/{key}.json" for key in CAPABILITIES]
    )
    base = json.loads((SCHEMAS / "base.json").read_text())
    assert len(base["properties"]) == 18
    assert list(base["properties"]["capabilities"]["properties"]) == CAPABILITIES


def _refs(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_file_is_draft_07_with_relative_refs_that_resolve():
    from jsonschema import Draft7Validator

    resolver = registry().resolver(base_uri=schema_load.ROOT_URI)
    for path in SCHEMAS.rglob("*.json"):
        contents = json.loads(path.read_text())
        assert contents["$schema"] == "http://json-schema.org/draft-07/schema#", path
        Draft7Validator.check_schema(contents)
        uri = schema_load.BASE_URI + path.relative_to(SCHEMAS).as_posix()
        for ref in _refs(contents):
            assert "://" not in ref, f"{path}: {ref} must be relative"
            resolver.lookup(uri).resolver.lookup(ref)  # raises when it does not resolve


def test_registry_and_validator_are_built_once_per_process():
    assert registry() is registry()
    assert validator() is validator()


def test_registry_refuses_to_fetch_anything_that_is_not_a_schema_file():
    from referencing.exceptions import Unretrievable

    with pytest.raises(Unretrievable) as raised:
        registry().get_or_retrieve("https://json.schemastore.org/package.json")
    assert "never fetches schemas from the network" in str(raised.value.__cause__)


# --- validator quirks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["a@b", ".a..b.@example.com", "USER@EXAMPLE.COM", "x!#$%&'*+/=?^_`{|}~-@a-b.c1"],
)
def test_email_accepts_what_ajv_fast_mode_accepts(address):
    assert is_ajv_email(address)
    assert _findings(_dynatrace(supportEmail=address)) == []


@pytest.mark.parametrize(
    "address",
    [
        "a b@c.com",
        "@",
        "a@b@c",
        "x@-bad.com",
        "x@bad-.com",
        "user@exa_mple.com",
        "Üser@example.com",
        "ſupport@example.com",  # U+017F folds to "s" only with Unicode case folding
        "support@example.\u212aom",  # KELVIN SIGN folds to "k" likewise
        "support@example.com\n",
        "x@" + "a" * 64 + ".com",
        '"quoted"@example.com',
        "user@[127.0.0.1]",
        "",
    ],
)
def test_email_rejects_what_ajv_fast_mode_rejects(address):
    assert not is_ajv_email(address)
    [finding] = _findings(_dynatrace(supportEmail=address))
    assert (finding.rule, finding.pointer) == ("LD107", "/supportEmail")


def test_non_ascii_email_message_says_only_ascii_is_accepted():
    [finding] = _findings(_dynatrace(supportEmail="Üser@example.com"))
    assert "only ASCII characters are accepted" in finding.message


def test_string_lengths_count_code_points_not_utf16_units():
    assert _findings(_dynatrace(name="😀😀😀")) == []
    [finding] = _findings(_dynatrace(name="😀😀"))
    assert (finding.rule, finding.message) == (
        "LD106",
        "name is 2 characters long; it must have at least 3",
    )


def test_defaults_are_not_filled_in():
    manifest = copy.deepcopy(DYNATRACE)
    document = load_text(json.dumps(manifest), "manifest.json").document
    schema_findings(document)
    assert document.value == manifest
    assert "defaultEventName" not in document.value["capabilities"]["trigger"]


def test_flag_import_include_error_response_body_is_required_despite_its_default():
    manifest = _dynatrace(capabilities={"flagImport": {"templates": {}}})
    [finding] = _findings(manifest)
    assert (finding.rule, finding.pointer) == (
        "LD101",
        "/capabilities/flagImport/includeErrorResponseBody",
    )


def test_endpoint_properties_are_all_checked():
    manifest = copy.deepcopy(DYNATRACE)
    manifest["capabilities"]["auditLogEventsHook"]["endpoint"] = {
        "url": 123,
        "method": "BREW",
        "headers": "nope",
        "hmacSignature": [],
    }
    got = sorted((f.rule, f.pointer) for f in _findings(manifest))
    base = "/capabilities/auditLogEventsHook/endpoint"
    assert got == [
        ("LD103", f"{base}/headers"),
        ("LD103", f"{base}/hmacSignature"),
        ("LD103", f"{base}/url"),
        ("LD104", f"{base}/method"),
    ]


# --- how findings read -------------------------------------------------------------------


def test_every_error_is_reported_not_only_the_first():
    manifest = _dynatrace(name="ab", version="1.0.x", categories=[])
    assert sorted((f.rule, f.pointer) for f in _findings(manifest)) == [
        ("LD105", "/version"),
        ("LD106", "/name"),
        ("LD108", "/categories"),
    ]


def test_missing_key_points_at_the_key_and_is_positioned_at_its_parent_object():
    text = '{\n  "links": {\n    "site": "https://example.com"\n  }\n}\n'
    findings = [f for f in _findings(None, text) if f.pointer == "/links/privacyPolicy"]
    [finding] = findings
    assert (finding.rule, finding.line, finding.column) == ("LD101", 2, 12)
    assert finding.message == 'links is missing the required key "privacyPolicy" (Privacy policy)'


def test_unknown_key_is_one_finding_positioned_on_the_key_with_the_allowed_keys():
    manifest = copy.deepcopy(DYNATRACE)
    manifest["links"]["privacy"] = "https://example.com/privacy"
    text = json.dumps(manifest, indent=2)
    [finding] = _findings(None, text)
    document = load_text(text, "manifest.json").document
    assert (finding.rule, finding.pointer) == ("LD102", "/links/privacy")
    assert (finding.line, finding.column) == document.position("/links/privacy", key=True)
    assert finding.message == (
        'unknown key "privacy" in links; did you mean "privacyPolicy"? '
        "Allowed keys: site, launchdarklyDocs, privacyPolicy, supportWebsite"
    )


def test_schema_key_added_by_an_editor_is_rejected_with_a_reason():
    [finding] = _findings(_dynatrace(**{"$schema": "https://example.com/manifest.schema.json"}))
    assert finding.rule == "LD102"
    assert "LaunchDarkly rejects every key it does not list" in finding.message


def test_enum_typo_suggests_the_closest_value_and_lists_all():
    manifest = copy.deepcopy(DYNATRACE)
    manifest["formVariables"][0]["type"] = "strng"
    [finding] = _findings(manifest)
    assert finding.message == (
        'formVariables[0].type is "strng", which is not allowed; did you mean "string"? '
        'Allowed values: "string", "boolean", "uri", "enum", "oauth", "dynamicEnum", '
        '"generated", "environmentSelector", "multiselect", "publicKey", "sectionHeading", '
        '"codeEditor"'
    )


def test_wrong_type_on_an_enum_field_is_one_finding_not_two():
    manifest = copy.deepcopy(DYNATRACE)
    manifest["capabilities"]["auditLogEventsHook"]["endpoint"]["method"] = 1
    [finding] = _findings(manifest)
    assert finding.rule == "LD103"
    assert finding.message == (
        "capabilities.auditLogEventsHook.endpoint.method must be a string, not a number (1)"
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("version", "1.0.0\n", "it ends with a line break, remove it"),
        ("overview", "Turn flags\roff quickly.", "line break (\\r) at character 11"),
        ("overview", "Turn flags\u2028off quickly.", "line break (U+2028) at character 11"),
        ("author", "Acme\u2029Inc", "line break (U+2029) at character 5"),
    ],
)
def test_pattern_messages_explain_the_rule_and_the_culprit(field, value, expected):
    [finding] = _findings(_dynatrace(**{field: value}))
    assert finding.rule == "LD105"
    assert expected in finding.message


@pytest.mark.parametrize(
    ("pointer_path", "value", "meaning"),
    [
        (("version",), "1.0.x", "a semantic version such as 1.0.0"),
        (("overview",), "Two\nlines here.", "a single line of text: no line breaks"),
        (("icons", "square"), "square.png", "a path that ends in .svg"),
        (("links", "site"), "www.example.com", "a URL that starts with http:// or https://"),
        (("formVariables", 0, "key"), "api token", "a name without whitespace"),
    ],
)
def test_each_pattern_has_a_human_explanation(pointer_path, value, meaning):
    manifest = copy.deepcopy(DYNATRACE)
    node = manifest
    for token in pointer_path[:-1]:
        node = node[token]
    node[pointer_path[-1]] = value
    [finding] = _findings(manifest)
    assert f"must be {meaning}" in finding.message


def test_every_schema_pattern_has_an_explanation():
    patterns = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in SCHEMAS.parent.rglob("*.json"):
        walk(json.loads(path.read_text()))
    assert patterns == set(schema_messages.PATTERN_MEANING)


def _expanded(error) -> list[tuple[str, str]]:
    problems = schema_messages._expand(error, "the manifest")
    return [(RULE_OF_KIND[problem.kind].id, problem.pointer) for problem in problems]


def test_closest_alternative_is_reported_for_any_of():
    from jsonschema import Draft7Validator

    schema = {
        "anyOf": [
            {"type": "object", "required": ["url"]},
            {"type": "string", "minLength": 5},
        ]
    }
    [error] = Draft7Validator(schema).iter_errors("abc")
    assert _expanded(error) == [("LD106", "")]
    [error] = Draft7Validator(schema).iter_errors({})
    assert _expanded(error) == [("LD101", "/url")]


def test_schema_rules_are_declarations_of_errors_that_the_schema_pass_emits():
    from ldkit.catalogue import declared_in
    from ldkit.rules.base import Rule
    from ldkit.schema import rules as schema_rules

    declared = declared_in(schema_rules)
    assert [cls.id for cls in declared] == [f"LD{n}" for n in range(100, 109)]
    for cls in declared:
        assert issubclass(cls, _SchemaRule) and not issubclass(cls, Rule)
        assert cls.severity is Severity.ERROR and cls.upstream
        assert cls.title and cls.explanation and cls.bad_example and cls.good_example
        assert all_rules()[cls.id] is cls


def test_full_fixture_copy_of_every_capability_is_positioned_in_the_real_file():
    path = FIXTURES / "schema" / "full" / "manifest.json"
    text = path.read_text().replace('"method": "POST"', '"method": "FETCH"', 1)
    [finding] = _findings(None, text)
    line_text = text.split("\n")[finding.line - 1]
    assert line_text[finding.column - 1 :].startswith('"FETCH"')


# --- speed without a second source of truth ---------------------------------------------


def test_bundle_resolves_references_exactly_like_the_registry():
    reg = registry()
    via_registry = schema_load.inline_refs(
        reg.contents(schema_load.ROOT_URI), reg.resolver(base_uri=schema_load.ROOT_URI)
    )
    assert via_registry == schema_load.bundled_schema()
    assert "$ref" not in json.dumps(via_registry)


def test_quick_acceptance_check_covers_the_whole_schema():
    assert schema_fast.fast_acceptance_check() is not None


@pytest.mark.parametrize(
    "schema",
    [
        {"not": {"type": "string"}},
        {"enum": [1, 2]},
        {"items": [{"type": "string"}]},
        {"properties": {"a": {"anyOf": [{"type": "string"}]}}},
    ],
)
def test_quick_check_refuses_keywords_it_does_not_implement(schema):
    with pytest.raises(schema_fast._Unsupported):
        schema_fast._compile(schema)


def test_a_valid_manifest_is_accepted_without_importing_jsonschema(tmp_path):
    """A partner's clean manifest is the common case; it should not pay for
    jsonschema or referencing (about a third of a cold run)."""
    import subprocess
    import sys

    code = (
        "import sys; from ldkit.fs import USER_NAMED; from ldkit.load.jsonpos import load_path; "
        "from ldkit.schema.check import schema_findings; "
        f"manifest = {str(REPO / 'integrations/dynatrace/manifest.json')!r}; "
        "assert schema_findings(load_path(manifest, root=USER_NAMED).document) == []; "
        "print(sorted(m for m in ('jsonschema', 'referencing') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "tools")},
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_overlong_value_is_reported_by_length_quickly_not_by_a_slow_pattern():
    import time

    manifest = _dynatrace(capabilities={"internalConfigurationURL": "a?" * 20000 + " /"})
    start = time.perf_counter()
    findings = _findings(manifest)
    assert time.perf_counter() - start < 1.0
    assert [(f.rule, f.pointer) for f in findings] == [
        ("LD106", "/capabilities/internalConfigurationURL")
    ]
