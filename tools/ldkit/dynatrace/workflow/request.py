"""The HTTP request one workflow task sends for one Davis problem event.

`render_request` evaluates the task's inputs (url, method, headers, payload)
with the one expression renderer; `ldkit render --workflow`, the workflow
checks and workflow replay cases all call it, so they show the same body.
Secrets stay markers and a literal trigger URL is masked whenever a URL is
shown (`masked_url`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ldkit.dynatrace.workflow.expressions import Context, ExpressionError, render
from ldkit.dynatrace.workflow.model import HTTP_ACTION, Reference, Workflow

if TYPE_CHECKING:
    from ldkit.fs import Reads

#: The inputs of an HTTP request task that carry text ldkit renders.
TEXT_INPUTS = ("url", "method", "payload")
JSON_CONTENT_TYPE = "application/json"
#: A trigger URL's path: the 24-hex trigger id and the UUID secret.
_TRIGGER_SECRET = re.compile(r"(/webhook/triggers/)([0-9a-fA-F]{24})/([0-9a-fA-F-]{36})")


class RequestError(Exception):
    """A task whose request cannot be rendered: `key` is the input, `error`
    the expression's failure."""

    def __init__(self, key: str, error: ExpressionError) -> None:
        super().__init__(f"input {key}: {error.message}")
        self.key = key
        self.error = error


@dataclass(frozen=True)
class Request:
    task: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    @property
    def content_type(self) -> str | None:
        for name, value in self.headers.items():
            if name.strip().lower() == "content-type":
                return value
        return None

    def text(self) -> str:
        """Method, masked URL and headers, a blank line, the body."""
        lines = [f"{self.method} {masked_url(self.url)}"]
        lines.extend(f"{name}: {value}" for name, value in self.headers.items())
        return "\n".join(lines) + "\n\n" + self.body


def masked_url(url: str) -> str:
    """The URL with a trigger's secret replaced: the trigger id's first four
    digits stay, so a user can tell triggers apart; the UUID never shows."""
    return _TRIGGER_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)[:4]}…/<secret>", url)


def has_trigger_secret(text: str) -> bool:
    return _TRIGGER_SECRET.search(text) is not None


def task_input(task: Mapping[str, object]) -> dict:
    value = task.get("input")
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    if isinstance(value, Reference):
        return str(value)
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


def render_input(key: str, value: object, context: Context) -> str:
    try:
        return render(_text(value), context)
    except ExpressionError as exc:
        raise RequestError(key, exc) from None


def render_request(name: str, task: Mapping[str, object], event: Mapping | None) -> Request:
    """The request task `name` sends for `event`; RequestError when an input
    does not render."""
    context = Context(event, name)
    inputs = task_input(task)
    rendered = {key: render_input(key, inputs.get(key), context) for key in TEXT_INPUTS}
    headers: dict[str, str] = {}
    raw_headers = inputs.get("headers")
    if isinstance(raw_headers, dict):
        for header, value in raw_headers.items():
            headers[str(header)] = render_input(f"headers.{header}", value, context)
    return Request(
        task=name,
        method=rendered["method"].strip().upper() or "GET",
        url=rendered["url"],
        headers=headers,
        body=rendered["payload"],
    )


class TaskChoiceError(Exception):
    """No HTTP task to render, or not the one asked for (exit 2)."""


def choose_task(workflow: Workflow, name: str | None) -> tuple[str, dict]:
    """The HTTP request task called `name`, or the only one."""
    tasks = {
        key: task
        for key, task in workflow.tasks().items()
        if isinstance(task, dict) and task.get("action") == HTTP_ACTION
    }
    if name is not None:
        task = workflow.tasks().get(name)
        if not isinstance(task, dict):
            known = ", ".join(sorted(workflow.tasks())) or "none"
            raise TaskChoiceError(f"no task {name!r} in {workflow.label} (tasks: {known})")
        if task.get("action") != HTTP_ACTION:
            raise TaskChoiceError(
                f"task {name!r} is {task.get('action')!r}, not an HTTP request ({HTTP_ACTION})"
            )
        return name, task
    if len(tasks) == 1:
        return next(iter(tasks.items()))
    if not tasks:
        raise TaskChoiceError(f"{workflow.label} has no HTTP request task ({HTTP_ACTION})")
    raise TaskChoiceError(
        f"{workflow.label} has {len(tasks)} HTTP request tasks ({', '.join(tasks)}); "
        "choose one with --task NAME"
    )


def load_event(path: str, *, root: object, reads: Reads | None = None) -> dict:
    """The event of a Davis problem sample file (`{"event": {...}}`), or of a
    file that is the event itself. ValueError says why not. `reads`: the run's
    reads, when several replay cases name the same sample."""
    from ldkit.fs import read_bytes

    try:
        value = json.loads(read_bytes(path, root=root, reads=reads).decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if isinstance(value, dict) and isinstance(value.get("event"), dict):
        return value["event"]
    if isinstance(value, dict) and "event.kind" in value:
        return value
    raise ValueError("not a Davis problem sample: no event object")
