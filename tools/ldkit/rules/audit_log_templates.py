"""Rules for the audit-log templates (LD303-LD307, LD310, LD311): each file
exists, compiles and renders against its sample event, JSON templates render
JSON, and strings inside JSON are printed so that real events cannot break
them. The rendering itself is the audit-log stage's (`ldkit.audit_log`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ldkit.audit_log.json_check import json_problem
from ldkit.audit_log.templates import HOOK, TEMPLATE_KINDS
from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import js_truthy, value_at
from ldkit.rules.base import Rule, RuleContext


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
    from ldkit.audit_log.contexts import SAMPLE_FOR_TEMPLATE

    return f"rendered against the sample {SAMPLE_FOR_TEMPLATE[kind]} event"


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
        from ldkit.fs import exists

        if exists(ctx.integration_dir / "templates"):
            yield self.finding(
                ctx,
                f"{HOOK}/useStandardWebhookPayload",
                "The integration has a `templates/` folder although "
                "`useStandardWebhookPayload` is true; delete the folder (its templates are "
                "never used).",
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
    from ldkit.audit_log.contexts import SAMPLE_FOR_TEMPLATE, sample_event
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
