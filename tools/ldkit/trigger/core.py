"""The reference trigger: one webhook call in, one invocation result out.

LaunchDarkly documents what a trigger capability declares (pointers, a test
regexp, a default event name) but not exactly what the service does with a
body; docs/trigger-semantics.md fixes those gaps, and this module is the single place that
implements them. It is pure: no files, no clock, no globals that change. The
caller passes the bytes, the timestamp and the history, so `trigger`, `replay`
and the sample rules all compute the same thing from the same inputs.

Everything a body carries is hostile until proven otherwise: it may be huge,
deeply nested, not UTF-8, not JSON, or full of Markdown trying to smuggle a
link into the change history. Nothing here raises on a body.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from ldkit.core.findings import Finding, Severity
from ldkit.load.json_errors import portable
from ldkit.load.lines import position
from ldkit.load.pointer import MISSING, resolve
from ldkit.load.pointer import is_valid as _is_valid
from ldkit.trigger.rules import (
    TriggerBodyNotAnObject,
    TriggerPointerInvalid,
    TriggerRegexpBroken,
    TriggerUrlRejected,
)

Action = Literal["turnFlagOn", "turnFlagOff"]
Outcome = Literal["applied", "test-event", "no-change"]
EventNameSource = Literal["body", "defaultEventName", "schemaDefault"]

SCHEMA_DEFAULT_EVENT_NAME = "An alert"
SCHEMA_DEFAULT_TEST_REGEXP = ".*[Tt][Ee][Ss][Tt].*"
RECENT_BODIES_KEPT = 10
DEFAULT_CONTENT_TYPE = "application/json"


ACTIONS: tuple[str, ...] = ("turnFlagOn", "turnFlagOff")


@dataclass(frozen=True)
class TriggerConfig:
    """The trigger as a user configured it in LaunchDarkly: one flag, one
    environment, one action."""

    action: Action = "turnFlagOff"
    flag: str = "example-flag"
    environment: str = "production"

    @property
    def turns_on(self) -> bool:
        return self.action == "turnFlagOn"


@dataclass(frozen=True)
class TriggerRequest:
    """One HTTP call to the trigger URL. `source` names where the body came
    from; it becomes the `path` of every warning about the body."""

    body: bytes
    timestamp: int
    content_type: str = DEFAULT_CONTENT_TYPE
    source: str = "<body>"


@dataclass
class TriggerHistory:
    """What LaunchDarkly keeps per trigger: the run count and the most recent
    bodies, newest first. Carried across calls by the caller."""

    trigger_count: int = 0
    recent: deque[dict[str, object]] = field(
        default_factory=lambda: deque(maxlen=RECENT_BODIES_KEPT)
    )

    def record(self, timestamp: int, json_body: dict[str, object] | None) -> dict[str, object]:
        entry: dict[str, object] = {"timestamp": timestamp, "jsonBody": json_body}
        self.trigger_count += 1
        self.recent.appendleft(entry)
        return entry


@dataclass(frozen=True)
class TriggerSpec:
    """The parts of a manifest's `trigger` capability the parser uses, read
    defensively: wrong types count as absent (the schema reports them)."""

    event_name_pointer: str | None = None
    value_pointer: str | None = None
    url_pointer: str | None = None
    default_event_name: str | None = None
    test_regexp: str | None = None

    @classmethod
    def from_manifest(cls, manifest: object) -> TriggerSpec | None:
        """None when the manifest has no usable `capabilities.trigger` object."""
        if not isinstance(manifest, dict):
            return None
        capabilities = manifest.get("capabilities")
        trigger = capabilities.get("trigger") if isinstance(capabilities, dict) else None
        if not isinstance(trigger, dict):
            return None
        parser = trigger.get("parser")
        parser = parser if isinstance(parser, dict) else {}

        def text(container: dict[str, object], key: str) -> str | None:
            value = container.get(key)
            return value if isinstance(value, str) else None

        return cls(
            event_name_pointer=text(parser, "eventName"),
            value_pointer=text(parser, "value"),
            url_pointer=text(parser, "url"),
            default_event_name=text(trigger, "defaultEventName"),
            test_regexp=text(trigger, "testEventNameRegexp"),
        )


@dataclass(frozen=True)
class ParsedEvent:
    """What the parser reads out of one body, before any flag logic."""

    json_body: dict[str, object] | None
    event_name: str
    event_name_source: EventNameSource
    value: object
    url: str | None
    is_test: bool
    warnings: tuple[Finding, ...]


@dataclass
class InvocationResult:
    outcome: Outcome
    event: ParsedEvent
    flag_on_after: bool
    trigger_count: int
    recent_trigger_body: dict[str, object]
    entry: dict[str, object] | None

    def to_dict(self) -> dict[str, object]:
        """The result JSON, keys in the order of docs/trigger-semantics.md."""
        event = self.event
        return {
            "outcome": self.outcome,
            "eventName": event.event_name,
            "eventNameSource": event.event_name_source,
            "value": event.value,
            "url": event.url,
            "isTest": event.is_test,
            "flagOnAfter": self.flag_on_after,
            "triggerCount": self.trigger_count,
            "recentTriggerBody": self.recent_trigger_body,
            "entry": self.entry,
            "warnings": [w.to_dict() for w in event.warnings],
        }


# --- body --------------------------------------------------------------------


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _finite_float(literal: str) -> float:
    number = float(literal)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {literal[:40]} is out of range")
    return number


_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _position_of_byte(data: bytes, index: int) -> tuple[int, int]:
    before = data[:index].decode("utf-8", errors="replace")
    return position(before, len(before))


def _first_value_column(text: str) -> tuple[int, int]:
    return position(text, len(text) - len(text.lstrip(" \t\r\n")))


def _decode_body(request: TriggerRequest) -> tuple[dict[str, object] | None, str, list[Finding]]:
    """The body as a JSON object, or None with a warning saying why not."""
    data = request.body

    def warn(line: int, column: int, why: str) -> list[Finding]:
        message = (
            f"{why}; jsonBody is null and no parser pointer resolves, so the event name falls "
            "back to the default (the call still counts and still acts)"
        )
        return [
            Finding(
                request.source,
                line,
                column,
                TriggerBodyNotAnObject.id,
                Severity.WARNING,
                message,
                "",
            )
        ]

    if not data.strip(b" \t\r\n"):
        return None, "", warn(1, 1, "the request body is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of_byte(data, exc.start)
        why = f"the request body is not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        return None, "", warn(line, column, why)
    if text.startswith("\ufeff"):
        return None, text, warn(1, 1, "the request body starts with a byte order mark")
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as raw:
        exc = portable(raw)
        reason = exc.msg.removesuffix(" at").removesuffix(" starting").lower()
        return None, text, warn(exc.lineno, exc.colno, f"the request body is not JSON ({reason})")
    except ValueError as exc:
        line, column = _first_value_column(text)
        return None, text, warn(line, column, f"the request body is not JSON ({exc})")
    except RecursionError:
        line, column = _first_value_column(text)
        return None, text, warn(line, column, "the request body is nested too deeply to parse")
    if not isinstance(value, dict):
        kind = _json_kind(value)
        line, column = _first_value_column(text)
        return None, text, warn(line, column, f"the request body is a JSON {kind}, not an object")
    return value, text, []


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


#: Bodies up to this size may be re-parsed with positions when a cheaper search
#: cannot place a warning; a bigger body gets line 1, column 1 instead.
_REPARSE_LIMIT = 64 * 1024


def _position_in_body(text: str, pointer: str, value: object) -> tuple[int, int]:
    """Line and column of the value at `pointer` in the body; only computed for a warning.

    The value is looked for as JSON text after its member name, which costs one
    search instead of a positional re-parse of the whole body (a 100 MB body
    would need gigabytes for that).
    """
    last = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    for encoded in {json.dumps(value, ensure_ascii=False), json.dumps(value)}:
        for before in (json.dumps(last, ensure_ascii=False) + r"\s*:\s*", r"[\[,]\s*"):
            found = re.search(before + re.escape(encoded), text)
            if found:
                offset = found.end() - len(encoded)
                line_start = text.rfind("\n", 0, offset) + 1
                return text.count("\n", 0, offset) + 1, offset - line_start + 1
    if len(text) > _REPARSE_LIMIT:
        return 1, 1
    from ldkit.load.jsonpos import load_text

    return load_text(text, "<body>").document.position(pointer)


@lru_cache(maxsize=256)
def is_valid(pointer: str) -> bool:
    """Pointer syntax, checked once per distinct pointer: a manifest has three."""
    return _is_valid(pointer)


def _lookup(
    body: dict[str, object] | None,
    pointer: str | None,
    name: str,
    request: TriggerRequest,
    warnings: list[Finding],
) -> object:
    if pointer is None or body is None:
        return MISSING
    if not is_valid(pointer):
        warnings.append(
            Finding(
                request.source,
                1,
                1,
                TriggerPointerInvalid.id,
                Severity.WARNING,
                f"the parser's {name} pointer {pointer!r} is not an RFC 6901 JSON pointer "
                "(it must be empty or start with '/', with '~' written as '~0'), so it never "
                "resolves; fix it in the manifest",
                pointer,
            )
        )
        return MISSING
    return resolve(body, pointer)


# --- parsed fields ------------------------------------------------------------


def _scalar_text(value: object) -> str | None:
    """A string as is; a number or boolean as its JSON text; else None."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]{0,30}):")
_SAFE_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s\\]")


def _url_problem(value: object) -> str | None:
    """Why `value` may not become a link, or None when it is a safe absolute
    http(s) URL. Deliberately stricter than browsers: no leading spaces, no
    control characters, a host right after `//`."""
    if not isinstance(value, str):
        return f"it is a JSON {_json_kind(value)}, not a string"
    if _CONTROL.search(value):
        return "it contains control characters"
    if not _SAFE_URL.match(value):
        scheme = _SCHEME.match(value)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            return (
                f"its scheme is {scheme.group(1)!r}; only absolute http and https URLs become links"
            )
        return "it is not an absolute http or https URL"
    return None


def parse_event(spec: TriggerSpec, request: TriggerRequest) -> ParsedEvent:
    """Read event name, value and url out of one body and decide whether it
    is a test event. Shared by `invoke` and the sample rules."""
    body, text, warnings = _decode_body(request)

    raw_name = _lookup(body, spec.event_name_pointer, "eventName", request, warnings)
    name = _scalar_text(raw_name)
    source: EventNameSource = "body"
    if name is None:
        if spec.default_event_name is not None:
            name, source = spec.default_event_name, "defaultEventName"
        else:
            name, source = SCHEMA_DEFAULT_EVENT_NAME, "schemaDefault"

    raw_value = _lookup(body, spec.value_pointer, "value", request, warnings)
    value = raw_value if isinstance(raw_value, str | int | float | bool) else None

    url: str | None = None
    raw_url = _lookup(body, spec.url_pointer, "url", request, warnings)
    if body is not None and spec.url_pointer is not None and is_valid(spec.url_pointer):
        if raw_url is MISSING:
            why = "the body has nothing there"
        else:
            why = _url_problem(raw_url)
        if why is None:
            url = raw_url  # type: ignore[assignment]
        else:
            line, column = (
                (1, 1) if raw_url is MISSING else _position_in_body(text, spec.url_pointer, raw_url)
            )
            warnings.append(
                Finding(
                    request.source,
                    line,
                    column,
                    TriggerUrlRejected.id,
                    Severity.WARNING,
                    f"url is null: the value at {spec.url_pointer!r} is not used because {why}; "
                    "the change-history entry gets no link (send an absolute http(s) URL)",
                    spec.url_pointer,
                )
            )

    pattern = spec.test_regexp if spec.test_regexp is not None else SCHEMA_DEFAULT_TEST_REGEXP
    from ldkit.regex.engine import PatternRefused, compile_matcher

    try:
        is_test = compile_matcher(pattern).search(name)
    except PatternRefused as refused:
        warnings.append(
            Finding(
                request.source,
                1,
                1,
                TriggerRegexpBroken.id,
                Severity.WARNING,
                f"the manifest's testEventNameRegexp {pattern!r} cannot be used: "
                f"{refused.message}; no event is treated as a test, so test notifications "
                "would change the flag",
                "",
            )
        )
        is_test = False

    return ParsedEvent(body, name, source, value, url, is_test, tuple(warnings))


# --- change history -------------------------------------------------------------

# Every ASCII character that means something to CommonMark or GFM inline syntax
# (emphasis, code, links, images, autolinks, HTML, tables, strikethrough,
# entities), plus '.' and ':' so that text never forms a bare `www.` or
# `https:` autolink. Backslash escapes are defined for all of them.
_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|~<>&:@\"'=^$%"
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f()<>\[\]\\`\"'{}|^]")


# Metacharacters gain a backslash. Bidirectional overrides and isolates
# reorder what a reader sees (a name that displays as "...fine" while saying
# something else); they carry no meaning in an event name, so they are
# dropped. Joiners (U+200D) stay: emoji need them.
_ESCAPES: dict[int, str | None] = {ord(c): "\\" + c for c in _MARKDOWN_SPECIAL}
_ESCAPES.update(dict.fromkeys(range(0x202A, 0x202F)))
_ESCAPES.update(dict.fromkeys(range(0x2066, 0x206A)))
_ESCAPES.update({0x200E: None, 0x200F: None})
# GFM turns `name@example.com` into a mailto link whatever is escaped (cmark-gfm
# joins the text back before looking for addresses); an invisible word joiner
# after the `@` ends the address there, so no link is formed.
_ESCAPES[ord("@")] = "\\@\u2060"


def escape_markdown(text: str) -> str:
    """Plain text that renders as itself: every line break or control
    character becomes one space, bidirectional controls are dropped,
    metacharacters are backslash-escaped, an e-mail address cannot become a
    link, and leading spaces (four would start a code block; fewer are not
    shown anyway) are dropped."""
    if _LINE_BREAKS.search(text):
        text = _LINE_BREAKS.sub(" ", text)
    return text.lstrip(" ").translate(_ESCAPES)


def link_target(url: str) -> str:
    """A URL that cannot end the Markdown link early or add a title:
    characters with a meaning there are percent-encoded, `%` is kept."""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


def _markdown_text(value: object) -> str:
    """Template filter: strings escaped; numbers and booleans as their JSON
    text, which holds no character Markdown could act on."""
    if isinstance(value, str):
        return escape_markdown(value)
    return _scalar_text(value) or ""


class _Templates:
    """The Jinja2 environment, built and compiled once per process on first
    use (Jinja2 is not needed by the sample rules on the validate path)."""

    def __init__(self) -> None:
        from jinja2 import Environment, PackageLoader, StrictUndefined

        env = Environment(
            loader=PackageLoader("ldkit.trigger", "templates"),
            autoescape=False,
            undefined=StrictUndefined,
            keep_trailing_newline=False,
        )
        env.filters["md"] = _markdown_text
        env.filters["link_target"] = link_target
        self._title = env.get_template("title.txt.j2")
        self._description = env.get_template("description.md.j2")
        self.title = lru_cache(maxsize=64)(self._render_title)

    @staticmethod
    def _render(template, variables: dict[str, object]) -> str:
        # `shared=True` passes the variables as the whole context instead of
        # layering them over the environment's globals, which the templates do
        # not use; that merge was most of the cost of a render.
        return "".join(template.root_render_func(template.new_context(variables, shared=True)))

    def _render_title(self, actor: str, verb: str, flag: str, environment: str) -> str:
        variables = {"actor": actor, "verb": verb, "flag": flag, "environment": environment}
        return self._render(self._title, variables)

    def description(self, event_name: str, url: str | None, value: object) -> str:
        variables = {"event_name": event_name, "url": url, "value": value}
        return self._render(self._description, variables)


@lru_cache(maxsize=1)
def _get_templates() -> _Templates:
    """The entry templates, compiled once: they are read-only after that."""
    return _Templates()


def actor_name(manifest: object, integration_key: str) -> str:
    name = manifest.get("name") if isinstance(manifest, dict) else None
    return f"{name if isinstance(name, str) and name else integration_key} trigger"


def build_entry(
    manifest: object,
    integration_key: str,
    trigger: TriggerConfig,
    event: ParsedEvent,
    timestamp: int,
) -> dict[str, object]:
    templates = _get_templates()
    actor = actor_name(manifest, integration_key)
    verb = "turned on" if trigger.turns_on else "turned off"
    title = templates.title(actor, verb, trigger.flag, trigger.environment)
    description = templates.description(event.event_name, event.url, event.value)
    return {
        "date": timestamp,
        "kind": "flag",
        "action": "updateOn",
        "actor": {"kind": "trigger", "integrationKey": integration_key, "name": actor},
        "target": {"flag": trigger.flag, "environment": trigger.environment},
        "titleVerb": verb,
        "title": title,
        "eventName": event.event_name,
        "value": event.value,
        "url": event.url,
        "description": description,
        "triggerBody": event.json_body,
    }


# --- one call -------------------------------------------------------------------


def invoke(
    manifest: dict,
    integration_key: str,
    trigger: TriggerConfig,
    flag_on: bool,
    request: TriggerRequest,
    history: TriggerHistory | None = None,
    *,
    spec: TriggerSpec | None = None,
) -> InvocationResult:
    """One call to an enabled trigger. `spec` may be passed pre-read to save
    re-reading the manifest in a loop; without it, a manifest without a
    trigger capability behaves like one with every field at its default."""
    if spec is None:
        spec = TriggerSpec.from_manifest(manifest) or TriggerSpec()
    if history is None:
        history = TriggerHistory()
    event = parse_event(spec, request)
    recent = history.record(request.timestamp, event.json_body)
    entry = None
    if event.is_test:
        outcome: Outcome = "test-event"
        flag_on_after = flag_on
    elif flag_on == trigger.turns_on:
        outcome = "no-change"
        flag_on_after = flag_on
    else:
        outcome = "applied"
        flag_on_after = trigger.turns_on
        entry = build_entry(manifest, integration_key, trigger, event, request.timestamp)
    return InvocationResult(outcome, event, flag_on_after, history.trigger_count, recent, entry)


def to_json(result: dict[str, object], *, indent: int | None = 2) -> str:
    """Deterministic JSON text: UTF-8 where possible; a body holding lone
    surrogates (valid JSON escapes, not encodable) falls back to ASCII escapes
    so that the text can always be written."""
    separators = None if indent else (",", ":")
    text = json.dumps(result, ensure_ascii=False, indent=indent, separators=separators)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(result, ensure_ascii=True, indent=indent, separators=separators)
    return text + "\n"
