"""Property-based fuzzing: whatever the input, each stage answers with findings
(or its documented error), never an unexpected exception.

Hypothesis generates JSON texts and bytes for the loader, JSON values for the
schema pass and the manifest checks, templates for the Handlebars parser and
renderer, manifests and bodies for the trigger core, and findings full of
surrogates and control characters for every reporter. The CI budget is small
and derandomized (the same examples every run); `benchmarks/fuzz_long.py` runs
the same properties with a large random budget.
"""

from __future__ import annotations

import json
import os

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="the dev extra provides hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ldkit.catalogue import get_rule  # noqa: E402
from ldkit.core.findings import FileResult, Finding, Report, Severity  # noqa: E402
from ldkit.handlebars import HandlebarsError, TemplateSyntaxError, compile_template  # noqa: E402
from ldkit.load.jsonpos import load_bytes, load_text  # noqa: E402
from ldkit.report import get_reporter  # noqa: E402
from ldkit.report.encode import to_bytes  # noqa: E402
from ldkit.trigger.core import TriggerConfig, TriggerRequest, invoke, to_json  # noqa: E402

# Property-based runs of 60 examples each: the slow lane.
pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=int(os.environ.get("LDKIT_FUZZ_EXAMPLES", "60")),
    derandomize=os.environ.get("LDKIT_FUZZ_RANDOM") != "1",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text with what hurts: surrogates, controls, bidi overrides, JSON punctuation.
HOSTILE_CHARS = st.sampled_from(
    list('{}[]":,\\/.~0123456789-+eE tn\n\r\t') + ["\ud800", "\udcff", "\x00", "\x1b", "\u202e"]
)
hostile_text = st.one_of(st.text(max_size=40), st.text(HOSTILE_CHARS, max_size=60))
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(hostile_text, children, max_size=5)
    ),
    max_leaves=30,
)
# Manifest-shaped values: real keys at the top, so the rules get past "not an object".
MANIFEST_KEYS = st.sampled_from(
    ["name", "version", "overview", "description", "author", "supportEmail", "links",
     "categories", "icons", "capabilities", "formVariables", "requiresOAuth",
     "oauthIntegrationKey", "otherKey"]
)  # fmt: skip
CAPABILITY_KEYS = st.sampled_from(
    ["trigger", "auditLogEventsHook", "approval", "syncedSegment", "flagLink", "eventsHook",
     "featureStore", "flagImport", "bigSegmentStore", "other"]
)  # fmt: skip
manifests = st.fixed_dictionaries(
    {},
    optional={
        "capabilities": st.dictionaries(CAPABILITY_KEYS, json_values, max_size=3),
        "formVariables": st.lists(json_values, max_size=3),
    },
).flatmap(lambda fixed: st.dictionaries(MANIFEST_KEYS, json_values, max_size=6).map(
    lambda extra: {**extra, **fixed}
))  # fmt: skip


@FUZZ
@given(st.one_of(st.text(HOSTILE_CHARS, max_size=200), st.text(max_size=100)))
def test_json_loader_turns_any_text_into_a_value_or_findings(text):
    result = load_text(text, "fuzz.json")
    assert result.ok or result.findings


@FUZZ
@given(st.binary(max_size=200))
def test_json_loader_turns_any_bytes_into_a_value_or_findings(data):
    load_bytes(data, "fuzz.json")


@FUZZ
@given(json_values)
def test_loader_reads_what_the_standard_library_reads(value):
    text = json.dumps(value)
    result = load_text(text, "fuzz.json")
    assert result.ok
    # Not `value` itself: two escaped surrogates that form a pair read back as
    # one character, in every JSON parser.
    assert result.document.value == json.loads(text)


@FUZZ
@given(manifests)
def test_schema_pass_and_rules_answer_any_manifest_with_findings(tmp_path_factory, manifest):
    from ldkit.checks.manifest import check
    from ldkit.rules.base import Workspace

    folder = tmp_path_factory.mktemp("integrations") / "fuzz"
    folder.mkdir()
    path = folder / "manifest.json"
    document = load_text(json.dumps(manifest), str(path)).document
    for finding in check(document, Workspace()):
        assert finding.line >= 1 and finding.column >= 1


HANDLEBARS_CHARS = st.sampled_from(
    list("{}#/^~!&.@[]()=|\"' \n\tabc0123-") + ["else", "each", "if", "this", "..", "\u2028"]
)


@FUZZ
@given(st.lists(HANDLEBARS_CHARS, max_size=40).map("".join), json_values)
def test_handlebars_compiles_or_raises_a_syntax_error_and_renders_or_raises(source, context):
    try:
        template = compile_template(source)
    except TemplateSyntaxError as error:
        assert error.line >= 1 and error.column >= 1
        return
    try:
        template.render(context if isinstance(context, dict) else {"value": context})
    except HandlebarsError:
        pass


POINTER_CHARS = st.sampled_from(list("/~01a-") + ["title", "99999999999999999999999"])
pointers = st.one_of(st.none(), st.lists(POINTER_CHARS, max_size=8).map("".join))
REGEX_CHARS = st.sampled_from(list("()[]{}*+?|.^$\\aTt0-,:<=!") + ["(?", "\\d", "\\1", "{1001}"])


@FUZZ
@given(
    pointers,
    pointers,
    st.one_of(st.none(), st.lists(REGEX_CHARS, max_size=12).map("".join)),
    st.one_of(st.binary(max_size=100), json_values.map(lambda v: json.dumps(v).encode())),
)
def test_trigger_core_answers_any_manifest_and_body(event_pointer, url_pointer, regexp, body):
    parser = {k: v for k, v in (("eventName", event_pointer), ("url", url_pointer)) if v}
    trigger: dict[str, object] = {"parser": parser}
    if regexp is not None:
        trigger["testEventNameRegexp"] = regexp
    manifest = {"name": "Fuzz", "capabilities": {"trigger": trigger}}
    result = invoke(manifest, "fuzz", TriggerConfig(), True, TriggerRequest(body, 1))
    to_bytes(to_json(result.to_dict()))


findings = st.builds(
    Finding,
    path=hostile_text,
    line=st.integers(min_value=1, max_value=10**6),
    column=st.integers(min_value=1, max_value=10**6),
    rule=st.sampled_from(["LD001", "LD102", "LD212", "LD432", "LD999"]),
    severity=st.sampled_from(list(Severity)),
    message=hostile_text,
    pointer=hostile_text,
)


@FUZZ
@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit", "sarif"])
@given(st.lists(findings, max_size=6), st.one_of(st.none(), hostile_text))
def test_every_reporter_prints_any_findings(fmt, found, source):
    report = Report([FileResult("fuzz.json", found, source)])
    output = to_bytes(get_reporter(fmt)(report, get_rule))
    text = output.decode("utf-8")
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt in ("text", "github"):
        assert "\x1b" not in text and "\u202e" not in text


# --- type mutations at every location of real files -----------------------------------

# What a value can become: each JSON type, and a string that looks like a pointer,
# a template, a number or a placeholder, since rules parse strings too.
OTHER_TYPES = st.sampled_from(
    [{}, {"a": 1}, [], [1, "x"], 0, -1, 1.5, 10**400, None, True, False, "", "x", "/", "{{",
     "{ProblemTitle}", "\ud800", "1e400"]
)  # fmt: skip


def _locations(value: object, pointer: tuple = ()) -> list[tuple]:
    """Every path (keys and indices) inside a JSON value, the root excluded."""
    found: list[tuple] = []
    pending = [(value, pointer)]
    while pending:
        node, here = pending.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in items:
            found.append((*here, key))
            pending.append((child, (*here, key)))
    return sorted(found, key=repr)


def _mutated(document: object, where: tuple, value: object) -> object:
    copy = json.loads(json.dumps(document))
    parent = copy
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    return copy


def _file_kinds() -> dict[str, tuple[str, object]]:
    """One real file of each kind the validator checks as itself: its path
    inside the Dynatrace integration and its JSON value."""
    from conftest import REPO

    dynatrace = REPO / "integrations" / "dynatrace"
    files = {
        "manifest": dynatrace / "manifest.json",
        "case": sorted((dynatrace / "replays").glob("chain-*.case.json"))[0],
        "sample": sorted((dynatrace / "samples").glob("*.problem.json"))[0],
    }
    return {
        kind: (path.relative_to(dynatrace).as_posix(), json.loads(path.read_text("utf-8")))
        for kind, path in files.items()
    }


KINDS = _file_kinds()


@pytest.fixture(scope="module")
def fuzz_integration(tmp_path_factory):
    import shutil

    from conftest import REPO

    folder = tmp_path_factory.mktemp("typefuzz") / "integrations" / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", folder)
    return folder


@FUZZ
@given(st.sampled_from(sorted(KINDS)), st.data(), OTHER_TYPES)
def test_any_value_of_the_wrong_type_anywhere_in_any_file_kind_is_a_finding(
    fuzz_integration, kind, data, replacement
):
    from ldkit.checks import validate_file
    from ldkit.rules.base import Workspace

    relative, document = KINDS[kind]
    where = data.draw(st.sampled_from(_locations(document)))
    mutated = _mutated(document, where, replacement)
    target = fuzz_integration / relative
    before = target.read_bytes()
    try:
        target.write_text(json.dumps(mutated, indent=2) + "\n", "utf-8")
        result = validate_file(target, Workspace())
    finally:
        target.write_bytes(before)
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1
        assert get_rule(finding.rule) is not None
