"""Rules for the templates LaunchDarkly's validator never opens (LD312, LD313):
eventsHook and flagImport template files, and the endpoints of every other
capability, must exist and compile with known helpers."""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.audit_log.templates import HOOK, read_template
from ldkit.core.findings import Finding, Severity
from ldkit.integration import manifest_file
from ldkit.load.lines import position
from ldkit.load.pointer import child
from ldkit.rules._support import value_at
from ldkit.rules.base import Rule, RuleContext

_OTHER_TEMPLATE_CAPABILITIES = ("eventsHook", "flagImport")


class OtherCapabilityTemplates(Rule):
    id = "LD312"
    severity = Severity.WARNING
    title = "eventsHook or flagImport template is missing or does not compile"
    explanation = (
        "LaunchDarkly's validator never opens `eventsHook` or `flagImport` template files, so "
        "a wrong path or a Handlebars syntax error is only discovered when the integration "
        "runs. ldkit checks that each file exists, compiles, and calls only known helpers. "
        "(They are not rendered: ldkit has no sample events for these payloads.)"
    )
    bad_example = '"templates": {"splitOverview": "templates/missing.json.hbs"}'
    good_example = '"templates": {"splitOverview": "templates/split-overview.json.hbs"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for capability in _OTHER_TEMPLATE_CAPABILITIES:
            templates = value_at(ctx.manifest, "capabilities", capability, "templates")
            if not isinstance(templates, dict):
                continue
            for kind, relative in templates.items():
                if not isinstance(relative, str) or not relative:
                    continue
                pointer = child(f"/capabilities/{capability}/templates", kind)
                path = manifest_file(ctx.integration_dir, relative)
                source, problem = read_template(path, ctx.integration_dir)
                if source is None:
                    yield self.finding(
                        ctx,
                        pointer,
                        f"Template file '{relative}' {problem} in the integration directory "
                        f"'{ctx.key}'. LaunchDarkly does not check this, but the "
                        f"{capability} capability cannot send anything without it.",
                    )
                    continue
                problem = _compile_problem(source)
                if problem:
                    offset, what = problem
                    line, column = position(source, offset)
                    yield self.finding_at(
                        ctx,
                        relative,
                        line,
                        column,
                        f"the {capability} {kind} template {what}. LaunchDarkly does "
                        "not check this template; it fails when the integration runs.",
                    )


def _compile_problem(source: str) -> tuple[int, str] | None:
    """(offset, what) when `source` does not compile or calls an unknown helper."""
    from ldkit.handlebars import TemplateSyntaxError, compile_template
    from ldkit.handlebars.helpers import HELPERS, SERVER_SIDE_HELPERS

    try:
        template = compile_template(source)
    except TemplateSyntaxError as error:
        return error.offset, f"does not compile: {error.message}"
    for name, offset in template.helper_calls():
        if name not in HELPERS and name not in SERVER_SIDE_HELPERS:
            return offset, f"calls the unknown helper '{name}'"
    return None


def _endpoints(value: object, pointer: str) -> Iterator[tuple[str, dict[str, object]]]:
    if isinstance(value, dict):
        for key, item in value.items():
            here = child(pointer, key)
            if key == "endpoint" and isinstance(item, dict):
                yield here, item
            yield from _endpoints(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _endpoints(item, f"{pointer}/{index}")


class OtherEndpointsCompile(Rule):
    id = "LD313"
    severity = Severity.WARNING
    title = "Endpoint URL or header of another capability does not compile"
    explanation = (
        "Only the audit-log endpoint is rendered by LaunchDarkly's validator. The endpoints of "
        "other capabilities (approval, featureStore, eventsHook, buttonAction, dynamic "
        "options ...) are Handlebars too, and a syntax error or an unknown helper there only "
        "shows up at run time. ldkit compiles them (server-side helpers such as "
        "`edgeGridAuth` count as known) but does not render them."
    )
    bad_example = '"url": "{{baseUrl}/api/changes"'
    good_example = '"url": "{{baseUrl}}/api/changes"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        manifest = ctx.manifest
        if not isinstance(manifest, dict):
            return
        for pointer, endpoint in _endpoints(manifest, ""):
            if pointer == f"{HOOK}/endpoint":
                continue
            strings: list[tuple[str, object]] = [(f"{pointer}/url", endpoint.get("url"))]
            headers = endpoint.get("headers")
            if isinstance(headers, list):
                for index, header in enumerate(headers):
                    if isinstance(header, dict):
                        strings.append((f"{pointer}/headers/{index}/value", header.get("value")))
            for where, text in strings:
                if not isinstance(text, str) or "{{" not in text:
                    continue
                problem = _compile_problem(text)
                if problem:
                    offset, what = problem
                    line, column = position(text, offset)
                    yield self.finding_in_string(
                        ctx,
                        where,
                        offset,
                        f"This endpoint string {what} (line {line}, column {column} of the "
                        "string). LaunchDarkly does not check it; it fails at run time.",
                    )
