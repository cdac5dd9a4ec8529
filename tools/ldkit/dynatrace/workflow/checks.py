"""Check one workflow: its format, its trigger, each HTTP task that calls the
flag trigger, and what the payload does for every Davis problem sample.

The payload is rendered by the one expression renderer
(`ldkit.dynatrace.workflow.request`) for every Davis sample the workflow's
trigger selects (its categories, onProblemClose) and the task's condition lets
through, and each body goes through the one trigger parser
(`ldkit.trigger.core.parse_event`) with the integration's manifest. A finding
that several samples show is reported once, naming the first sample and
counting the others. The trigger's `filterQuery`, `entityTags` and
`customFilter` are DQL and tag matching that ldkit does not evaluate: every
sample of a selected category counts as matching.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ldkit.core.findings import Finding
from ldkit.core.rule import RuleDeclaration
from ldkit.dynatrace.workflow import rules
from ldkit.dynatrace.workflow.expressions import Context, ExpressionError, outputs, render
from ldkit.dynatrace.workflow.model import HTTP_ACTION, SCHEMA_VERSION, Reference, Workflow
from ldkit.dynatrace.workflow.request import (
    JSON_CONTENT_TYPE,
    RequestError,
    has_trigger_secret,
    masked_url,
    render_request,
    task_input,
)

#: Actions of the dynatrace.automations app (the Workflows app's own).
AUTOMATIONS_ACTIONS = (
    "dynatrace.automations:http-function",
    "dynatrace.automations:run-javascript",
    "dynatrace.automations:execute-dql-query",
    "dynatrace.automations:run-workflow",
)
#: What a condition may require of a predecessor.
STATES = ("SUCCESS", "ERROR", "ANY", "OK", "NOK")
#: event.category -> the trigger's category switch.
CATEGORIES = {
    "AVAILABILITY": "availability",
    "ERROR": "error",
    "SLOWDOWN": "slowdown",
    "RESOURCE_CONTENTION": "resource",
    "CUSTOM_ALERT": "custom",
    "INFO": "info",
    "MONITORING_UNAVAILABLE": "monitoringUnavailable",
}
_ACTION_SHAPE = re.compile(r"\A[a-z0-9][a-z0-9.-]*:[a-z0-9][a-z0-9-]*\Z")
_CLOSED = "CLOSED"


@dataclass
class Target:
    """What the payload checks run against: the integration's trigger (None:
    no trigger parses the bodies) and its Davis problem samples."""

    integration: object | None  # ldkit.dynatrace.config.payload.Integration
    events: list[tuple[str, dict]] = field(default_factory=list)


def load_events(directory: Path) -> list[tuple[str, dict]]:
    """(name, event) of each usable Davis problem sample of an integration;
    a broken one is `ldkit validate`'s to report."""
    from ldkit.fs import FileRefused
    from ldkit.integration import DAVIS_SUFFIX, davis_paths
    from ldkit.load.jsonpos import load_path

    events: list[tuple[str, dict]] = []
    for path in davis_paths(directory):
        try:
            loaded = load_path(str(path), root=directory)
        except FileRefused:
            continue
        value = loaded.document.value if loaded.ok else None
        if isinstance(value, dict) and isinstance(value.get("event"), dict):
            events.append((path.name.removesuffix(DAVIS_SUFFIX), value["event"]))
    return events


def _get(value: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


class _Checker:
    def __init__(self, workflow: Workflow, target: Target) -> None:
        self.workflow = workflow
        self.target = target
        self.findings: list[Finding] = []

    def add(
        self, pointer: str, rule: type[RuleDeclaration], message: str, index: int | None = None
    ) -> None:
        self.findings.append(self.workflow.finding(pointer, rule, message, index))

    # -- format ------------------------------------------------------------------

    def format(self) -> None:
        wf = self.workflow
        value = wf.value
        from ldkit.dynatrace.workflow.model import WorkflowForm

        if wf.form is not WorkflowForm.TERRAFORM:
            version = value.get("schemaVersion")
            if version != SCHEMA_VERSION:
                state = "missing" if "schemaVersion" not in value else f"{version!r}"
                self.add(
                    "/schemaVersion" if "schemaVersion" in value else "",
                    rules.SchemaVersion,
                    f"schemaVersion is {state}; workflows in the current format carry "
                    f"schemaVersion: {SCHEMA_VERSION}",
                )
        title = value.get("title")
        if not isinstance(title, (str, Reference)) or (
            isinstance(title, str) and not title.strip()
        ):
            self.add(
                "/title" if "title" in value else "",
                rules.WorkflowFormat,
                f"{wf.label} has no title; every workflow needs one",
            )
        tasks = value.get("tasks")
        if isinstance(tasks, list):
            self.add(
                "/tasks",
                rules.WorkflowFormat,
                "tasks is a list; workflows keep tasks as an object keyed by task name "
                '(tasks: {call_trigger: {name: "call_trigger", ...}})',
            )
        elif not isinstance(tasks, dict) or not tasks:
            self.add(
                "/tasks" if "tasks" in value else "",
                rules.WorkflowFormat,
                f"{wf.label} has no tasks",
            )

    def tasks(self) -> None:
        tasks = self.workflow.tasks()
        apps = self._dependency_apps()
        for key, task in tasks.items():
            pointer = f"/tasks/{_escape(key)}"
            if not isinstance(task, dict):
                self.add(pointer, rules.WorkflowFormat, f"task {key!r} is not an object")
                continue
            name = task.get("name")
            if isinstance(name, Reference):
                pass
            elif not isinstance(name, str):
                self.add(pointer, rules.TaskName, f"task {key!r} has no name; write name: {key}")
            elif name != key:
                self.add(
                    f"{pointer}/name",
                    rules.TaskName,
                    f"task {key!r} is named {name!r}; a task's name repeats its key, and "
                    "predecessors, conditions and result() use it",
                )
            self._action(pointer, key, task.get("action"), apps)
            predecessors = task.get("predecessors")
            if isinstance(predecessors, list):
                for i, other in enumerate(predecessors):
                    self._reference(f"{pointer}/predecessors/{i}", key, other, tasks, "predecessor")
            states = _get(task, "conditions", "states")
            if isinstance(states, dict):
                for other, state in states.items():
                    at = f"{pointer}/conditions/states/{_escape(other)}"
                    self._reference(at, key, other, tasks, "condition")
                    if isinstance(state, str) and state not in STATES:
                        close = difflib.get_close_matches(state.upper(), STATES, n=1)
                        hint = f" (did you mean {close[0]}?)" if close else ""
                        self.add(
                            at,
                            rules.TaskReference,
                            f"task {key!r} waits for {other!r} to be {state!r}{hint}; a state "
                            f"is one of {', '.join(STATES)}",
                        )

    def _reference(self, pointer: str, key: str, other: object, tasks: dict, what: str) -> None:
        if not isinstance(other, str):
            return
        if other == key:
            self.add(pointer, rules.TaskReference, f"task {key!r} names itself as its {what}")
        elif other not in tasks:
            close = difflib.get_close_matches(other, list(tasks), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.add(
                pointer,
                rules.TaskReference,
                f"task {key!r} has the {what} {other!r}, which is no task of this workflow{hint}",
            )

    def _dependency_apps(self) -> set[str] | None:
        """The apps a template's metadata depends on (None: not a template)."""
        if self.workflow.metadata is None:
            return None
        apps = _get(self.workflow.metadata, "dependencies", "apps")
        found: set[str] = set()
        for app in apps if isinstance(apps, list) else []:
            if isinstance(app, dict) and isinstance(app.get("id"), str):
                found.add(app["id"])
        return found

    def _action(self, pointer: str, key: str, action: object, apps: set[str] | None) -> None:
        if isinstance(action, Reference):
            return
        if not isinstance(action, str):
            self.add(pointer, rules.UnknownAction, f"task {key!r} has no action (app:action)")
            return
        app = action.partition(":")[0]
        known = app == "dynatrace.automations" and action in AUTOMATIONS_ACTIONS
        if not _ACTION_SHAPE.match(action) or (app == "dynatrace.automations" and not known):
            close = difflib.get_close_matches(action, AUTOMATIONS_ACTIONS, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            self.add(
                f"{pointer}/action",
                rules.UnknownAction,
                f"task {key!r}: {action[:120]!r} is not a known action{hint}",
            )
            return
        if apps is not None and app not in apps:
            self.add(
                f"{pointer}/action",
                rules.UnknownAction,
                f"task {key!r} uses the app {app}, which metadata.dependencies.apps does not "
                "list; the Workflows app imports the template only with its apps",
            )

    # -- trigger -----------------------------------------------------------------

    def trigger(self) -> tuple[dict | None, bool]:
        """The Davis problem trigger's settings (None: none), and whether a
        closing problem runs the workflow."""
        wf = self.workflow
        event_trigger = _get(wf.value, "trigger", "eventTrigger")
        config = _get(event_trigger, "triggerConfiguration")
        kind = _get(config, "type")
        if not isinstance(event_trigger, dict):
            self.add(
                "/trigger" if "trigger" in wf.value else "",
                rules.TriggerKind,
                f"{wf.label} has no event trigger, so only a manual run or a schedule starts it "
                "and no problem ever calls the flag trigger; add a Davis problem trigger "
                "(eventTrigger with triggerConfiguration type davis-problem)",
            )
            return None, False
        if kind != "davis-problem":
            self.add(
                "/trigger/eventTrigger/triggerConfiguration/type"
                if isinstance(config, dict) and "type" in config
                else "/trigger/eventTrigger",
                rules.TriggerKind,
                f"the event trigger is of type {kind!r}, not davis-problem: events that are "
                "not Davis problems (or none) run the workflow; use the Davis problem trigger",
            )
            return None, False
        active = event_trigger.get("isActive")
        if active is False:
            self.add(
                "/trigger/eventTrigger/isActive",
                rules.TriggerKind,
                f"the Davis problem trigger is inactive ({wf.spell('isActive')}: false): no "
                "problem runs the workflow until it is switched on",
            )
        settings = _get(config, "value")
        settings = settings if isinstance(settings, dict) else {}
        base = "/trigger/eventTrigger/triggerConfiguration/value"
        categories = settings.get("categories")
        chosen = (
            {k for k, v in categories.items() if v is True}
            if isinstance(categories, dict)
            else set()
        )
        if not isinstance(categories, Reference) and not chosen:
            self.add(
                f"{base}/categories" if "categories" in settings else base,
                rules.TriggerCategories,
                "the Davis problem trigger selects no problem category, so no problem runs "
                "the workflow; set the categories to watch to true "
                f"({', '.join(CATEGORIES.values())})",
            )
        closes = settings.get("onProblemClose") is True
        return settings, closes

    # -- HTTP tasks --------------------------------------------------------------

    def http(self, settings: dict | None, closes: bool) -> None:
        tasks = [
            (key, task)
            for key, task in self.workflow.tasks().items()
            if isinstance(task, dict) and task.get("action") == HTTP_ACTION
        ]
        if not tasks and self.workflow.tasks():
            self.add(
                "/tasks",
                rules.NoTriggerCall,
                f"no task of {self.workflow.label} is an HTTP request ({HTTP_ACTION}), so "
                "nothing calls the flag trigger",
            )
        for key, task in tasks:
            self._request_shape(key, task)
            self._secrets(key, task)
            self._escaping(key, task)
            self._payload(key, task, settings, closes)

    def _request_shape(self, key: str, task: dict) -> None:
        pointer = f"/tasks/{_escape(key)}/input"
        inputs = task_input(task)
        if isinstance(task.get("input"), Reference):
            return
        method = inputs.get("method")
        if not isinstance(method, (str, Reference)) or not str(method).strip():
            self.add(
                pointer,
                rules.HttpRequest,
                f"task {key!r} sets no method; a flag trigger takes POST",
            )
        elif isinstance(method, str) and "{" not in method and method.strip().upper() != "POST":
            self.add(
                f"{pointer}/method",
                rules.HttpRequest,
                f"task {key!r} sends {method.strip().upper()}; a flag trigger takes POST",
            )
        if not inputs.get("url"):
            self.add(pointer, rules.HttpRequest, f"task {key!r} has no url")
        if "payload" not in inputs:
            self.add(
                pointer,
                rules.HttpRequest,
                f"task {key!r} sends no payload, so the trigger records the default event name "
                "and no link",
            )
        headers = inputs.get("headers")
        kind = None
        if isinstance(headers, dict):
            for name, value in headers.items():
                if str(name).strip().lower() == "content-type":
                    kind = (name, value)
        if kind is None:
            self.add(
                f"{pointer}/headers" if isinstance(headers, dict) else pointer,
                rules.HttpRequest,
                f"task {key!r} sets no Content-Type header; the HTTP action's default is not "
                "documented, and LaunchDarkly reads the body only as application/json: add "
                "Content-Type: application/json",
            )
        elif isinstance(kind[1], str) and not kind[1].strip().lower().startswith(JSON_CONTENT_TYPE):
            self.add(
                f"{pointer}/headers/{_escape(str(kind[0]))}",
                rules.HttpRequest,
                f"task {key!r} sends Content-Type {kind[1][:80]!r}; LaunchDarkly reads the body "
                "only as application/json, so the event name and link are lost",
            )
        if not inputs.get("failOnResponseCodes"):
            self.add(
                pointer,
                rules.FailOnResponseCodes,
                f"task {key!r} has no failOnResponseCodes, so it succeeds whatever LaunchDarkly "
                'answers; set failOnResponseCodes: "400-599"',
            )

    def _secrets(self, key: str, task: dict) -> None:
        pointer = f"/tasks/{_escape(key)}/input"
        inputs = task_input(task)
        places: list[tuple[str, object]] = [("url", inputs.get("url"))]
        headers = inputs.get("headers")
        if isinstance(headers, dict):
            places.extend((f"headers/{_escape(str(n))}", v) for n, v in headers.items())
        places.append(("payload", inputs.get("payload")))
        for where, value in places:
            if isinstance(value, str) and has_trigger_secret(value):
                shown = masked_url(value.strip())[:160]
                self.add(
                    f"{pointer}/{where}",
                    rules.LiteralTriggerUrl,
                    f"task {key!r} writes a trigger URL ({shown}) into the workflow; whoever "
                    f"reads it can flip the flag: {self.workflow.form.secret_alternative}",
                )

    def _escaping(self, key: str, task: dict) -> None:
        payload = task_input(task).get("payload")
        if not isinstance(payload, str) or not payload.lstrip().startswith(("{", "[")):
            return
        pointer = f"/tasks/{_escape(key)}/input/payload"
        for output in outputs(payload):
            if output.reads_event and not output.escaped:
                self.add(
                    pointer,
                    rules.UnescapedEventText,
                    f"task {key!r}: {output.source[:100]} puts event text into the JSON payload "
                    "without | to_json; a quote, backslash or line break in it breaks the body",
                    output.offset,
                )

    def _payload(self, key: str, task: dict, settings: dict | None, closes: bool) -> None:
        from ldkit.trigger.core import TriggerRequest, parse_event

        pointer = f"/tasks/{_escape(key)}/input"
        integration = self.target.integration
        spec = getattr(integration, "spec", None)
        per_rule: dict[tuple[str, str], list] = {}
        no_name: list[str] = []
        no_link: list[str] = []
        closing: list[str] = []
        for label, event in self.target.events:
            if not _selected(settings, closes, event):
                continue
            if not _condition_passes(task, key, event):
                continue
            try:
                request = render_request(key, task, event)
            except RequestError as exc:
                at = f"{pointer}/{exc.key.replace('.', '/', 1)}"
                index = _line_index(task_input(task), exc.key, exc.error)
                _collect(per_rule, (rules.ExpressionFails.id, exc.error.message), label, at, index)
                continue
            kind = request.content_type or JSON_CONTENT_TYPE
            body = request.body.encode("utf-8", errors="surrogatepass")
            if spec is None:
                if not _is_json_object(request.body):
                    _collect(per_rule, (rules.PayloadNotJson.id, ""), label, f"{pointer}/payload")
                continue
            parsed = parse_event(spec, TriggerRequest(body, 0, kind, source=label))
            if parsed.json_body is None:
                _collect(per_rule, (rules.PayloadNotJson.id, ""), label, f"{pointer}/payload")
                continue
            if parsed.event_name_source != "body":
                no_name.append(label)
            if spec.url_pointer is not None and parsed.url is None:
                no_link.append(label)
            if event.get("event.status") == _CLOSED and not parsed.is_test:
                closing.append(label)
        for (rule_id, message), (labels, at, index) in per_rule.items():
            also = (
                f" (also for {len(labels) - 1} more: {', '.join(labels[1:])})" if labels[1:] else ""
            )
            if rule_id == rules.ExpressionFails.id:
                self.add(
                    at,
                    rules.ExpressionFails,
                    f"task {key!r}, rendered for the Davis sample {labels[0]}{also}: {message}",
                    index,
                )
            else:
                self.add(
                    at,
                    rules.PayloadNotJson,
                    f"task {key!r}: the payload rendered for the Davis sample {labels[0]}{also} "
                    "is not a JSON object, so the trigger keeps no body and falls back to the "
                    "default event name; escape event text with | to_json",
                )
        name = integration.key if integration is not None else ""
        if no_name and spec is not None:
            self.add(
                f"{pointer}/payload",
                rules.NoEventName,
                f"task {key!r}: for the Davis sample{'s' if len(no_name) > 1 else ''} "
                f"{', '.join(no_name)} the trigger reads no event name from the body (the {name} "
                f"integration's parser reads {spec.event_name_pointer!r}); put "
                '{{ event()["event.name"] | to_json }} there',
            )
        if no_link and spec is not None:
            self.add(
                f"{pointer}/payload",
                rules.NoLink,
                f"task {key!r}: for the Davis sample{'s' if len(no_link) > 1 else ''} "
                f"{', '.join(no_link)} the trigger reads no usable link (the parser reads "
                f"{spec.url_pointer!r}), so the change history entry does not lead back to the "
                "problem",
            )
        close = self.workflow.spell("onProblemClose")
        if closing and not _skips_closed(task):
            self.add(
                "/trigger/eventTrigger/triggerConfiguration/value/onProblemClose",
                rules.CloseCallsTrigger,
                f"{close} is true and task {key!r} has no condition on event.status: the "
                f"closing Davis sample {', '.join(closing)} calls the flag trigger again, which "
                f"runs its action a second time; set {close} to false or add custom: "
                '\'{{ event()["event.status"] == "ACTIVE" }}\' to the task\'s conditions',
            )


def _collect(per_rule: dict, key: tuple, label: str, at: str, index: int | None = None) -> None:
    entry = per_rule.setdefault(key, [[], at, index])
    entry[0].append(label)


def _line_index(inputs: dict, key: str, error: ExpressionError) -> int | None:
    """The index of the start of the failing line within the input's text."""
    value = inputs.get(key) if "." not in key else None
    if error.line is None or not isinstance(value, str):
        return None
    index = 0
    for _ in range(error.line - 1):
        found = value.find("\n", index)
        if found < 0:
            return None
        index = found + 1
    return index


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def _selected(settings: dict | None, closes: bool, event: Mapping) -> bool:
    """Whether the Davis problem trigger runs the workflow for this event."""
    if settings is None:
        return True  # no Davis trigger: LD755 says so; check the task anyway
    if event.get("event.status") == _CLOSED and not closes:
        return False
    categories = settings.get("categories")
    if isinstance(categories, dict):
        switch = CATEGORIES.get(str(event.get("event.category")))
        return categories.get(switch) is True
    return True


def _condition_passes(task: dict, key: str, event: Mapping) -> bool:
    custom = _get(task, "conditions", "custom")
    if not isinstance(custom, str) or not custom.strip():
        return True
    try:
        text = render(custom, Context(event, key)).strip()
    except ExpressionError:
        return True  # rendered as an input elsewhere; assume it runs
    return text.lower() not in ("false", "none", "", "0")


def _skips_closed(task: dict) -> bool:
    custom = _get(task, "conditions", "custom")
    return isinstance(custom, str) and "event.status" in custom


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def check(workflow: Workflow, target: Target) -> list[Finding]:
    checker = _Checker(workflow, target)
    checker.format()
    checker.tasks()
    settings, closes = checker.trigger()
    checker.http(settings, closes)
    return list(workflow.findings) + checker.findings
