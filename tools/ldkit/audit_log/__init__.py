"""The audit-log stage: what LaunchDarkly's validator does with an
`auditLogEventsHook` before the rules judge it.

- `contexts.py`: the sample events (the JSON files here) and the render
  contexts LaunchDarkly's validator builds from them;
- `templates.py`: `TemplateRun`, one audit-log template read once and rendered
  against its sample event, with the template position of any output
  character;
- `json_check.py`: whether `JSON.parse` accepts a rendered template, and where
  it stops.

The rules that turn these into findings are in `ldkit.rules`
(`endpoint_templates`, `audit_log_templates`, `flag_link`, `other_templates`).
"""
