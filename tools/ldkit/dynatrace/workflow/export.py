"""Write the workflow that calls an integration's flag trigger, in each form a
team keeps it: the workflow template YAML, the Automation API JSON, Terraform
`dynatrace_automation_workflow`, or a Monaco project folder.

The flagship workflow is set up the way the checks recommend: a Davis problem
trigger that does not run on close, one HTTP request task that POSTs JSON to
the trigger URL taken from Dynatrace's credential vault (`{{ secret(...) }}`,
never a literal), fails on error responses, and builds its payload with
`| to_json` so that any problem title stays one JSON string. The payload puts
the problem title where the integration's parser reads the event name and a
link to the problem where it reads the URL.

No user text ever becomes part of an expression: the only expressions are
fixed text plus the secret's name, which must be a plain identifier; a title
that contains template delimiters is refused (a renderer downstream could
evaluate it). `ldkit dynatrace check` passes on everything written here (the
tests prove it for every form).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ldkit.dynatrace.workflow.model import HTTP_ACTION, SCHEMA_VERSION, WorkflowForm

DEFAULT_TITLE = "LaunchDarkly flag trigger"
DEFAULT_SECRET = "launchdarkly-flag-trigger-url"
TASK = "call_flag_trigger"
MONACO_CONFIG = "config.yaml"
MONACO_TEMPLATE = "launchdarkly-flag-trigger.workflow.json"
#: The Problems app's page of one problem, under the platform URL.
PROBLEM_PATH = "/ui/apps/dynatrace.davis.problems/problem/"
_SECRET_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")
_DELIMITERS = ("{{", "}}", "{%", "%}", "{#", "#}")
#: The categories the flagship trigger watches: the problems that hurt users.
CATEGORIES = {
    "availability": True,
    "error": True,
    "slowdown": True,
    "resource": True,
    "custom": False,
    "info": False,
    "monitoringUnavailable": False,
}
FILTER_QUERY = (
    'event.kind == "DAVIS_PROBLEM" AND event.status == "ACTIVE" AND '
    '(event.status_transition == "CREATED" OR event.status_transition == "REOPENED")'
)
UNIQUE_EXPRESSION = (
    '{{ event()["event.id"] }}-{{ event()["event.status_transition"] }}-'
    '{{ event().get("dt.davis.last_reopen_timestamp", "") }}'
)
NAME_EXPRESSION = '{{ event()["event.name"] | to_json }}'
LINK_EXPRESSION = f'{{{{ (platform_url() ~ "{PROBLEM_PATH}" ~ event()["event.id"]) | to_json }}}}'


class ExportError(Exception):
    """The workflow cannot be written as asked (exit 2)."""


@dataclass(frozen=True)
class WorkflowSpec:
    integration_key: str
    event_name_pointer: str | None
    url_pointer: str | None
    title: str = DEFAULT_TITLE
    secret: str = DEFAULT_SECRET


def validate_spec(spec: WorkflowSpec) -> None:
    if not _SECRET_NAME.match(spec.secret):
        raise ExportError(
            f"--secret {spec.secret[:60]!r} is not a plain name (letters, digits, '.', '_', '-'); "
            "it becomes part of an expression"
        )
    if not spec.title.strip() or any(d in spec.title for d in _DELIMITERS):
        raise ExportError(
            "--name must be non-blank text without {{ }}, {% %} or {# #}: a workflow's text "
            "must never carry template syntax from outside"
        )


def payload(spec: WorkflowSpec) -> str:
    """The payload template: the title at the parser's eventName pointer, the
    problem link at its url pointer."""
    from ldkit.load.pointer import is_valid

    body: dict[str, object] = {}
    markers = {"\u0000name\u0000": NAME_EXPRESSION, "\u0000link\u0000": LINK_EXPRESSION}
    wanted = ((spec.event_name_pointer, "\u0000name\u0000"), (spec.url_pointer, "\u0000link\u0000"))
    for pointer, marker in wanted:
        if not pointer or not is_valid(pointer):
            continue
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
        if not tokens:
            continue
        target = body
        for token in tokens[:-1]:
            nested = target.setdefault(token, {})
            if not isinstance(nested, dict):
                break
            target = nested
        else:
            target.setdefault(tokens[-1], marker)
    text = json.dumps(body, ensure_ascii=False, separators=(", ", ": "))
    for marker, expression in markers.items():
        text = text.replace(json.dumps(marker), expression)
    return text


def workflow_value(spec: WorkflowSpec) -> dict:
    """The flagship workflow, in the Automation API's shape."""
    validate_spec(spec)
    return {
        "title": spec.title,
        "description": (
            f"Calls the LaunchDarkly flag trigger of the {spec.integration_key} integration when "
            "Davis opens or reopens a problem. Written by ldkit dynatrace export; check it with "
            "ldkit dynatrace check."
        ),
        "isPrivate": False,
        "triggerType": "Event",
        "schemaVersion": SCHEMA_VERSION,
        "trigger": {
            "eventTrigger": {
                "isActive": True,
                "filterQuery": FILTER_QUERY,
                "uniqueExpression": UNIQUE_EXPRESSION,
                "triggerConfiguration": {
                    "type": "davis-problem",
                    "value": {
                        "categories": dict(CATEGORIES),
                        "entityTags": {},
                        "entityTagsMatch": "all",
                        "customFilter": "",
                        "onProblemClose": False,
                    },
                },
            }
        },
        "tasks": {
            TASK: {
                "name": TASK,
                "description": "POST the problem to the LaunchDarkly flag trigger",
                "action": HTTP_ACTION,
                "active": True,
                "input": {
                    "url": f'{{{{ secret("{spec.secret}") }}}}',
                    "method": "POST",
                    "headers": {"Content-Type": "application/json"},
                    "payload": payload(spec),
                    "failOnResponseCodes": "400-599",
                },
                "position": {"x": 0, "y": 1},
                "predecessors": [],
            }
        },
    }


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _yaml(value: object, indent: int = 0) -> list[str]:
    """Block YAML whose scalars are JSON (a JSON string is a YAML
    double-quoted scalar), so no value is ever read as another type."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", key) else json.dumps(key)
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{name}:")
                lines.extend(_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}{name}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _yaml(item, indent + 1)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines


def _scalar(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return json.dumps(value, ensure_ascii=False)


def template(spec: WorkflowSpec) -> dict[str, str]:
    """The workflow template (YAML) the Workflows app imports."""
    document = {
        "metadata": {
            "version": "1",
            "dependencies": {"apps": [{"id": "dynatrace.automations", "version": "^1.840.0"}]},
            "inputs": [],
        },
        "workflow": {k: v for k, v in workflow_value(spec).items() if k != "triggerType"},
    }
    head = (
        "# A Dynatrace workflow that calls a LaunchDarkly flag trigger on Davis problems.\n"
        "# Written by `ldkit dynatrace export --format workflow`; check with "
        "`ldkit dynatrace check`.\n"
        f'# Store the trigger URL in the credential vault as "{spec.secret}" before importing.\n'
    )
    return {"": head + "\n".join(_yaml(document)) + "\n"}


def api(spec: WorkflowSpec) -> dict[str, str]:
    """The body of `POST /platform/automation/v1/workflows`."""
    return {"": _json(workflow_value(spec))}


def _hcl_value(value: object, indent: int) -> str:
    from ldkit.dynatrace.config.export import hcl_string

    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = [f"{pad}  {json.dumps(k)} = {_hcl_value(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + "\n".join(inner) + f"\n{pad}}}"
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(v, indent) for v in value) + "]"
    if isinstance(value, str):
        return hcl_string(value)
    return json.dumps(value)


def _snake(key: str) -> str:
    return re.sub(r"(?<=[a-z])([A-Z])", r"_\1", key).lower()


def terraform(spec: WorkflowSpec) -> dict[str, str]:
    """One `.tf` file with the `dynatrace_automation_workflow` resource."""
    from ldkit.dynatrace.config.export import hcl_string

    value = workflow_value(spec)
    task = value["tasks"][TASK]
    davis = value["trigger"]["eventTrigger"]["triggerConfiguration"]["value"]
    categories = "\n".join(
        f"            {_snake(k)} = {json.dumps(v)}" for k, v in davis["categories"].items()
    )
    text = f"""\
# A Dynatrace workflow that calls a LaunchDarkly flag trigger on Davis problems.
# Written by `ldkit dynatrace export --format workflow-terraform`; check with
# `ldkit dynatrace check`. Store the trigger URL in Dynatrace's credential vault as
# {hcl_string(spec.secret)} (the task reads it with secret()); it never appears here.

terraform {{
  required_providers {{
    dynatrace = {{
      source = "dynatrace-oss/dynatrace"
    }}
  }}
}}

resource "dynatrace_automation_workflow" "launchdarkly_flag_trigger" {{
  title       = {hcl_string(value["title"])}
  description = {hcl_string(value["description"])}
  private     = false

  tasks {{
    task {{
      name        = {hcl_string(task["name"])}
      description = {hcl_string(task["description"])}
      action      = {hcl_string(task["action"])}
      active      = true
      input       = jsonencode({_hcl_value(task["input"], 3)})
      position {{
        x = 0
        y = 1
      }}
    }}
  }}

  trigger {{
    event {{
      active = true
      config {{
        davis_problem {{
          entity_tags_match = {hcl_string(davis["entityTagsMatch"])}
          on_problem_close  = false
          categories {{
{categories}
          }}
        }}
      }}
    }}
  }}
}}
"""
    return {"": text}


_JINJA = re.compile(r"\{\{|\}\}")


def monaco_escape(text: str) -> str:
    """Text that Monaco's Go templates render back to `text`: every `{{` and
    `}}` written as a raw-string action."""
    return _JINJA.sub(lambda m: "{{`" + m.group(0) + "`}}", text)


def monaco(spec: WorkflowSpec) -> dict[str, str]:
    """A Monaco configuration folder: `config.yaml` and its JSON template."""
    value = workflow_value(spec)
    value.pop("triggerType", None)
    escaped = monaco_escape(_json(value))
    escaped = escaped.replace(json.dumps(spec.title, ensure_ascii=False), '"{{ .name }}"', 1)
    config = f"""\
# A Dynatrace workflow that calls a LaunchDarkly flag trigger on Davis problems.
# Written by `ldkit dynatrace export --format workflow-monaco`; check with
# `ldkit dynatrace check`. Store the trigger URL in Dynatrace's credential vault as
# "{spec.secret}" before deploying.
configs:
  - id: launchdarkly-flag-trigger-workflow
    type:
      automation:
        resource: workflow
    config:
      name: {json.dumps(spec.title, ensure_ascii=False)}
      template: {MONACO_TEMPLATE}
      skip: false
"""
    return {MONACO_CONFIG: config, MONACO_TEMPLATE: escaped}


WRITERS = {
    WorkflowForm.TEMPLATE: template,
    WorkflowForm.API: api,
    WorkflowForm.TERRAFORM: terraform,
    WorkflowForm.MONACO: monaco,
}


def render(form: WorkflowForm, spec: WorkflowSpec) -> dict[str, str]:
    """Relative file name ("" for a single-file form) -> content."""
    return WRITERS[form](spec)
