"""`ldkit validate` end to end on real manifests: the schema findings in full.

Other rule families may add their own findings to these fixtures; the
assertions here cover every finding of the schema range (LD100-LD199) exactly:
rule, pointer, line, column and message.
"""

from __future__ import annotations

import shutil

from conftest import FIXTURES, REPO

SCHEMA = FIXTURES / "schema"


def _schema_findings(result, path_suffix: str) -> list[tuple]:
    [entry] = [f for f in result.json()["files"] if f["path"].endswith(path_suffix)]
    return [
        (f["rule"], f["pointer"], f["line"], f["column"], f["message"])
        for f in entry["findings"]
        if "LD100" <= f["rule"] <= "LD199"
    ]


TYPOS = [
    (
        "LD101",
        "/overview",
        1,
        1,
        'the manifest is missing the required key "overview" (One-line overview)',
    ),
    (
        "LD105",
        "/version",
        3,
        14,
        "version must be a semantic version such as 1.0.0 (MAJOR.MINOR.PATCH, "
        'no leading zeros), not "1.0.0\\n"; it ends with a line break, remove it',
    ),
    (
        "LD102",
        "/overveiw",
        4,
        3,
        'unknown key "overveiw" in the manifest; did you mean "overview"? '
        "Allowed keys: name, version, overview, description, details, author, "
        "supportEmail, links, categories, icons, formVariables, capabilities, "
        "legacy, otherCapabilities, requiresOAuth, hideOnIntegrationsPage, "
        "oauthIntegrationKey, allowIntegrationConfigurations",
    ),
    (
        "LD105",
        "/author",
        6,
        13,
        "author must be a single line of text: no line breaks, not "
        '"Acme\\u2028Inc."; it has a line break (U+2028) at character 5, keep it'
        " on one line",
    ),
    (
        "LD107",
        "/supportEmail",
        7,
        19,
        'supportEmail is "Acme Support <support@acme.example>", which '
        "LaunchDarkly does not accept as an email address; use a plain address "
        "such as support@example.com",
    ),
    (
        "LD105",
        "/links/site",
        9,
        13,
        'links.site must be a URL that starts with http:// or https://, not "acme.example"',
    ),
    (
        "LD104",
        "/categories/0",
        12,
        18,
        'categories[0] is "monitor", which is not allowed; did you mean '
        '"monitoring"? Allowed values: "ai", "analytics", "approval", '
        '"authentication", "automation", "big-segment-store", '
        '"code-references", "customer-support", "data", "developer-tools", '
        '"import", "infrastructure", "issue-tracking", "log-management", '
        '"messaging", "migration", "monitoring", "synced-segments", '
        '"notifications"',
    ),
    (
        "LD108",
        "/categories/2",
        12,
        43,
        'categories lists "automation" more than once; list each value once',
    ),
    (
        "LD105",
        "/icons/horizontal",
        15,
        19,
        "icons.horizontal must be a path that ends in .svg (lower case), not "
        '"assets/horizontal.SVG"; the extension must be lower case',
    ),
    (
        "LD105",
        "/formVariables/0/key",
        19,
        14,
        'formVariables[0].key must be a name without whitespace, not "api '
        'token"; it has whitespace (U+0020) at character 4',
    ),
    (
        "LD104",
        "/formVariables/0/type",
        21,
        15,
        'formVariables[0].type is "secret", which is not allowed. Allowed '
        'values: "string", "boolean", "uri", "enum", "oauth", "dynamicEnum", '
        '"generated", "environmentSelector", "multiselect", "publicKey", "sectionHeading", '
        '"codeEditor". For a secret, '
        'use "type": "string" with "isSecret": true',
    ),
    (
        "LD103",
        "/formVariables/0/isSecret",
        23,
        19,
        'formVariables[0].isSecret must be true or false, not a string ("true")',
    ),
    (
        "LD103",
        "/formVariables/0/defaultValue",
        24,
        23,
        "formVariables[0].defaultValue must be true or false or a string, not a number (42)",
    ),
    (
        "LD102",
        "/capabilities/trigger/parser/eventname",
        31,
        9,
        'unknown key "eventname" in capabilities.trigger.parser; did you mean '
        '"eventName"? Allowed keys: eventName, value, url',
    ),
    (
        "LD103",
        "/capabilities/auditLogEventsHook/endpoint/url",
        36,
        16,
        "capabilities.auditLogEventsHook.endpoint.url must be a string, not a number (123)",
    ),
    (
        "LD104",
        "/capabilities/auditLogEventsHook/endpoint/method",
        37,
        19,
        'capabilities.auditLogEventsHook.endpoint.method is "post", which is '
        'not allowed; did you mean "POST"? Allowed values: "POST", "PUT", '
        '"PATCH", "GET", "DELETE"',
    ),
    (
        "LD103",
        "/capabilities/auditLogEventsHook/endpoint/headers",
        38,
        20,
        "capabilities.auditLogEventsHook.endpoint.headers must be an array, not"
        ' a string ("Content-Type: application/json")',
    ),
]
HOLES = [
    (
        "LD151",
        "/capabilities/reservedCustomProperties",
        18,
        33,
        "capabilities.reservedCustomProperties has 4 items; LaunchDarkly's "
        "schema means to allow 1 to 3 (it does not enforce it). Keep at most 3.",
    ),
    (
        "LD153",
        "/capabilities/auditLogEventsHook/endpoint/headers",
        28,
        20,
        "capabilities.auditLogEventsHook.endpoint.headers is empty; add the "
        "headers the request needs (at least Content-Type) or remove the key",
    ),
    (
        "LD155",
        "/capabilities/auditLogEventsHook/defaultPolicy/0",
        33,
        25,
        "capabilities.auditLogEventsHook.defaultPolicy[0] is an empty "
        "statement; say which effect, resources and actions it covers, for "
        'example {"effect": "allow", "resources": ["proj/*:env/*:flag/*"], '
        '"actions": ["*"]}',
    ),
    (
        "LD150",
        "/capabilities/buttonAction/actionRequest",
        36,
        24,
        "capabilities.buttonAction.actionRequest is a string; LaunchDarkly's "
        "validator does not check the type here, but the capability needs an "
        "object with the keys the schema lists",
    ),
    (
        "LD154",
        "/capabilities/buttonAction/requestBodyTemplates/0/jsonbody",
        38,
        68,
        'unknown key "jsonbody" in '
        "capabilities.buttonAction.requestBodyTemplates[0] is ignored by "
        'LaunchDarkly; did you mean "jsonBody"? The keys it reads are key, '
        "jsonBody and requiredContext",
    ),
    (
        "LD156",
        "/capabilities/eventsHook/triggers",
        48,
        19,
        "capabilities.eventsHook.triggers is not checked by LaunchDarkly's "
        "schema (any value passes; this one is a string); make sure it has the "
        "shape LaunchDarkly expects",
    ),
]


def test_typos_are_reported_each_once_with_the_fix_in_the_message(run):
    result = run("validate", SCHEMA / "typos", "--format", "json")
    assert result.exit_code == 1
    assert _schema_findings(result, "typos/manifest.json") == TYPOS
    severities = {
        f["rule"]: f["severity"]
        for f in result.json()["files"][0]["findings"]
        if f["rule"] < "LD150"
    }
    assert set(severities.values()) == {"error"}


def test_holes_upstream_lets_through_are_warnings_not_errors(run):
    result = run("validate", SCHEMA / "holes", "--format", "json")
    assert _schema_findings(result, "holes/manifest.json") == HOLES
    [entry] = result.json()["files"]
    assert {f["severity"] for f in entry["findings"] if f["rule"] >= "LD150"} == {"warning"}


def test_strict_turns_the_hole_warnings_into_errors(run):
    result = run("validate", SCHEMA / "holes", "--format", "json", "--strict")
    assert result.exit_code == 1
    [entry] = result.json()["files"]
    assert {f["severity"] for f in entry["findings"] if f["rule"] >= "LD150"} == {"error"}


def test_dynatrace_manifest_is_clean(run, tmp_path):
    copy = tmp_path / "dynatrace"
    shutil.copytree(REPO / "integrations" / "dynatrace", copy)
    result = run("validate", copy, "--format", "json")
    assert [f for f in result.json()["files"][0]["findings"] if f["rule"] < "LD200"] == []
    assert result.exit_code == 0


def test_text_output_points_at_the_unknown_key_with_a_caret(run):
    result = run("validate", SCHEMA / "typos" / "manifest.json")
    lines = result.stdout.splitlines()
    index = next(
        i for i, line in enumerate(lines) if ": LD102 error: " in line and "overveiw" in line
    )
    assert lines[index].startswith(f"{SCHEMA / 'typos' / 'manifest.json'}:4:3: LD102 error:")
    assert lines[index + 1] == '      "overveiw": "Turn flags off when Acme raises an alert.",'
    assert lines[index + 2] == "      ^"
