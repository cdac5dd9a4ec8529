"""Read a workflow in each form a team keeps it, into the API-shaped model.

- The workflow template (YAML, the Workflows app's import and export):
  `metadata`, then `workflow:` with the workflow itself. Positions come from
  PyYAML's node marks (the `dynatrace` extra).
- The Automation API JSON (`/platform/automation/v1/workflows`): the workflow
  object itself, positioned by ldkit's JSON loader.
- Terraform `dynatrace_automation_workflow` (python-hcl2, the `dynatrace`
  extra): blocks and attributes become the API's keys; a task's `input =
  jsonencode({...})` is evaluated member by member, and a member Terraform can
  only know at apply time (a variable, a resource attribute) becomes a
  `Reference`.
- A Monaco project: `configs` of type `automation: resource: workflow` whose
  JSON template is the API object, where Monaco's Go templates run first:
  ``{{ `{{` }}`` writes a literal `{{`, `{{ .param }}` a parameter, and any
  other `{{ ... }}` is a Go action that breaks the deployment (LD750).

Every reader reports the mistakes of its own form (a template whose tasks are a
list, an API object with the template's `metadata`) as LD750 at the place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ldkit.dynatrace.config.model import Where, located
from ldkit.dynatrace.workflow import rules
from ldkit.dynatrace.workflow.model import (
    HTTP_ACTION,
    Reference,
    Workflow,
    WorkflowFile,
    WorkflowForm,
)
from ldkit.load.jsonpos import Document, load_bytes
from ldkit.load.pointer import child

EXTRA = "dynatrace"
TERRAFORM_RESOURCE = "dynatrace_automation_workflow"
#: A YAML document with more nodes than this (aliases expanded) is refused.
MAX_YAML_NODES = 200_000
#: Terraform's davis_problem categories and the API's names for them.
CATEGORY_KEYS = {
    "availability": "availability",
    "custom": "custom",
    "error": "error",
    "info": "info",
    "monitoring_unavailable": "monitoringUnavailable",
    "resource": "resource",
    "slowdown": "slowdown",
}


class ReadError(Exception):
    """A file that cannot be read at all (an extra not installed): exit 2."""


def looks_like_api(value: object) -> bool:
    """An Automation API workflow object: `tasks` plus a workflow's keys."""
    return (
        isinstance(value, dict)
        and "tasks" in value
        and any(key in value for key in ("trigger", "schemaVersion", "title", "triggerType"))
    )


def looks_like_template(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("workflow"), dict)


# -- JSON ----------------------------------------------------------------------------


def read_api(document: Document, findings: list | None = None) -> WorkflowFile:
    """An Automation API workflow (or a JSON file holding a template's
    `workflow:`, which is reported and read anyway)."""
    result = WorkflowFile(document.path, document.text, findings=list(findings or []))
    value = document.value
    base = ""
    if looks_like_template(value):
        result.findings.append(
            document.finding(
                rules.WorkflowFormat.id,
                rules.WorkflowFormat.severity,
                "a workflow template's top level (metadata, workflow) in a JSON file: the "
                "Automation API takes the workflow object itself; keep templates as YAML, or "
                "send only the value of workflow to the API",
                "/workflow",
                key=True,
            )
        )
        base = "/workflow"
        value = value["workflow"]
    elif isinstance(value, dict) and "metadata" in value:
        result.findings.append(
            document.finding(
                rules.WorkflowFormat.id,
                rules.WorkflowFormat.severity,
                "metadata belongs to the workflow template (YAML) format; the Automation API "
                "does not take it: remove it, or keep the file as a template",
                "/metadata",
                key=True,
            )
        )
    if not isinstance(value, dict):
        return result

    def where(pointer: str) -> Where:
        full = base + pointer
        line, column = document.position(full)
        return Where(line, column, full)

    def where_in(pointer: str, index: int) -> Where:
        full = base + pointer
        line, column = document.line_col(document.string_offset(full, index))
        return Where(line, column, full)

    result.workflows.append(
        Workflow(WorkflowForm.API, "the workflow", document.path, value, where, where_in)
    )
    return result


# -- YAML ----------------------------------------------------------------------------


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        raise ReadError(
            f"reading a workflow template needs PyYAML: pip install 'ld-integration-kit[{EXTRA}]'"
        ) from None
    return yaml


class YamlTree:
    """A YAML document's value plus the node behind every JSON pointer."""

    def __init__(self, text: str, root: Any) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.nodes: dict[str, Any] = {}
        self.count = 0
        self.value = self._walk(root, "") if root is not None else None

    def _walk(self, node: Any, pointer: str) -> object:
        import yaml

        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise ValueError(f"more than {MAX_YAML_NODES:,} nodes (aliases expanded)")
        self.nodes.setdefault(pointer, node)
        if isinstance(node, yaml.MappingNode):
            mapping: dict[str, object] = {}
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                self.nodes.setdefault(child(pointer, name) + "#key", key)
                mapping[name] = self._walk(value, child(pointer, name))
            return mapping
        if isinstance(node, yaml.SequenceNode):
            return [self._walk(item, child(pointer, i)) for i, item in enumerate(node.value)]
        return _scalar(node)

    def where(self, pointer: str) -> Where:
        probe = pointer
        while True:
            node = self.nodes.get(probe)
            if node is not None:
                return Where(node.start_mark.line + 1, node.start_mark.column + 1, pointer)
            if not probe:
                return Where(1, 1, pointer)
            probe = probe.rpartition("/")[0]

    def where_in(self, pointer: str, index: int) -> Where:
        """Character `index` of the string scalar at `pointer`: exact for block
        scalars (`|`, `>` keep one value line per file line) and single-line
        plain or quoted scalars; otherwise the scalar's start."""
        node = self.nodes.get(pointer)
        value = getattr(node, "value", None)
        if node is None or not isinstance(value, str):
            return self.where(pointer)
        start = node.start_mark
        before = value[:index]
        if node.style in ("|", ">"):
            line = start.line + 1 + before.count("\n")
            if line >= len(self.lines):
                return self.where(pointer)
            indent = self._block_indent(start.line + 1)
            column = indent + len(before) - (before.rfind("\n") + 1)
            return Where(line + 1, column + 1, pointer)
        if "\n" in value or start.line != node.end_mark.line:
            return self.where(pointer)
        quote = 1 if node.style in ('"', "'") else 0
        return Where(start.line + 1, start.column + 1 + quote + index, pointer)

    def _block_indent(self, first: int) -> int:
        """A block scalar's indentation: that of its first non-blank line."""
        for text in self.lines[first : first + 1000]:
            if text.strip():
                return len(text) - len(text.lstrip(" "))
        return 0


def _scalar(node: Any) -> object:
    """A scalar node's value as YAML 1.1's safe loader resolves it."""
    import yaml

    if node.tag.endswith(":null"):
        return None
    if node.tag.endswith(":bool"):
        return str(node.value).lower() in ("true", "yes", "on", "y")
    if node.tag.endswith(":int"):
        try:
            return int(str(node.value).replace("_", ""), 0)
        except ValueError:
            return str(node.value)
    if node.tag.endswith(":float"):
        try:
            return float(str(node.value).replace("_", ""))
        except ValueError:
            return str(node.value)
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def compose_yaml(path: str, text: str) -> tuple[YamlTree | None, list]:
    """The YAML tree of a file, or None with an LD750 finding."""
    yaml = _yaml()
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        return YamlTree(text, root), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
        message = f"not valid YAML: {problem}"
    except (ValueError, RecursionError) as exc:
        line, column = 1, 1
        message = f"not read: {exc}" if str(exc) else "not read: nested too deeply"
    return None, [located(path, line, column, rules.WorkflowFormat, message)]


def read_template(path: str, text: str) -> WorkflowFile:
    result = WorkflowFile(path, text)
    tree, problems = compose_yaml(path, text)
    result.findings.extend(problems)
    if tree is None:
        return result
    value = tree.value
    if not looks_like_template(value):
        where = tree.where("")
        result.findings.append(
            located(
                path,
                where.line,
                where.column,
                rules.WorkflowFormat,
                "no workflow: a workflow template has a top-level workflow: mapping (with "
                "title, tasks, trigger and schemaVersion: 3) after its metadata",
            )
        )
        return result
    assert isinstance(value, dict)
    if "metadata" not in value:
        result.findings.append(
            located(
                path,
                1,
                1,
                rules.WorkflowFormat,
                "no metadata: a workflow template starts with metadata (version, "
                "dependencies.apps naming dynatrace.automations for HTTP tasks, inputs); "
                "the Workflows app refuses to import it without",
            )
        )

    def where(pointer: str) -> Where:
        return tree.where("/workflow" + pointer)

    def where_in(pointer: str, index: int) -> Where:
        return tree.where_in("/workflow" + pointer, index)

    result.workflows.append(
        Workflow(
            WorkflowForm.TEMPLATE,
            "the workflow",
            path,
            value["workflow"],
            where,
            where_in,
            metadata=value.get("metadata"),
        )
    )
    return result


# -- Terraform ------------------------------------------------------------------------


def read_terraform(path: str, text: str) -> WorkflowFile:
    """The `dynatrace_automation_workflow` resources of one `.tf` file. A
    syntax error is the webhook reader's to report (both read every `.tf`)."""
    from ldkit.dynatrace.config import terraform as hcl

    module = hcl.hcl2_module()
    result = WorkflowFile(path, text)
    try:
        tree = module.parses(text)
    except Exception:  # noqa: BLE001 - lark raises several error types; LD700 reports it
        return result
    from hcl2.rules.base import BlockRule

    evaluate = hcl.Evaluator(Path(path).resolve().parent)
    for node in tree.body.children:
        if not isinstance(node, BlockRule):
            continue
        labels = [label.serialize(evaluate.options) for label in node.labels]
        if len(labels) != 3 or labels[0] != "resource" or labels[1] != TERRAFORM_RESOURCE:
            continue
        address = f"{labels[1]}.{labels[2]}"
        block = hcl.Block(node, address, evaluate)
        result.workflows.append(_terraform_workflow(block, address, path, evaluate))
    return result


def _terraform_workflow(block: Any, address: str, path: str, evaluate: Any) -> Workflow:
    places: dict[str, Where] = {"": block.where}
    value: dict[str, object] = {}

    def put(target: dict, pointer: str, key: str, source: Any, api_key: str | None = None) -> None:
        field = source.get(key)
        name = api_key or key
        if not field.present:
            return
        places[child(pointer, name)] = field.where
        target[name] = Reference(field.reference) if field.reference is not None else field.value

    put(value, "", "title", block)
    put(value, "", "description", block)
    put(value, "", "private", block, "isPrivate")
    tasks: dict[str, object] = {}
    value["tasks"] = tasks
    group = block.child("tasks")
    if group is not None:
        places["/tasks"] = group.where
    for task_block in group.children("task") if group is not None else []:
        name_field = task_block.get("name")
        key = name_field.value if isinstance(name_field.value, str) else f"?{len(tasks)}"
        pointer = child("/tasks", key)
        places[pointer] = task_block.where
        task: dict[str, object] = {}
        tasks[key] = task
        for attribute in ("name", "description", "action", "active", "predecessors"):
            put(task, pointer, attribute, task_block)
        input_attribute = task_block.attributes.get("input")
        if input_attribute is not None:
            field = task_block.get("input")
            places[child(pointer, "input")] = field.where
            task["input"] = _terraform_input(input_attribute, evaluate, field)
        conditions = task_block.child("conditions")
        if conditions is not None:
            places[child(pointer, "conditions")] = conditions.where
            states: dict[str, object] = {}
            task["conditions"] = states_holder = {"states": states}
            put(states_holder, child(pointer, "conditions"), "custom", conditions)
            put(states_holder, child(pointer, "conditions"), "else", conditions)
            field = conditions.get("states")
            if field.present:
                places[child(pointer, "conditions") + "/states"] = field.where
                if isinstance(field.value, dict):
                    states.update(field.value)
    trigger = block.child("trigger")
    event = trigger.child("event") if trigger is not None else None
    if trigger is not None:
        places["/trigger"] = trigger.where
        value["trigger"] = {}
    if event is not None:
        event_trigger: dict[str, object] = {}
        value["trigger"] = {"eventTrigger": event_trigger}
        places["/trigger/eventTrigger"] = event.where
        put(event_trigger, "/trigger/eventTrigger", "active", event, "isActive")
        config = event.child("config")
        davis = config.child("davis_problem") if config is not None else None
        other = config.child("davis_event") or config.child("event") if config else None
        base = "/trigger/eventTrigger/triggerConfiguration"
        if davis is not None:
            places[base] = davis.where
            settings: dict[str, object] = {}
            event_trigger["triggerConfiguration"] = {"type": "davis-problem", "value": settings}
            places[base + "/value"] = davis.where
            for key, api in (
                ("on_problem_close", "onProblemClose"),
                ("entity_tags", "entityTags"),
                ("entity_tags_match", "entityTagsMatch"),
                ("custom_filter", "customFilter"),
            ):
                put(settings, base + "/value", key, davis, api)
            categories = davis.child("categories")
            if categories is not None:
                places[base + "/value/categories"] = categories.where
                chosen: dict[str, object] = {}
                settings["categories"] = chosen
                for key, api in CATEGORY_KEYS.items():
                    put(chosen, base + "/value/categories", key, categories, api)
        elif other is not None:
            places[base] = other.where
            kind = "davis-event" if config.child("davis_event") is not None else "event"
            event_trigger["triggerConfiguration"] = {"type": kind, "value": {}}

    def where(pointer: str) -> Where:
        probe = pointer
        while probe not in places and probe:
            probe = probe.rpartition("/")[0]
        found = places.get(probe, block.where)
        return Where(found.line, found.column, found.pointer)

    return Workflow(WorkflowForm.TERRAFORM, address, path, value, where)


def _terraform_input(attribute: Any, evaluate: Any, field: Any) -> object:
    """A task's input: `jsonencode({...})` member by member (a member known
    only at apply time is a Reference), a JSON string, or a Reference."""
    expression = attribute.expression
    inner = getattr(expression, "expression", expression)
    if isinstance(inner, evaluate.r_call):
        name = inner.identifiers[-1].serialize(evaluate.options)
        arguments = inner.arguments.arguments if inner.arguments is not None else []
        if name == "jsonencode" and len(arguments) == 1:
            return _partial(arguments[0], evaluate)
    if field.reference is None and isinstance(field.value, str):
        try:
            return json.loads(field.value)
        except ValueError:
            return field.value
    return Reference(field.reference or "input")


def _partial(node: Any, evaluate: Any) -> object:
    inner = getattr(node, "expression", node) if isinstance(node, evaluate.r_expr) else node
    if isinstance(inner, evaluate.r_object):
        result: dict[str, object] = {}
        for element in inner.elements:
            key = element.key.serialize(evaluate.options)
            if not isinstance(key, str):
                continue
            result[key.strip('"')] = _partial(element.expression, evaluate)
        return result
    value = evaluate(node)
    if value is _unknown():
        source = node.serialize()
        if isinstance(source, str) and source.startswith("${") and source.endswith("}"):
            source = source[2:-1]
        return Reference(str(source))
    return value


def _unknown() -> object:
    from ldkit.dynatrace.config.terraform import UNKNOWN

    return UNKNOWN


# -- Monaco ---------------------------------------------------------------------------

#: A Go template action in a Monaco template.
_GO_ACTION = re.compile(r"\{\{(\s*`[^`]*`\s*|.*?)\}\}", re.S)
_GO_RAW = re.compile(r"\A\s*`([^`]*)`\s*\Z")
_GO_PARAMETER = re.compile(r"\A-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\Z")


def is_monaco_workflow(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    kind = entry.get("type")
    automation = kind.get("automation") if isinstance(kind, dict) else None
    return isinstance(automation, dict) and automation.get("resource") == "workflow"


def read_monaco(path: str, text: str) -> WorkflowFile:
    """The workflow configs of a Monaco `config.yaml` (other configs are the
    webhook reader's)."""
    result = WorkflowFile(path, text)
    tree, problems = compose_yaml(path, text)
    result.findings.extend(problems)
    if tree is None or not isinstance(tree.value, dict):
        return result
    configs = tree.value.get("configs")
    for index, entry in enumerate(configs if isinstance(configs, list) else []):
        if not is_monaco_workflow(entry):
            continue
        pointer = f"/configs/{index}"
        label = f"config {entry.get('id', index)}"
        config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        template = config.get("template")
        if not isinstance(template, str):
            where = tree.where(pointer + "/config")
            result.findings.append(
                located(
                    path,
                    where.line,
                    where.column,
                    rules.WorkflowFormat,
                    f"{label} has no config.template; Monaco needs the workflow's JSON template",
                    where.pointer,
                )
            )
            continue
        _monaco_workflow(result, tree, path, pointer, label, config, template)
    return result


def _monaco_workflow(
    result: WorkflowFile,
    tree: YamlTree,
    path: str,
    pointer: str,
    label: str,
    config: dict,
    template: str,
) -> None:
    from ldkit.fs import FileRefused, read_bytes

    folder = Path(path).parent
    template_path = folder / template
    where = tree.where(pointer + "/config/template")
    try:
        data = read_bytes(template_path, root=folder)
    except FileRefused as refused:
        result.findings.append(
            located(
                path,
                where.line,
                where.column,
                rules.WorkflowFormat,
                f"{label}: its template {template} cannot be read: {refused.reason}",
                where.pointer,
            )
        )
        return
    loaded = load_bytes(data, str(template_path))
    result.sources[str(template_path)] = loaded.document.text
    result.findings.extend(loaded.findings)
    if not loaded.ok or not isinstance(loaded.document.value, dict):
        return
    document = loaded.document
    parameters = _monaco_parameters(config)
    findings: list = []

    def expand(value: object, at: str) -> object:
        if isinstance(value, dict):
            return {k: expand(v, child(at, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [expand(v, child(at, i)) for i, v in enumerate(value)]
        if isinstance(value, str) and "{{" in value:
            return _go_template(value, at, parameters, document, findings)
        return value

    value = expand(document.value, "")
    assert isinstance(value, dict)

    def where_of(p: str) -> Where:
        line, column = document.position(p)
        return Where(line, column, p, str(template_path))

    workflow = Workflow(WorkflowForm.MONACO, label, str(template_path), value, where_of)
    workflow.findings.extend(findings)
    result.workflows.append(workflow)


def _monaco_parameters(config: dict) -> dict[str, object]:
    """name -> literal value, or a Reference for a parameter Monaco resolves
    at deploy time (environment, reference, file...)."""
    found: dict[str, object] = {}
    if isinstance(config.get("name"), str):
        found["name"] = config["name"]
    parameters = config.get("parameters")
    for name, spec in parameters.items() if isinstance(parameters, dict) else []:
        if isinstance(spec, (str, int, float, bool)):
            found[name] = spec
        elif isinstance(spec, dict) and spec.get("type") == "value" and "value" in spec:
            found[name] = spec["value"]
        else:
            kind = spec.get("type") if isinstance(spec, dict) else "?"
            found[name] = Reference(f"Monaco parameter {name} ({kind})")
    return found


def _go_template(
    text: str, pointer: str, parameters: dict, document: Document, findings: list
) -> object:
    """What Monaco's Go template makes of a string: raw strings unescaped,
    parameters substituted; any other action is a finding (Monaco would fail
    or eat a Jinja expression)."""
    parts: list[str] = []
    last = 0
    whole_reference: Reference | None = None
    for match in _GO_ACTION.finditer(text):
        parts.append(text[last : match.start()])
        last = match.end()
        body = match.group(1)
        raw = _GO_RAW.match(body)
        parameter = _GO_PARAMETER.match(body)
        if raw is not None:
            parts.append(raw.group(1))
        elif parameter is not None and parameter.group(1) in parameters:
            resolved = parameters[parameter.group(1)]
            if isinstance(resolved, Reference):
                if match.start() == 0 and match.end() == len(text):
                    whole_reference = resolved
                parts.append(str(resolved))
            else:
                parts.append(str(resolved))
        else:
            line, column = document.line_col(document.string_offset(pointer, match.start()))
            shown = match.group(0)[:60]
            findings.append(
                located(
                    document.path,
                    line,
                    column,
                    rules.WorkflowFormat,
                    f"{shown!r} is a Go template action to Monaco, which renders templates "
                    "before deploying: a Dynatrace expression must be escaped as "
                    "{{`{{`}} ... {{`}}`}} (a parameter is {{ .name }} of a declared "
                    "parameter)",
                    pointer,
                )
            )
            parts.append(match.group(0))
    parts.append(text[last:])
    if whole_reference is not None:
        return whole_reference
    return "".join(parts)


def http_tasks(workflow: Workflow) -> list[tuple[str, dict]]:
    """(key, task) of every HTTP request task, in file order."""
    return [
        (key, task)
        for key, task in workflow.tasks().items()
        if isinstance(task, dict) and task.get("action") == HTTP_ACTION
    ]
