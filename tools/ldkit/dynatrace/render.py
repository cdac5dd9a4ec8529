"""Render a Dynatrace custom payload the way Dynatrace substitutes it, and say
what would go wrong with it.

Substitution is one left-to-right textual pass: every `{Name}` of the catalogue
and every `{Tags[key]}` is replaced wherever it appears, inside strings or not,
and a substituted value is never scanned again. Under the default JSON content
type text values are JSON-escaped (quotes, backslashes, control characters;
non-ASCII and `/` stay as they are, which decodes to the same text as Dynatrace's
`\\/`); under any other content type Dynatrace documents that it neither
validates nor escapes, so values go in raw. JSON placeholders are JSON text
either way. Unknown names and `{Tags[key]}` for an absent key stay literal.

The findings carry positions in the template, except the ones about the rendered
body as a whole (not JSON), which point into the rendered body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ldkit.fs import Reads, Root

import json
from dataclasses import dataclass, field

from ldkit.core.findings import Finding, Severity, in_order
from ldkit.dynatrace.placeholders import CATALOGUE, NOT_PLACEHOLDERS, TOKEN, Kind, suggestion
from ldkit.dynatrace.rules import (
    BodyNotJson,
    BodyNotJsonRaw,
    BodyTooLong,
    DoubleBraces,
    JsonPlaceholderQuoted,
    TagMissing,
    TemplateLength,
    TestValueUndocumented,
    TextPlaceholderUnquoted,
    UnknownPlaceholder,
)
from ldkit.dynatrace.template import Site, scan
from ldkit.dynatrace.values import Values, from_sample, test_run
from ldkit.load.lines import LineIndex

JSON_CONTENT_TYPE = "application/json"
MAX_PAYLOAD = 5000
#: Where rendering stops: a template from a pull request that repeats a large
#: placeholder thousands of times would otherwise render gigabytes.
MAX_RENDERED = 1 << 20
_KNOWN = ", ".join(p.token for p in CATALOGUE.values()) + ", {Tags[key]}"
_TYPOGRAPHIC_QUOTES = "\u201c\u201d\u201e\u201f\u2018\u2019\u00ab\u00bb"


@dataclass
class RenderResult:
    body: str
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class _Piece:
    """A stretch of the rendered body and where it came from in the template."""

    body_start: int
    body_end: int
    template_start: int
    #: The placeholder token whose value this is, or None for literal template text.
    token: str | None


def is_json_content_type(content_type: str) -> bool:
    """Only the default type keeps escaping on. Parameters (`; charset=utf-8`)
    are ignored: a header that only adds a charset is still JSON (inferred;
    Dynatrace documents only "a different Content-Type")."""
    return content_type.split(";", 1)[0].strip().lower() == JSON_CONTENT_TYPE


def escape_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


class _Renderer:
    def __init__(
        self,
        template: str,
        values: Values,
        content_type: str,
        path: str,
        test: bool,
        in_template: bool = False,
    ) -> None:
        self.in_template = in_template
        self.template = template
        self.values = values
        self.json = is_json_content_type(content_type)
        self.content_type = content_type
        self.path = path
        self.test = test
        self.lines = LineIndex(template)
        self.sites = scan(template)
        self.findings: list[Finding] = []
        self.pieces: list[_Piece] = []
        self.sizes: list[tuple[int, str, int]] = []  # (length, token, template offset)
        #: The template offset where rendering stopped at MAX_RENDERED, if it did.
        self.stopped_at: int | None = None

    # -- findings -------------------------------------------------------------

    def at(self, rule: str, severity: Severity, message: str, offset: int, pointer: str) -> None:
        line, column = self.lines.position(offset)
        self.findings.append(Finding(self.path, line, column, rule, severity, message, pointer))

    def site(self, offset: int) -> Site:
        return self.sites.get(offset) or Site(offset, offset, False, "")

    # -- substitution ---------------------------------------------------------

    def value_for(self, match) -> tuple[str | None, Kind]:
        name, tag = match.group("name"), match.group("tag")
        if tag is not None:
            return self.values.tag_value(tag), Kind.TEXT
        placeholder = CATALOGUE.get(name)
        if placeholder is None:
            return None, Kind.TEXT
        if placeholder.kind is Kind.JSON:
            return self.values.json.get(name, ""), Kind.JSON
        return self.values.text.get(name, ""), Kind.TEXT

    def render(self) -> str:
        out: list[str] = []
        length = 0
        cursor = 0
        seen_undocumented: set[str] = set()
        for match in TOKEN.finditer(self.template):
            if length > MAX_RENDERED:
                self.stopped_at = match.start()
                return "".join(out)
            literal = self.template[cursor : match.start()]
            self.pieces.append(_Piece(length, length + len(literal), cursor, None))
            out.append(literal)
            length += len(literal)
            token = match.group(0)
            value, kind = self.value_for(match)
            self.check_site(match, value, kind, seen_undocumented)
            if value is None:
                text = token
            elif kind is Kind.TEXT and self.json:
                text = escape_text(value)
            else:
                text = value
            self.pieces.append(_Piece(length, length + len(text), match.start(), token))
            self.sizes.append((len(text), token, match.start()))
            out.append(text)
            length += len(text)
            cursor = match.end()
        tail = self.template[cursor:]
        self.pieces.append(_Piece(length, length + len(tail), cursor, None))
        out.append(tail)
        return "".join(out)

    def check_site(self, match, value: str | None, kind: Kind, undocumented: set[str]) -> None:
        token = match.group(0)
        name, tag = match.group("name"), match.group("tag")
        site = self.site(match.start())
        start = match.start()
        known = tag is not None or name in CATALOGUE
        if start > 0 and match.end() < len(self.template):
            if self.template[start - 1] == "{" and self.template[match.end()] == "}":
                self.at(
                    DoubleBraces.id,
                    Severity.WARNING,
                    f"{token} is wrapped in a second pair of braces; Dynatrace placeholders use "
                    "single braces (Handlebars-style {{...}} is LaunchDarkly's template syntax), "
                    "so the outer braces stay in the body: write " + token,
                    start - 1,
                    site.pointer,
                )
        if not known:
            self.unknown(name, token, start, site.pointer)
            return
        if tag is not None and value is None:
            self.at(
                TagMissing.id,
                Severity.WARNING,
                f"the problem has no tag with the key {tag!r}, so Dynatrace leaves {token} "
                "in the body as literal text; use it only for tags every matching problem "
                "carries, or expect the literal",
                start,
                site.pointer,
            )
        if self.test and name in self.values.undocumented and name not in undocumented:
            undocumented.add(name)
            self.at(
                TestValueUndocumented.id,
                Severity.WARNING,
                f"Dynatrace does not document what {token} becomes in a test notification; "
                f"ldkit renders {self.values.undocumented[name]!r}, the real test run may differ",
                start,
                site.pointer,
            )
        if not self.json:
            return
        if kind is Kind.TEXT and not site.in_string:
            before = self.template[start - 1] if start > 0 else ""
            if before in _TYPOGRAPHIC_QUOTES:
                fix = (
                    f"the {before} before it is a typographic quote, which JSON does not accept: "
                    f'replace the typographic quotes with straight double quotes ("{token}")'
                )
            else:
                fix = (
                    f'put it in double quotes ("{token}"); Dynatrace escapes the value so that '
                    "the string stays valid"
                )
            self.at(
                TextPlaceholderUnquoted.id,
                Severity.ERROR,
                f"{token} becomes text but is not inside a JSON string; {fix}",
                start,
                site.pointer,
            )
        elif kind is Kind.JSON and site.in_string:
            what = "an array" if name == "ImpactedEntities" else "an object"
            self.at(
                JsonPlaceholderQuoted.id,
                Severity.ERROR,
                f"{token} becomes {what} (JSON text, not escaped) but sits inside a JSON string, "
                f'which its quotes break; remove the quotes around it ("key": {token})',
                start,
                site.pointer,
            )

    def unknown(self, name: str, token: str, start: int, pointer: str) -> None:
        message = f"{token} is not a Dynatrace placeholder, so it stays in the body as literal text"
        guess = suggestion(name)
        if guess is not None:
            message += (
                f"; placeholder names are case-sensitive: did you mean {guess.token} "
                f"({guess.meaning})?"
            )
        else:
            if name in NOT_PLACEHOLDERS:
                message += (
                    "; some third-party guides list it, but Dynatrace has no such placeholder"
                )
            message += ". Dynatrace's placeholders: " + _KNOWN
        self.at(UnknownPlaceholder.id, Severity.WARNING, message, start, pointer)

    # -- whole-template and whole-body checks ----------------------------------

    def check_lengths(self, body: str) -> None:
        if self.stopped_at is not None:
            self.at(
                BodyTooLong.id,
                Severity.WARNING,
                f"the rendered body passes {MAX_RENDERED:,} characters here, and ldkit stops "
                "rendering it (the rest is not checked); keep large placeholders out of trigger "
                "payloads",
                self.stopped_at,
                self.site(self.stopped_at).pointer,
            )
        size = len(self.template)
        if size == 0:
            self.at(
                TemplateLength.id,
                Severity.ERROR,
                "the custom payload is empty; Dynatrace requires 1 to 5,000 characters",
                0,
                "",
            )
        elif size > MAX_PAYLOAD:
            self.at(
                TemplateLength.id,
                Severity.ERROR,
                f"the custom payload is {size:,} characters long; Dynatrace refuses to save one "
                f"over {MAX_PAYLOAD:,} characters (this is where the limit is crossed): shorten it",
                MAX_PAYLOAD,
                "",
            )
        if len(body) > MAX_PAYLOAD >= size:  # an over-long template already says it all
            length, token, offset = max(self.sizes, default=(0, "", 0))
            largest = f"; the largest value is {token} with {length:,} characters" if token else ""
            self.at(
                BodyTooLong.id,
                Severity.WARNING,
                f"the rendered body is {len(body):,} characters long, over the {MAX_PAYLOAD:,} "
                f"characters of the template limit{largest}. Dynatrace does not document "
                "whether it truncates long bodies; keep large placeholders out of trigger "
                "payloads",
                offset,
                self.site(offset).pointer if token else "",
            )

    def origin_offset(self, offset: int) -> int:
        """The template offset the body text at `offset` came from: the same
        character of literal template text, or the start of the placeholder
        whose value it is (the template's end past the body's end)."""
        for piece in self.pieces:
            if piece.body_start <= offset < piece.body_end:
                if piece.token is None:
                    return piece.template_start + offset - piece.body_start
                return piece.template_start
        return len(self.template)

    def origin(self, offset: int) -> str:
        """Where in the template the text at `offset` of the body came from."""
        for piece in self.pieces:
            if piece.body_start <= offset < piece.body_end:
                if piece.token is None:
                    at = piece.template_start + offset - piece.body_start
                    line, column = self.lines.position(at)
                    return f"template line {line}, column {column}"
                line, column = self.lines.position(piece.template_start)
                return (
                    f"the value substituted for {piece.token} at template line {line}, "
                    f"column {column}"
                )
        return "the end of the body"

    def check_json(self, body: str) -> None:
        looks_json = body.lstrip()[:1] in ("{", "[") or "json" in self.content_type.lower()
        if not self.json and not looks_json:
            return
        from ldkit.load.jsonpos import is_strict_json, load_text
        from ldkit.load.rules import JsonSyntax

        if is_strict_json(body):
            return  # the common case, without the positioned parse
        rendered = rendered_path(self.path)
        problem = next(
            (f for f in load_text(body, rendered).findings if f.rule == JsonSyntax.id), None
        )
        if problem is None:
            return
        offset = LineIndex(body).offset(problem.line, problem.column)
        origin = self.origin(offset)
        if self.json:
            rule, severity = BodyNotJson.id, Severity.ERROR
            advice = (
                "Under the default content type Dynatrace validates the payload as JSON: fix the "
                "template so that every problem renders to JSON (for a body that is not meant "
                "to be JSON, give the integration a Content-Type header such as text/plain and "
                "render with --content-type)"
            )
        else:
            rule, severity = BodyNotJsonRaw.id, Severity.WARNING
            advice = (
                f"Under Content-Type {self.content_type} Dynatrace does not escape values, so "
                "quotes, backslashes and line breaks in them break JSON; if the receiver "
                "expects JSON, keep the default application/json"
            )
        if self.in_template:
            # The file to edit is the template: put the finding where the text
            # came from, and say where the body breaks in the message.
            line, column = self.lines.position(self.origin_offset(offset))
            where = f" (line {problem.line}, column {problem.column} of the rendered body)"
            self.findings.append(
                Finding(
                    self.path,
                    line,
                    column,
                    rule,
                    severity,
                    f"the rendered body is not valid JSON{where}: {problem.message}; the text "
                    f"there comes from {origin}. {advice}",
                    "",
                )
            )
            return
        self.findings.append(
            Finding(
                rendered,
                problem.line,
                problem.column,
                rule,
                severity,
                f"the rendered body is not valid JSON: {problem.message}; the text there comes "
                f"from {origin}. {advice}",
                "",
            )
        )


def render_payload(
    template: str,
    problem: dict | None,
    *,
    content_type: str = JSON_CONTENT_TYPE,
    test_notification: bool = False,
    path: str = "<template>",
    in_template: bool = False,
) -> RenderResult:
    """The body Dynatrace sends for `template` and the findings about it.

    `problem` is a parsed `*.problem.json` sample. With `test_notification` the
    values of Dynatrace's "Send test notification" run are used instead and
    `problem` is ignored (it may be None). Never raises for odd sample content:
    missing or mistyped fields render as empty text. Raises ValueError only for
    `problem=None` without `test_notification`, a programming error.

    With `in_template`, a body that is not JSON is reported at the template
    text it came from (for `ldkit validate`, whose findings go in the file to
    edit) rather than in the rendered body (what `ldkit render` shows).
    """
    if test_notification:
        values = test_run()
    elif problem is None:
        raise ValueError("render_payload needs a problem sample unless test_notification=True")
    else:
        values = from_sample(problem)
    renderer = _Renderer(template, values, content_type, path, test_notification, in_template)
    body = renderer.render()
    renderer.check_lengths(body)
    if renderer.stopped_at is None:
        renderer.check_json(body)
    return RenderResult(body, in_order(renderer.findings))


class TemplateError(Exception):
    """A template file that cannot be read as text (exit code 2, not a finding)."""


def read_template(path: str, *, root: Root, reads: Reads | None = None) -> str:
    """A template file's text, exactly: line breaks (a final one included) are
    part of the payload. Only a UTF-8 byte order mark is dropped, because it is
    an encoding marker, not text anyone pastes into Dynatrace. `reads`: the
    run's reads, when other checks of the run read the template too."""
    from ldkit.fs import FileRefused, read_bytes

    try:
        data = read_bytes(path, root=root, reads=reads)
    except FileRefused as refused:
        raise TemplateError(f"{path}: {refused.reason}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"{path}: not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the template as UTF-8"
        ) from None


def rendered_path(path: str) -> str:
    """The `path` of findings about the rendered body of the template at `path`."""
    return f"{path} (rendered body)"
