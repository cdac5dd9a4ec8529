"""Template rules (LD300–LD349): audit-log templates, endpoint strings, flagLink blocks.

LaunchDarkly's validator renders a few kinds of Handlebars strings in strict
mode and rejects the manifest when one throws (https://github.com/launchdarkly/integration-framework,
`__tests__/`); those are errors here, with the position *inside* the
template in the message. Templates LaunchDarkly never looks at (eventsHook,
flagImport, other endpoints) get warnings only: they may well be broken, but
the manifest is accepted. Nothing here is imported on the validate path until
a manifest actually has templates to check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ldkit.core.findings import Finding, Severity
from ldkit.load.json_errors import portable
from ldkit.load.lines import LineIndex, position
from ldkit.load.pointer import child
from ldkit.rules._support import js_truthy, manifest_file, value_at
from ldkit.rules.base import Rule, RuleContext

HOOK = "/capabilities/auditLogEventsHook"
TEMPLATE_KINDS = ("flag", "project", "environment", "default", "validation", "member")
JSON_CHECKED_KINDS = ("flag", "project", "environment", "default", "member")


def _where(error: object) -> str:
    return f"line {error.line}, column {error.column}"  # type: ignore[attr-defined]


def string_index(text: str, line: int, column: int) -> int:
    """The index in `text` of a 1-based line and column inside it (where a
    Handlebars error in a manifest string is, to position the finding there)."""
    return LineIndex(text).offset(line, column)


def _render_string(text: str, context: dict[str, object]) -> object | None:
    """Render `text` strictly; the Handlebars error if it throws, else None."""
    from ldkit.handlebars import HandlebarsError, compile_template

    try:
        compile_template(text).render(context)
    except HandlebarsError as error:
        return error
    return None


def read_template(path: Path, root: Path) -> tuple[str | None, str | None]:
    """(text, None), or (None, why it cannot be read) for a template the manifest names.

    Like Node's `readFileSync(path, 'utf-8')`, invalid bytes become U+FFFD and a
    BOM stays. Only a regular file inside the integration folder is read.
    """
    from ldkit.load.files import FileRefused, exists, read_text

    if not exists(path):
        return None, "does not exist"
    try:
        return read_text(path, root=root), None
    except FileRefused as refused:
        return None, f"cannot be read ({refused.reason})"


def _endpoint_context(manifest: object) -> dict[str, object]:
    from ldkit.audit_contexts import endpoint_context

    return endpoint_context(manifest)


# --- S4: audit-log endpoint ---------------------------------------------------


def _hook_endpoint(ctx: RuleContext) -> dict[str, object] | None:
    endpoint = value_at(ctx.manifest, "capabilities", "auditLogEventsHook", "endpoint")
    return endpoint if isinstance(endpoint, dict) and js_truthy(endpoint) else None


class EndpointUrlRenders(Rule):
    id = "LD300"
    severity = Severity.ERROR
    title = "Audit-log endpoint URL does not render"
    upstream = True
    explanation = (
        "LaunchDarkly renders `auditLogEventsHook.endpoint.url` with strict Handlebars against "
        "the form variables (`{{apiKey}}`), `context` (a sample flag event) and `oauth`. A "
        "reference to something that does not exist, an unknown helper or a syntax error "
        "makes its validator reject the manifest. Only top-level form variables of type "
        "string, enum, dynamicEnum, generated, boolean and uri have values."
    )
    bad_example = '"url": "https://api.example.com/{{regoin}}/events"'
    good_example = '"url": "https://api.example.com/{{region}}/events"'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        endpoint = _hook_endpoint(ctx)
        url = endpoint.get("url") if endpoint else None
        if not isinstance(url, str):
            return
        error = _render_string(url, _endpoint_context(ctx.manifest))
        if error is not None:
            yield self.finding_in_string(
                ctx,
                f"{HOOK}/endpoint/url",
                string_index(url, error.line, error.column),  # type: ignore[attr-defined]
                f"The endpoint URL does not render ({_where(error)} of the URL): "
                f"{error.message}. Use only top-level form variables "  # type: ignore[attr-defined]
                "(`{{key}}`), `context.*` or `oauth.*`.",
            )


class EndpointHeaderRenders(Rule):
    id = "LD301"
    severity = Severity.ERROR
    title = "Audit-log endpoint header value does not render"
    upstream = True
    explanation = (
        "Every `auditLogEventsHook.endpoint.headers[].value` is rendered like the URL (see "
        "LD300); one that throws makes LaunchDarkly's validator reject the manifest."
    )
    bad_example = '{"name": "Authorization", "value": "Bearer {{apiTokn}}"}'
    good_example = '{"name": "Authorization", "value": "Bearer {{apiToken}}"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        endpoint = _hook_endpoint(ctx)
        headers = endpoint.get("headers") if endpoint else None
        if not isinstance(headers, list):
            return
        context: dict[str, object] | None = None
        for index, header in enumerate(headers):
            value = header.get("value") if isinstance(header, dict) else None
            if not isinstance(value, str):
                continue
            context = context or _endpoint_context(ctx.manifest)
            error = _render_string(value, context)
            if error is not None:
                name = header.get("name") if isinstance(header, dict) else None
                label = f" '{name}'" if isinstance(name, str) else ""
                yield self.finding_in_string(
                    ctx,
                    f"{HOOK}/endpoint/headers/{index}/value",
                    string_index(value, error.line, error.column),  # type: ignore[attr-defined]
                    f"The value of header{label} does not render ({_where(error)} of the "
                    f"value): {error.message}. Use only top-level form variables "  # type: ignore[attr-defined]
                    "(`{{key}}`), `context.*` or `oauth.*`.",
                )


class EndpointHeadersRequired(Rule):
    id = "LD302"
    severity = Severity.ERROR
    title = "Audit-log endpoint has no headers"
    upstream = True
    explanation = (
        "The schema makes `headers` optional, but LaunchDarkly's validator iterates over "
        "`auditLogEventsHook.endpoint.headers` and crashes when it is missing, which rejects "
        "the manifest. Declare at least the Content-Type header."
    )
    bad_example = '"endpoint": {"url": "https://example.com/hook", "method": "POST"}'
    good_example = (
        '"endpoint": {"url": "https://example.com/hook", "method": "POST", '
        '"headers": [{"name": "Content-Type", "value": "application/json"}]}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        endpoint = _hook_endpoint(ctx)
        if endpoint is not None and "headers" not in endpoint:
            yield self.finding(
                ctx,
                f"{HOOK}/endpoint",
                "The audit-log endpoint has no `headers`; LaunchDarkly's validator crashes on "
                'it and rejects the manifest. Add `"headers": [{"name": "Content-Type", '
                '"value": "application/json"}]`.',
            )


# --- S18: audit-log templates ---------------------------------------------------


class TemplateRun:
    """One audit-log template: its file, source and (lazily) render outcome."""

    def __init__(self, ctx: RuleContext, kind: str, relative: str) -> None:
        self.ctx = ctx
        self.kind = kind
        self.relative = relative
        self.pointer = f"{HOOK}/templates/{kind}"
        self.path = manifest_file(ctx.integration_dir, relative)
        self.source, self.problem = read_template(self.path, ctx.integration_dir)
        self._output: str | None = None
        self._error: object | None = None
        self._done = False

    @property
    def is_json(self) -> bool:
        from ldkit.audit_contexts import is_json_name

        return is_json_name(self.relative)

    def render(self) -> tuple[str | None, object | None]:
        if not self._done:
            self._done = True
            from ldkit.audit_contexts import template_context
            from ldkit.handlebars import HandlebarsError, compile_template

            if self.source is not None:
                context = template_context(self.ctx.manifest, self.kind, escape_json=self.is_json)
                try:
                    self._output = compile_template(self.source).render(context)
                except HandlebarsError as error:
                    self._error = error
        return self._output, self._error

    def json_break(self) -> tuple[JsonProblem, int, int] | None:
        """Where a JSON-checked template's output stops being JSON: the problem
        and the template line and column that produced it."""
        if self.kind not in JSON_CHECKED_KINDS or not self.is_json:
            return None
        output, error = self.render()
        if output is None or error is not None:
            return None
        if self.kind == "member" and not output.strip():
            return None  # LD306 says it is empty
        problem = json_problem(output)
        if problem is None:
            return None
        return (problem, *self.template_position(problem.offset))

    def template_position(self, output_offset: int) -> tuple[int, int]:
        """The line and column in the template that produced the output
        character at `output_offset` (the template's start if unknown)."""
        from ldkit.audit_contexts import template_context
        from ldkit.handlebars import HandlebarsError, compile_template

        offset = 0
        if self.source is not None:
            context = template_context(self.ctx.manifest, self.kind, escape_json=self.is_json)
            try:
                mapped = compile_template(self.source).render_mapped(context)
            except HandlebarsError:
                mapped = None
            if mapped is not None and mapped[1]:
                offsets = mapped[1]
                offset = offsets[min(output_offset, len(offsets) - 1)]
        return position(self.source or "", offset)


def template_runs(ctx: RuleContext) -> list[TemplateRun]:
    """One `TemplateRun` per template the manifest names (`ctx.template_runs`
    keeps them, so the template rules render each once)."""
    runs: list[TemplateRun] = []
    hook = value_at(ctx.manifest, "capabilities", "auditLogEventsHook")
    templates = value_at(hook, "templates")
    if isinstance(hook, dict) and not js_truthy(hook.get("useStandardWebhookPayload")):
        if isinstance(templates, dict):
            for kind in TEMPLATE_KINDS:
                relative = templates.get(kind)
                if isinstance(relative, str) and relative:
                    runs.append(TemplateRun(ctx, kind, relative))
    return runs


class TemplateFileExists(Rule):
    id = "LD303"
    severity = Severity.ERROR
    title = "Audit-log template file is missing"
    upstream = True
    explanation = (
        "Each `auditLogEventsHook.templates.<kind>` is a path relative to the integration "
        "directory; LaunchDarkly's validator requires the file to exist."
    )
    bad_example = '"templates": {"flag": "templates/flag.jsn.hbs"}'
    good_example = '"templates": {"flag": "templates/flag.json.hbs"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for run in ctx.template_runs:
            if run.source is None:
                yield self.finding(
                    ctx,
                    run.pointer,
                    f"Template file '{run.relative}' {run.problem} in the integration directory "
                    f"'{ctx.key}'. Create it or fix the path (it is relative to the folder "
                    "holding manifest.json).",
                )


class TemplateRenders(Rule):
    id = "LD304"
    severity = Severity.ERROR
    title = "Audit-log template does not compile or render"
    upstream = True
    explanation = (
        "LaunchDarkly's validator compiles every audit-log template with strict Handlebars and "
        "renders it against a sample event of its kind (flag and default: a flag update; "
        "project; environment and validation: an environment update; member). A syntax error, "
        "an unknown helper, a partial, or printing a field the event does not have "
        "(`{{missing}}`, `{{a.missing}}`, a path through null) throws and rejects the "
        "manifest. Form variables are under `formVariables.` in templates."
    )
    bad_example = '{"text": "{{{titel.plainText}}}"}'
    good_example = '{"text": "{{{title.plainText}}}"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for run in ctx.template_runs:
            _, error = run.render()
            if error is None:
                continue
            if _is_syntax(error):
                verb = "does not compile"
            else:
                verb = f"does not render ({_sample_name(run.kind)})"
            yield self.finding_at(
                ctx,
                run.relative,
                error.line,  # type: ignore[attr-defined]
                error.column,  # type: ignore[attr-defined]
                f"the {run.kind} template {verb}: {error.message}.",  # type: ignore[attr-defined]
            )


def _is_syntax(error: object) -> bool:
    from ldkit.handlebars import TemplateSyntaxError

    return isinstance(error, TemplateSyntaxError)


def _sample_name(kind: str) -> str:
    from ldkit.audit_contexts import SAMPLE_FOR_TEMPLATE

    return f"rendered against the sample {SAMPLE_FOR_TEMPLATE[kind]} event"


@dataclass(frozen=True)
class JsonProblem:
    """Why `JSON.parse(text)` would throw: in plain words, and where in the text."""

    message: str
    offset: int
    line: int
    column: int
    near: str

    def describe(self) -> str:
        near = f" near {self.near!r}" if self.near else ""
        return (
            f"{self.message} (line {self.line}, column {self.column} of the rendered output{near})"
        )


def json_problem(text: str) -> JsonProblem | None:
    """Why `JSON.parse(text)` would throw, with the place in the text; None if it
    parses. The standard parser decides (it accepts what JSON.parse accepts); the
    positioned loader words the reason."""
    from ldkit.load.jsonpos import load_text
    from ldkit.load.rules import JsonSyntax

    def reject(constant: str) -> object:
        raise ValueError(f"{constant} is not valid JSON")

    try:
        json.loads(text, parse_constant=reject)
    except ValueError as error:
        if isinstance(error, json.JSONDecodeError):
            error = portable(error)
        offset = error.pos if isinstance(error, json.JSONDecodeError) else 0
        message = str(error.msg) if isinstance(error, json.JSONDecodeError) else str(error)
        loaded = load_text(text, "rendered")
        for finding in loaded.findings:
            if finding.rule == JsonSyntax.id:
                message = finding.message
                offset = loaded.document.offset_of(finding.line, finding.column)
                break
        line, column = position(text, offset)
        line_text = text.split("\n")[line - 1] if text else ""
        start = max(0, column - 31)
        snippet = line_text[start : column + 30].strip()
        return JsonProblem(message, offset, line, column, snippet)
    return None


class TemplateRendersJson(Rule):
    id = "LD305"
    severity = Severity.ERROR
    title = "JSON audit-log template does not render valid JSON"
    upstream = True
    explanation = (
        "When a flag, project, environment, default or member template's file name ends in "
        "`.json` or `.json.hbs`, LaunchDarkly's validator parses the rendered output as JSON. "
        "String fields of the event are JSON-escaped before rendering, so print them with "
        'triple braces inside quotes: `"{{{name}}}"`. Double braces HTML-escape the '
        "escaped quote into `\\&quot;`; watch commas around `{{#if}}` blocks."
    )
    bad_example = '{"text": "{{title.html}}",}'
    good_example = '{"text": "{{{title.html}}}"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for run in ctx.template_runs:
            broken = run.json_break()
            if broken is None:
                continue
            problem, line, column = broken
            stash = _first_double_stash(run.source or "", run.kind)
            if stash is not None and stash[:2] == (line, column):
                advice = (
                    f"`{stash[2]}` HTML-escapes the JSON-escaped string; use triple braces: "
                    f"`{{{{{{{stash[2][2:-2].strip()}}}}}}}`."
                )
            else:
                advice = (
                    "Check quotes, commas and braces around `{{#if}}`/`{{#each}}` blocks, and "
                    "use `{{{x}}}` for strings."
                )
            yield self.finding_at(
                ctx,
                run.relative,
                line,
                column,
                f"the {run.kind} template renders invalid JSON here: {problem.describe()}. "
                + advice,
            )


class TemplateNotEmpty(Rule):
    id = "LD306"
    severity = Severity.ERROR
    title = "Validation or member template renders nothing"
    upstream = True
    explanation = (
        "LaunchDarkly's validator requires the `validation` and `member` templates to render "
        "something other than whitespace for their sample event; an empty result rejects "
        "the manifest."
    )
    bad_example = "{{#if missingField}}{{{name}}}{{/if}}"
    good_example = '{"text": "{{{title.plainText}}}"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for run in ctx.template_runs:
            if run.kind not in ("validation", "member"):
                continue
            output, error = run.render()
            if output is not None and error is None and not output.strip():
                yield self.finding(
                    ctx,
                    run.pointer,
                    f"{run.relative}: the {run.kind} template renders only whitespace "
                    f"({_sample_name(run.kind)}); it must produce a message body.",
                )


class StandardPayloadWithoutTemplates(Rule):
    id = "LD307"
    severity = Severity.ERROR
    title = "Standard webhook payload combined with templates"
    upstream = True
    explanation = (
        "With `useStandardWebhookPayload: true` LaunchDarkly sends its own payload, and its "
        'validator requires `"templates": {}` (no template keys) and no `templates/` folder '
        "in the integration directory."
    )
    bad_example = '"useStandardWebhookPayload": true, "templates": {"flag": "templates/flag.json"}'
    good_example = '"useStandardWebhookPayload": true, "templates": {}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        hook = value_at(ctx.manifest, "capabilities", "auditLogEventsHook")
        if not isinstance(hook, dict) or not js_truthy(hook.get("useStandardWebhookPayload")):
            return
        templates = hook.get("templates")
        if isinstance(templates, dict):
            for kind in TEMPLATE_KINDS:
                if kind in templates:
                    yield self.finding(
                        ctx,
                        f"{HOOK}/templates/{kind}",
                        f"`templates.{kind}` is set although `useStandardWebhookPayload` is "
                        'true; remove it (keep `"templates": {}`) or turn the standard '
                        "payload off.",
                        key=True,
                    )
        from ldkit.load.files import exists

        if exists(ctx.integration_dir / "templates"):
            yield self.finding(
                ctx,
                f"{HOOK}/useStandardWebhookPayload",
                "The integration has a `templates/` folder although "
                "`useStandardWebhookPayload` is true; delete the folder (its templates are "
                "never used).",
            )


# --- S19: flagLink ------------------------------------------------------------


def _flag_link_strings(flag_link: dict[str, object]) -> Iterator[tuple[str, str]]:
    """(pointer, text) of every string upstream renders, in upstream's order."""
    blocks = flag_link.get("uiBlocks")
    if not isinstance(blocks, dict):
        return
    base = "/capabilities/flagLink/uiBlocks"
    image = blocks.get("image")
    if js_truthy(image) and isinstance(image, dict):
        yield f"{base}/image/sourceUrl", image.get("sourceUrl")  # type: ignore[misc]
    for section in ("title", "context"):
        block = blocks.get(section)
        if not (js_truthy(block) and isinstance(block, dict)):
            continue
        elements = block.get("elements")
        if not isinstance(elements, list):
            continue
        for index, element in enumerate(elements):
            if not isinstance(element, dict):
                continue
            yield f"{base}/{section}/elements/{index}/text", element.get("text")  # type: ignore[misc]
            if js_truthy(element.get("url")):
                yield f"{base}/{section}/elements/{index}/url", element.get("url")  # type: ignore[misc]
    for key in ("name", "description"):
        if js_truthy(blocks.get(key)):
            yield f"{base}/{key}", blocks.get(key)  # type: ignore[misc]


class FlagLinkBlocksRender(Rule):
    id = "LD308"
    severity = Severity.ERROR
    title = "flagLink UI block does not render"
    upstream = True
    explanation = (
        "LaunchDarkly's validator renders the flagLink UI strings (image source, title and "
        "context elements with their URLs, name, description) in strict Handlebars with "
        "`deepLink` and `metadata.<key>` for each declared metadata key. Anything else, or "
        "a syntax error, rejects the manifest."
    )
    bad_example = '"name": "{{metadata.ticketTitle}}"  (with no "ticketTitle" in metadata)'
    good_example = '"name": "{{metadata.title}}"  (with "metadata": {"title": {"type": "string"}})'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        flag_link = value_at(ctx.manifest, "capabilities", "flagLink")
        if not (isinstance(flag_link, dict) and js_truthy(flag_link)):
            return
        if flag_link.get("metadata") is None:
            return  # LD309 reports it; upstream crashes before rendering anything.
        from ldkit.audit_contexts import flag_link_context

        context = flag_link_context(flag_link)
        for pointer, text in _flag_link_strings(flag_link):
            if not isinstance(text, str):
                continue
            error = _render_string(text, context)
            if error is not None:
                yield self.finding_in_string(
                    ctx,
                    pointer,
                    string_index(text, error.line, error.column),  # type: ignore[attr-defined]
                    f"This flagLink string does not render ({_where(error)} of the string): "
                    f"{error.message}. Only `deepLink` and `metadata.<key>` for keys declared "  # type: ignore[attr-defined]
                    "in `flagLink.metadata` are available.",
                )


class FlagLinkMetadataRequired(Rule):
    id = "LD309"
    severity = Severity.ERROR
    title = "flagLink has no metadata"
    upstream = True
    explanation = (
        "The schema makes `flagLink.metadata` optional, but LaunchDarkly's validator reads it "
        "to build the render context and crashes when it is missing, which rejects the "
        'manifest. Declare it, even as `"metadata": {}`.'
    )
    bad_example = '"flagLink": {"header": "Links", "uiBlocks": {...}, "emptyState": {...}}'
    good_example = '"flagLink": {"header": "Links", "metadata": {}, "uiBlocks": {...}, ...}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        flag_link = value_at(ctx.manifest, "capabilities", "flagLink")
        if (
            isinstance(flag_link, dict)
            and js_truthy(flag_link)
            and flag_link.get("metadata") is None
        ):
            yield self.finding(
                ctx,
                "/capabilities/flagLink",
                "`flagLink` has no `metadata`; LaunchDarkly's validator crashes on it and "
                'rejects the manifest. Add `"metadata": {}` (or the keys your UI blocks use).',
            )


# --- Beyond upstream (warnings) ---------------------------------------------------


class ValidationTemplateJson(Rule):
    id = "LD310"
    severity = Severity.WARNING
    title = "JSON validation template does not render valid JSON"
    explanation = (
        "LaunchDarkly does not JSON-check the `validation` template, even when its name ends "
        "in `.json`/`.json.hbs`, but it is sent to your endpoint as the test request: invalid "
        "JSON there usually means the endpoint rejects LaunchDarkly's connection test."
    )
    bad_example = '{"text": "{{{title.plainText}}}",}'
    good_example = '{"text": "{{{title.plainText}}}"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for run in ctx.template_runs:
            if run.kind != "validation" or not run.is_json:
                continue
            output, error = run.render()
            if output is None or error is not None or not output.strip():
                continue
            problem = json_problem(output)
            if problem is None:
                continue
            line, column = run.template_position(problem.offset)
            yield self.finding_at(
                ctx,
                run.relative,
                line,
                column,
                f"the validation template renders invalid JSON here: {problem.describe()}. "
                "LaunchDarkly accepts it, but your endpoint will probably reject the test "
                "request.",
            )


# `{{x}}` (not `{{{x}}}`/`{{&x}}`) directly inside a JSON string literal.
_STRING_PIECE = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_DOUBLE_STASH = re.compile(r"(?<!\{)\{\{~?\s*(?![{&!#/^>~*]|else\b)([^}]*?)~?\}\}(?!\})")


class DoubleStashInJsonString(Rule):
    id = "LD311"
    severity = Severity.WARNING
    title = "Double braces inside a JSON string in a JSON template"
    explanation = (
        "In `.json`/`.json.hbs` audit-log templates the event's strings are JSON-escaped "
        'first, so a quote arrives as `\\"`. `{{x}}` then HTML-escapes it to `\\&quot;` '
        "(and `<`, `>`, `&`, `'`, `=` to entities), which breaks the JSON or garbles the "
        "text as soon as a real event contains such a character. Use `{{{x}}}` inside JSON "
        "strings. Free-text fields (names, titles, details, comments) are reported; "
        "identifiers, keys, URLs and timestamps are not, since they never hold quotes."
    )
    bad_example = '{"summary": "{{title.plainText}}"}'
    good_example = '{"summary": "{{{title.plainText}}}"}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        seen: set[str] = set()
        for run in ctx.template_runs:
            if not run.is_json or run.source is None or run.relative in seen:
                continue
            seen.add(run.relative)  # one warning per file, at its first use
            hit = _first_double_stash(run.source, run.kind)
            if hit is None:
                continue
            line, column, text = hit
            broken = run.json_break()
            if broken is not None and broken[1:] == (line, column):
                continue  # it breaks the sample already: LD305 says so, with this advice
            yield self.finding_at(
                ctx,
                run.relative,
                line,
                column,
                f"`{text}` prints a string with double braces "
                "inside a JSON string; HTML escaping turns JSON-escaped quotes into `\\&quot;` "
                f"and breaks the payload. Use triple braces: `{{{{{{{text[2:-2].strip()}}}}}}}`.",
            )


def _first_double_stash(source: str, kind: str) -> tuple[int, int, str] | None:
    from ldkit.audit_contexts import SAMPLE_FOR_TEMPLATE, sample_event
    from ldkit.handlebars.helpers import HELPERS

    sample = sample_event(SAMPLE_FOR_TEMPLATE[kind])
    for line_no, line in enumerate(source.split("\n"), start=1):
        for piece in _STRING_PIECE.finditer(line):
            for match in _DOUBLE_STASH.finditer(piece.group(0)):
                words = match.group(1).split()
                head = words[0] if words else ""
                if not head or head.startswith("@") or head in HELPERS:
                    continue  # data variables and helper results are not event strings
                if head.startswith("formVariables") or not _may_be_string(sample, head):
                    continue  # form values are not JSON-escaped; numbers have no quotes
                column = piece.start() + match.start() + 1
                return line_no, column, match.group(0)
    return None


# Event fields that hold identifiers, keys, URLs or timestamps: LaunchDarkly
# generates them and they never contain quotes, so `{{x}}` is harmless there.
_IDENTIFIER_FIELDS = frozenset(
    {
        "_id",
        "_accountId",
        "key",
        "kind",
        "verbKind",
        "email",
        "emailLocalPart",
        "href",
        "type",
        "baseURL",
        "milliseconds",
        "seconds",
        "rfc3339",
        "simple",
        "tags",
    }
)


def _may_be_string(sample: object, path: str) -> bool:
    """True when `path` may print free text (which can contain quotes)."""
    value = sample
    parts = [part for part in re.split(r"[./]", path) if part not in ("this", "")]
    if not parts:
        return True  # `{{this}}`: the current item of a block, often a string
    if parts[-1] in _IDENTIFIER_FIELDS:
        return False
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            return True  # unknown here (inside a block, say): assume it may be text
        value = value[part]
    return isinstance(value, (str, list)) or value is None


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
                    line, column, what = problem
                    yield self.finding_at(
                        ctx,
                        relative,
                        line,
                        column,
                        f"the {capability} {kind} template {what}. LaunchDarkly does "
                        "not check this template; it fails when the integration runs.",
                    )


def _compile_problem(source: str) -> tuple[int, int, str] | None:
    """(line, column, what) when `source` does not compile or calls an unknown helper."""
    from ldkit.handlebars import TemplateSyntaxError, compile_template
    from ldkit.handlebars.helpers import HELPERS, SERVER_SIDE_HELPERS

    try:
        template = compile_template(source)
    except TemplateSyntaxError as error:
        return error.line, error.column, f"does not compile: {error.message}"
    for name, line, column in template.helper_calls():
        if name not in HELPERS and name not in SERVER_SIDE_HELPERS:
            return line, column, f"calls the unknown helper '{name}'"
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
                    line, column, what = problem
                    yield self.finding_in_string(
                        ctx,
                        where,
                        string_index(text, line, column),
                        f"This endpoint string {what} (line {line}, column {column} of the "
                        "string). LaunchDarkly does not check it; it fails at run time.",
                    )
