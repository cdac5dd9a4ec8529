"""Write the webhook configuration for an integration's recommended payload, in
each form a team may keep it. Every form is set up the way the checks
recommend: the trigger URL kept as a secret and supplied at deploy time (never
a literal), a custom alerting profile supplied at deploy time, closed-problem
and event-merge notifications off, certificates checked, no Content-Type
header. `ldkit dynatrace check` passes on everything written here (the tests
prove it for every form).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ldkit.dynatrace.config.model import Form
from ldkit.dynatrace.config.settings import SCHEMA_ID, WEBHOOK_TYPE

DEFAULT_NAME = "LaunchDarkly flag trigger"
#: Deploy-time placeholders of the JSON forms (filled by the pipeline).
URL_VARIABLE = "LD_TRIGGER_URL"
PROFILE_VARIABLE = "DT_ALERTING_PROFILE_ID"
MONACO_CONFIG = "config.yaml"
MONACO_TEMPLATE = "launchdarkly-flag-trigger.json"


class ExportError(Exception):
    """The payload cannot be exported in this form, or a file is in the way."""


@dataclass(frozen=True)
class ExportSpec:
    payload: str
    integration_key: str
    name: str = DEFAULT_NAME
    action: str = "turnFlagOff"


def _settings_value(spec: ExportSpec, url: str, profile: str, name: str) -> dict:
    return {
        "enabled": True,
        "displayName": name,
        "type": WEBHOOK_TYPE,
        "alertingProfile": profile,
        "webHookNotification": {
            "urlContainsSecret": True,
            "secretUrl": url,
            "acceptAnyCertificate": False,
            "notifyEventMergesEnabled": False,
            "notifyClosedProblems": False,
            "headers": [],
            "payload": spec.payload,
            "useOAuth2": False,
        },
    }


def _json(value: object) -> str:
    """JSON as LaunchDarkly's prettier check wants it, since an export may be
    committed into a fork that runs that check."""
    from ldkit.format import format_json

    return format_json(json.dumps(value, indent=2, ensure_ascii=False), "export.json")


def settings(spec: ExportSpec) -> dict[str, str]:
    """The body of `POST /api/v2/settings/objects` (a list of one object)."""
    value = _settings_value(spec, f"${{{URL_VARIABLE}}}", f"${{{PROFILE_VARIABLE}}}", spec.name)
    return {"": _json([{"schemaId": SCHEMA_ID, "scope": "environment", "value": value}])}


def classic(spec: ExportSpec) -> dict[str, str]:
    """The body of `POST /api/config/v1/notifications` (deprecated API)."""
    return {
        "": _json(
            {
                "type": WEBHOOK_TYPE,
                "name": spec.name,
                "alertingProfile": f"${{{PROFILE_VARIABLE}}}",
                "active": True,
                "url": f"${{{URL_VARIABLE}}}",
                "acceptAnyCertificate": False,
                "payload": spec.payload,
                "headers": [],
                "notifyEventMergesEnabled": False,
            }
        )
    }


def hcl_string(text: str) -> str:
    """A quoted HCL string whose value is exactly `text`: backslash escapes,
    and `${`/`%{` doubled so that Terraform does not read them as templates."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("${", "$${")
        .replace("%{", "%%{")
    )
    return f'"{escaped}"'


def terraform(spec: ExportSpec) -> dict[str, str]:
    """One `.tf` file: the LaunchDarkly trigger and the Dynatrace webhook wired
    to its (sensitive) `trigger_url`."""
    text = f"""\
# The LaunchDarkly flag trigger and the Dynatrace problem notification that calls it.
# Written by `ldkit dynatrace export --format terraform`; check with `ldkit dynatrace check`.

terraform {{
  required_providers {{
    launchdarkly = {{
      source = "launchdarkly/launchdarkly"
    }}
    dynatrace = {{
      source = "dynatrace-oss/dynatrace"
    }}
  }}
}}

variable "launchdarkly_project_key" {{
  type = string
}}

variable "launchdarkly_environment_key" {{
  type = string
}}

variable "launchdarkly_flag_key" {{
  type = string
}}

variable "dynatrace_alerting_profile_id" {{
  type        = string
  description = "A custom alerting profile that matches only the problems meant for this flag."
}}

resource "launchdarkly_flag_trigger" "dynatrace" {{
  project_key     = var.launchdarkly_project_key
  env_key         = var.launchdarkly_environment_key
  flag_key        = var.launchdarkly_flag_key
  integration_key = {hcl_string(spec.integration_key)}
  instructions {{
    kind = {hcl_string(spec.action)}
  }}
  enabled = true
}}

resource "dynatrace_webhook_notification" "launchdarkly_trigger" {{
  active                 = true
  name                   = {hcl_string(spec.name)}
  profile                = var.dynatrace_alerting_profile_id
  url_contains_secret    = true
  secret_url             = launchdarkly_flag_trigger.dynatrace.trigger_url
  insecure               = false
  notify_closed_problems = false
  notify_event_merges    = false
  payload                = {hcl_string(spec.payload)}
}}
"""
    return {"": text}


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def monaco(spec: ExportSpec) -> dict[str, str]:
    """A Monaco configuration folder: `config.yaml` and its JSON template."""
    if "{{" in spec.payload:
        raise ExportError(
            "the payload contains '{{', which Monaco's Go templates would read as an action; "
            "Dynatrace placeholders use single braces"
        )
    value = _settings_value(spec, "{{ .triggerUrl }}", "{{ .alertingProfile }}", "{{ .name }}")
    config = f"""\
# A Dynatrace problem notification that calls a LaunchDarkly flag trigger.
# Written by `ldkit dynatrace export --format monaco`; check with `ldkit dynatrace check`.
configs:
  - id: launchdarkly-flag-trigger
    type:
      settings:
        schema: {SCHEMA_ID}
        scope: environment
    config:
      name: {_yaml_string(spec.name)}
      template: {MONACO_TEMPLATE}
      skip: false
      parameters:
        triggerUrl:
          type: environment
          name: {URL_VARIABLE}
        alertingProfile:
          type: environment
          name: {PROFILE_VARIABLE}
"""
    return {MONACO_CONFIG: config, MONACO_TEMPLATE: _json(value)}


WRITERS = {
    Form.SETTINGS: settings,
    Form.CLASSIC: classic,
    Form.TERRAFORM: terraform,
    Form.MONACO: monaco,
}


def render(form: Form, spec: ExportSpec) -> dict[str, str]:
    """Relative file name ("" for a single-file form) -> content."""
    return WRITERS[form](spec)


def targets(form: Form, files: dict[str, str], output: Path) -> dict[Path, str]:
    """Where each file goes: a single-file form writes `output`, Monaco writes
    into the folder `output`."""
    if "" in files:
        return {output: files[""]}
    return {output / name: text for name, text in files.items()}


def write(files: dict[Path, str], *, force: bool) -> None:
    """Write every file atomically through the one door (`ldkit.fs`; the
    output is the path the user named), raising `WriteRefused`. Refuses,
    before writing anything, to overwrite an existing file unless `force`."""
    if not force:
        existing = [str(path) for path in files if path.exists()]
        if existing:
            raise ExportError(f"{', '.join(existing)} already exists; use --force to overwrite")
    from ldkit.fs import USER_NAMED, make_folders, write_text

    for path, text in files.items():
        if path.is_dir():
            raise ExportError(f"{path} is a folder")
        make_folders(path.parent, root=USER_NAMED)
        write_text(path, text, root=USER_NAMED)
