"""Replay cases: a stored webhook call plus the trigger it hits, and the result
it must produce (`<name>.expected.json` beside it).

A case pins everything that would otherwise vary (timestamp, flag state,
action), so replaying it is deterministic and the expected file can be
compared byte for byte. Loading is lenient about nothing: a broken case raises
`CaseError` with a message a partner can act on; `ldkit validate` reports the
same problems with positions (see `ldkit.checks.replay_case`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldkit.integration import BODY_SOURCES, case_name, case_owner, expected_path_for
from ldkit.load.plain import parse_json
from ldkit.schema.fast import compile_acceptance
from ldkit.schema.messages import SchemaProblem, translate
from ldkit.trigger.core import DEFAULT_CONTENT_TYPE, TriggerConfig, TriggerRequest

if TYPE_CHECKING:
    from jsonschema import Draft7Validator

    from ldkit.fs import Reads


class CaseError(Exception):
    """A case that cannot be run; the message names the file and the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ReplayCase:
    path: Path
    name: str
    description: str
    sample: str | None
    expected_path: Path
    trigger: TriggerConfig
    flag_on: bool
    timestamp: int
    content_type: str
    integration_dir: Path
    request: dict[str, object] = field(repr=False, default_factory=dict)
    #: The run's reads (`ldkit.fs.Reads`) when the case is one of many a run
    #: reads the files of; None reads each file afresh.
    reads: Reads | None = field(repr=False, compare=False, default=None)

    @property
    def body_source(self) -> str:
        """What warnings about the body name as their `path`: the body file, or
        the case file for inline bodies; relative to the integration folder so
        that expected files do not depend on where the repository lives."""
        if isinstance(self.request.get("bodyFile"), str):
            target = self.path.parent / str(self.request["bodyFile"])
        else:
            target = self.path
        return _relative_posix(target, self.integration_dir)

    def request_bytes(self) -> bytes:
        """The exact bytes the trigger receives."""
        request = self.request
        if "body" in request:
            text = json.dumps(request["body"], ensure_ascii=False)
            try:
                return text.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates travel as \u escapes
                return json.dumps(request["body"]).encode("ascii")
        if "bodyText" in request:
            return str(request["bodyText"]).encode("utf-8", errors="surrogatepass")
        if "bodyFile" in request:
            target = self._file(request["bodyFile"], "request.bodyFile")
            return self._read(target, "request.bodyFile")
        if "workflow" in request:
            return self._workflow_request(request["workflow"]).body.encode(
                "utf-8", errors="surrogatepass"
            )
        return self._dynatrace_body(request["dynatrace"])

    def trigger_request(self) -> TriggerRequest:
        content_type = self.content_type
        workflow = self.request.get("workflow")
        if isinstance(workflow, dict):
            # The workflow's task is rendered once for the body and, unless the
            # case names one, the Content-Type it sends.
            sent = self._workflow_request(workflow)
            if "contentType" not in self.request:
                content_type = sent.content_type or content_type
            body = sent.body.encode("utf-8", errors="surrogatepass")
        else:
            body = self.request_bytes()
        return TriggerRequest(
            body=body,
            timestamp=self.timestamp,
            content_type=content_type,
            source=self.body_source,
        )

    def _workflow_request(self, spec: dict):  # noqa: ANN202 - a workflow Request
        """The request the case's workflow task sends for its Davis event."""
        from ldkit.dynatrace.config.model import ReadError
        from ldkit.dynatrace.workflow.readers import ReadError as WorkflowReadError
        from ldkit.dynatrace.workflow.request import (
            Request,
            RequestError,
            TaskChoiceError,
            choose_task,
            load_event,
            render_request,
        )
        from ldkit.dynatrace.workflow.run import read_workflows
        from ldkit.fs import FileRefused

        workflow_path = self._file(spec.get("file"), "request.workflow.file")
        event_path = self._file(spec.get("event"), "request.workflow.event")
        try:
            event = load_event(str(event_path), root=self.integration_dir, reads=self.reads)
        except FileRefused as refused:
            raise CaseError(f"{self.path}: request.workflow.event: {refused.reason}") from None
        except ValueError as exc:
            raise CaseError(f"{self.path}: request.workflow.event {event_path}: {exc}") from None
        try:
            workflows = read_workflows(
                str(workflow_path), root=self.integration_dir, reads=self.reads
            )
        except (ReadError, WorkflowReadError) as exc:
            raise CaseError(f"{self.path}: {exc}") from None
        if workflows is None or not workflows.workflows:
            raise CaseError(
                f"{self.path}: request.workflow.file {workflow_path} holds no workflow "
                f"(ldkit dynatrace check {workflow_path} says why)"
            )
        task = spec.get("task")

        def render() -> Request:
            try:
                name, found = choose_task(
                    workflows.workflows[0], task if isinstance(task, str) else None
                )
                return render_request(name, found, event)
            except (TaskChoiceError, RequestError) as exc:
                raise CaseError(f"{self.path}: request.workflow: {exc}") from None

        return _cached_request(workflow_path, event_path, task, render)

    def _file(self, value: object, where: str) -> Path:
        """The file a case names: relative to the case, inside the integration folder.

        A path that leaves the integration (absolute, `..` past its top, a
        symbolic link out) is refused and never read: a case from a pull request
        must not print a CI runner's files into a public log.
        """
        from ldkit.fs import is_regular_file

        if not isinstance(value, str) or not value:
            raise CaseError(f"{self.path}: {where} must be a path relative to the case file")
        problem = file_outside(self.path.parent, value, self.integration_dir)
        if problem is not None:
            raise CaseError(f"{self.path}: {where} {value!r} {problem}")
        target = self.path.parent / value
        if not is_regular_file(target):
            raise CaseError(f"{self.path}: {where} {value!r} does not exist (looked in {target})")
        return target

    def _read(self, target: Path, where: str) -> bytes:
        from ldkit.fs import FileRefused, read_bytes

        try:
            return read_bytes(target, root=self.integration_dir, reads=self.reads)
        except FileRefused as refused:
            raise CaseError(f"{self.path}: {where} {target}: {refused.reason}") from None

    def _dynatrace_body(self, spec: dict) -> bytes:
        test_notification = spec.get("testNotification", False) is True
        template_path = self._file(spec.get("template"), "request.dynatrace.template")
        problem: dict | None = None
        if "problem" in spec or not test_notification:
            problem_path = self._file(spec.get("problem"), "request.dynatrace.problem")
            data = self._read(problem_path, "request.dynatrace.problem")
            try:
                problem = load_json(data)
            except ValueError as exc:
                raise CaseError(
                    f"{self.path}: request.dynatrace.problem {problem_path} is not readable "
                    f"JSON ({exc}); fix it (`ldkit validate` shows where)"
                ) from None
            if not isinstance(problem, dict):
                raise CaseError(f"{self.path}: the problem sample {problem_path} is not an object")
        from ldkit.dynatrace.render import TemplateError, read_template, render_payload

        try:
            template = read_template(
                str(template_path), root=str(self.integration_dir), reads=self.reads
            )
        except TemplateError as exc:
            raise CaseError(f"{self.path}: {exc}") from None
        result = render_payload(
            template,
            problem,
            content_type=spec.get("contentType", self.content_type),
            test_notification=test_notification,
            path=_relative_posix(template_path, self.integration_dir),
        )
        return result.body.encode("utf-8", errors="surrogatepass")


def file_outside(folder: Path, value: str, integration_dir: Path) -> str | None:
    """Why the path `value` (relative to `folder`) may not be read, or None.

    Only files inside the integration folder may be named: not an absolute
    path, not `..` past the integration, not a symbolic link out of it.
    """
    from ldkit.fs import inside

    if "\x00" in value:
        return "contains a NUL character"
    if Path(value).is_absolute() or value.startswith(("/", "\\")):
        return "is an absolute path; name a file in the integration folder, relative to the case"
    if not inside(folder / value, integration_dir):
        return (
            "leads outside the integration folder; only files inside it are read (copy the "
            "file into the integration)"
        )
    return None


load_json = parse_json


def _relative_posix(target: Path, base: Path) -> str:
    from ldkit.fs import relative_posix

    shown = relative_posix(target, base)
    return target.as_posix() if shown is None else shown


@lru_cache(maxsize=1)
def _case_schema() -> dict:
    from ldkit.fs import read_text
    from ldkit.schema.files import schemas_root

    root = schemas_root()
    return json.loads(read_text(root / "replay" / "case.schema.json", root=root))


@lru_cache(maxsize=1)
def _case_accepts() -> Callable[[object], bool] | None:
    return compile_acceptance(_case_schema())


@lru_cache(maxsize=1)
def _case_validator() -> Draft7Validator:
    from jsonschema import Draft7Validator

    return Draft7Validator(_case_schema())


def case_problems(data: object) -> list[SchemaProblem]:
    """What `schemas/replay/case.schema.json` says is wrong with a case. A valid
    case is recognised by the schema's fast path, without importing jsonschema."""
    accepts = _case_accepts()
    if accepts is not None and accepts(data):
        return []
    return translate(_case_validator().iter_errors(data), "the case")


def load_case(
    path: Path, integration_dir: Path | None = None, reads: Reads | None = None
) -> ReplayCase:
    """Parse one case file; raises `CaseError` when it cannot be run: it is not
    JSON, breaks the case schema (`ldkit validate` shows where), or names its
    body in other than exactly one way. `reads`: the run's reads, when files
    the case names are read by other checks of the run too."""
    if integration_dir is None:
        integration_dir = case_owner(path)
    data = _read_case(path, integration_dir, reads)
    request = data["request"]
    sources = [key for key in BODY_SOURCES if key in request]
    if len(sources) != 1:
        found = ", ".join(sources) if sources else "none"
        raise CaseError(
            f"{path}: request needs exactly one body source of {', '.join(BODY_SOURCES)} "
            f"(found: {found})"
        )
    defaults = TriggerConfig()
    trigger_data = data.get("trigger", {})
    config = TriggerConfig(
        action=trigger_data.get("action", defaults.action),
        flag=trigger_data.get("flag", defaults.flag),
        environment=trigger_data.get("environment", defaults.environment),
    )
    dynatrace = request.get("dynatrace", {})
    content_type = request.get("contentType", dynatrace.get("contentType", DEFAULT_CONTENT_TYPE))
    return ReplayCase(
        path=path,
        name=case_name(path, integration_dir),
        description=data["description"],
        sample=data.get("sample"),
        expected_path=expected_path_for(path),
        trigger=config,
        flag_on=data.get("flagState", "off" if config.turns_on else "on") == "on",
        timestamp=request["timestamp"],
        content_type=content_type,
        integration_dir=integration_dir,
        request=request,
        reads=reads,
    )


def _read_case(path: Path, integration_dir: Path, reads: Reads | None) -> dict:
    """The case as JSON that follows the case schema."""
    from ldkit.fs import FileRefused, read_bytes

    try:
        data = load_json(read_bytes(path, root=integration_dir, reads=reads))
    except FileRefused as refused:
        raise CaseError(f"{path}: {refused.reason}") from None
    except ValueError as exc:
        raise CaseError(f"{path}: not valid JSON ({exc}); run `ldkit validate {path}`") from None
    problems = case_problems(data)
    if problems:
        raise CaseError(f"{path}: {problems[0].message}; run `ldkit validate {path}`")
    return data


def _cached_request(workflow: Path, event: Path, task: object, render: Callable[[], Any]) -> Any:
    """A workflow task's request for a Davis event, from the user's cache when
    neither file (nor ldkit) changed, by path, size and modification time: the
    expression renderer, and Jinja2 with it, is then never imported."""
    from ldkit.dynatrace.workflow.request import Request
    from ldkit.user_cache import cached, code_stamp, content_key, file_stamps

    stamps = file_stamps([workflow, event])
    if stamps is None:
        return render()
    key = content_key("workflow request 1", [*code_stamp(), ("task", repr(task).encode()), *stamps])
    fields = ("task", "method", "url", "headers", "body")

    def as_json() -> dict[str, object]:
        request = render()
        return {name: getattr(request, name) for name in fields}

    def usable(value: object) -> bool:
        return (
            isinstance(value, dict)
            and set(value) == set(fields)
            and isinstance(value["headers"], dict)
            and all(isinstance(value[n], str) for n in fields if n != "headers")
        )

    return Request(**cached("workflow-request", key, as_json, accept=usable))
