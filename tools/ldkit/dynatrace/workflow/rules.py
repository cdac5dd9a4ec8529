"""The Dynatrace Workflows rules (LD750–LD766, and LD790–LD791 for Davis
problem samples), declared once: the readers and checks of
`ldkit.dynatrace.workflow` emit them by `MyRule.id` (`ldkit dynatrace check`,
`ldkit validate` for workflows an integration keeps), `ldkit.checks.davis_sample`
emits the sample rules; `ldkit rules LD75x` explains them."""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class WorkflowFormat(RuleDeclaration):
    id = "LD750"
    severity = Severity.ERROR
    title = "Workflow file mixes or breaks its format"
    explanation = (
        "A workflow is kept in one of three formats that must not be mixed: the workflow "
        "template (YAML: metadata, then workflow: with title, tasks, trigger), the Automation "
        "API JSON (the workflow object itself, no metadata, tasks keyed by name), or "
        "configuration as code (Terraform dynatrace_automation_workflow, or a Monaco config "
        "of type automation/workflow whose JSON template escapes Jinja as {{`{{`}} because "
        "Monaco renders Go templates first). A file that breaks its own format (not valid "
        "YAML, tasks as a list, metadata in an API object, an unescaped expression in a Monaco "
        "template) does not import."
    )
    bad_example = '"tasks": [{"name": "call_trigger", ...}]'
    good_example = '"tasks": {"call_trigger": {"name": "call_trigger", ...}}'


class SchemaVersion(RuleDeclaration):
    id = "LD751"
    severity = Severity.ERROR
    title = "Workflow schemaVersion is not 3"
    explanation = (
        "Workflows in the current format carry schemaVersion: 3 (template YAML and API JSON; "
        "Terraform sets it itself). Another or a missing version is imported differently or "
        "refused."
    )
    bad_example = "schemaVersion: 2"
    good_example = "schemaVersion: 3"


class TaskName(RuleDeclaration):
    id = "LD752"
    severity = Severity.ERROR
    title = "Task name differs from its key"
    explanation = (
        "Tasks are an object keyed by task name, and each task repeats its key as name. "
        "Predecessors, conditions and result('...') refer to the name; a task whose name is "
        "missing or differs from its key is refused or referenced wrongly."
    )
    bad_example = "tasks:\n  call_trigger:\n    name: call-trigger"
    good_example = "tasks:\n  call_trigger:\n    name: call_trigger"


class TaskReference(RuleDeclaration):
    id = "LD753"
    severity = Severity.ERROR
    title = "Predecessor or condition names no task"
    explanation = (
        "predecessors and conditions.states name other tasks of the same workflow, and a state "
        "is one of SUCCESS, ERROR, ANY, OK (success or skipped) or NOK (error or cancelled). "
        "A typo in a task name leaves the task waiting on nothing, or never run."
    )
    bad_example = "predecessors: [fetch_problme]"
    good_example = "predecessors: [fetch_problem]"


class UnknownAction(RuleDeclaration):
    id = "LD754"
    severity = Severity.ERROR
    title = "Unknown action"
    explanation = (
        "A task's action is app:action, such as dynatrace.automations:http-function. An action "
        "the app does not have (a typo) fails the import; the message suggests the closest "
        "known action. A template's metadata.dependencies.apps lists the app of every action."
    )
    bad_example = "action: dynatrace.automations:http-request"
    good_example = "action: dynatrace.automations:http-function"


class TriggerKind(RuleDeclaration):
    id = "LD755"
    severity = Severity.WARNING
    title = "Workflow is not run by Davis problems"
    explanation = (
        "A workflow that calls a flag trigger on problems needs an active event trigger of "
        "type davis-problem (trigger.eventTrigger.triggerConfiguration). Without one (a manual "
        "or scheduled workflow, an inactive trigger, a generic event trigger) no problem ever "
        "calls the flag trigger, or events that are not problems do."
    )
    bad_example = "trigger: {}"
    good_example = (
        "trigger:\n  eventTrigger:\n    isActive: true\n    triggerConfiguration:\n"
        "      type: davis-problem"
    )


class TriggerCategories(RuleDeclaration):
    id = "LD756"
    severity = Severity.ERROR
    title = "Davis problem trigger selects no category"
    explanation = (
        "The Davis problem trigger runs for the problem categories set to true (availability, "
        "error, slowdown, resource, custom, info, monitoringUnavailable). With none, no problem "
        "ever runs the workflow. The message lists the Davis samples each setting would miss."
    )
    bad_example = "categories: {}"
    good_example = "categories:\n  availability: true\n  error: true"


class CloseCallsTrigger(RuleDeclaration):
    id = "LD757"
    severity = Severity.WARNING
    title = "A closing problem calls the trigger again"
    explanation = (
        "With onProblemClose true, the workflow also runs when the problem closes. A "
        "LaunchDarkly trigger reads only the event name, value and URL, so the closing call "
        "runs the same action again (turning the flag off again after someone turned it back "
        "on). Set onProblemClose to false, or give the HTTP task a condition that skips closed "
        'problems (custom: \'{{ event()["event.status"] == "ACTIVE" }}\').'
    )
    bad_example = "onProblemClose: true  (and no condition on event.status)"
    good_example = "onProblemClose: false"


class HttpRequest(RuleDeclaration):
    id = "LD758"
    severity = Severity.ERROR
    title = "HTTP task cannot call a flag trigger"
    explanation = (
        "A LaunchDarkly trigger takes a POST with a body; the HTTP request task needs url, "
        "method POST, and the payload. A Content-Type other than application/json makes "
        "LaunchDarkly ignore the body, so the event name and link are lost."
    )
    bad_example = "method: GET"
    good_example = 'method: POST\nheaders:\n  Content-Type: application/json\npayload: "..."'


class LiteralTriggerUrl(RuleDeclaration):
    id = "LD759"
    severity = Severity.ERROR
    title = "Trigger URL written into the workflow"
    explanation = (
        "A trigger URL is its own credential: whoever has it can flip the flag. Written into a "
        "workflow it travels with every export, template and repository copy. Keep it in "
        'Dynatrace\'s credential vault and write {{ secret("name") }}, or, as code, a '
        "sensitive variable or a deploy-time parameter. ldkit never prints the secret part."
    )
    bad_example = 'url: "https://app.launchdarkly.com/webhook/triggers/5f1e.../0b1c..."'
    good_example = "url: '{{ secret(\"launchdarkly-flag-trigger-url\") }}'"


class FailOnResponseCodes(RuleDeclaration):
    id = "LD760"
    severity = Severity.WARNING
    title = "HTTP task does not fail on error responses"
    explanation = (
        "Without failOnResponseCodes (for example 400-599) an HTTP task succeeds whatever "
        "LaunchDarkly answers, so a revoked trigger or a malformed body goes unnoticed in the "
        "workflow's executions."
    )
    bad_example = "input: {url: ..., method: POST, payload: ...}"
    good_example = 'failOnResponseCodes: "400-599"'


class ExpressionFails(RuleDeclaration):
    id = "LD761"
    severity = Severity.ERROR
    title = "Expression cannot be rendered"
    explanation = (
        "The input's Jinja expression does not render for a Davis problem sample: a syntax "
        "error, a field the event does not have (event()['x'] where the sample has no x; use "
        "event().get('x', '')), an operation the sandbox refuses, or more work than the "
        "renderer's budget. Dynatrace fails the task the same way."
    )
    bad_example = '{{ event()["event.title"] }}'
    good_example = '{{ event()["event.name"] }}'


class PayloadNotJson(RuleDeclaration):
    id = "LD762"
    severity = Severity.ERROR
    title = "Rendered payload is not a JSON object"
    explanation = (
        "The payload rendered for a Davis problem sample is read by the integration's trigger. "
        "When it is not a JSON object (an event name with a quote closes the string early), "
        "LaunchDarkly keeps no body: the event name falls back to the default and the link is "
        "lost. Escape event text with | to_json."
    )
    bad_example = '{"title": "{{ event()["event.name"] }}"}'
    good_example = '{"title": {{ event()["event.name"] | to_json }}}'


class NoEventName(RuleDeclaration):
    id = "LD763"
    severity = Severity.WARNING
    title = "A Davis problem gives the trigger no event name"
    explanation = (
        "Rendered for a Davis problem sample and parsed by the trigger, the body has nothing "
        "where the parser's eventName pointer reads, so the flag's change history shows the "
        "default event name instead of the problem."
    )
    bad_example = '{"name": ...}  (the Dynatrace manifest reads /title)'
    good_example = '{"title": {{ event()["event.name"] | to_json }}, "url": ...}'


class NoLink(RuleDeclaration):
    id = "LD764"
    severity = Severity.WARNING
    title = "A Davis problem gives the trigger no usable link"
    explanation = (
        "The trigger reads a URL from the body (the parser's url pointer) and links the change "
        "history entry to it; an absent link, or one LaunchDarkly refuses (not http(s)), "
        "leaves the entry without a way back to the problem."
    )
    bad_example = '{"title": ...}'
    good_example = (
        '{"title": ..., "url": "{{ platform_url() }}/ui/apps/dynatrace.davis.problems/'
        'problem/{{ event()["event.id"] }}"}'
    )


class UnescapedEventText(RuleDeclaration):
    id = "LD765"
    severity = Severity.WARNING
    title = "Event text reaches the JSON payload unescaped"
    explanation = (
        "An expression puts text from the event (a problem title anyone who names a service "
        "or a custom alert can influence) into a JSON payload without | to_json. A quote, a "
        "backslash or a newline in that text breaks the body or injects keys. Every Davis "
        "sample may render fine today; the next title may not."
    )
    bad_example = '"title": "{{ event()["event.name"] }}"'
    good_example = '"title": {{ event()["event.name"] | to_json }}'


class NoTriggerCall(RuleDeclaration):
    id = "LD766"
    severity = Severity.WARNING
    title = "Workflow has no HTTP task"
    explanation = (
        "No task uses dynatrace.automations:http-function, so nothing in this workflow calls "
        "the flag trigger and there is no payload to check."
    )
    bad_example = "tasks: {notify: {action: dynatrace.slack:slack-send-message, ...}}"
    good_example = "tasks: {call_trigger: {action: dynatrace.automations:http-function, ...}}"


class DavisSampleSchema(RuleDeclaration):
    id = "LD790"
    severity = Severity.ERROR
    title = "Davis problem sample breaks its schema"
    explanation = (
        "A Davis problem sample (*.davis.json) stands for the event a Davis problem trigger "
        "passes to a workflow (event()). It follows schemas/dynatrace/davis-problem.schema.json "
        "(event.kind DAVIS_PROBLEM, event.status ACTIVE or CLOSED, a known category and status "
        "transition...), so that rendering a workflow for it shows what Dynatrace would send."
    )
    bad_example = '{"event.kind": "DAVIS_PROBLEM", "event.status": "OPEN"}'
    good_example = '{"event.kind": "DAVIS_PROBLEM", "event.status": "ACTIVE", ...}'


class DavisSampleInconsistent(RuleDeclaration):
    id = "LD791"
    severity = Severity.WARNING
    title = "Davis problem sample contradicts itself"
    explanation = (
        "A closed problem has event.status CLOSED and a closing status transition (RESOLVED "
        "or CLOSED), never CREATED or REOPENED; an active problem has no closing transition. A "
        "sample that mixes them renders, but not as Dynatrace would send it, and the checks of "
        "onProblemClose read event.status."
    )
    bad_example = '{"event.status": "ACTIVE", "event.status_transition": "RESOLVED"}'
    good_example = '{"event.status": "CLOSED", "event.status_transition": "RESOLVED", ...}'
