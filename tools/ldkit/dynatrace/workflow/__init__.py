"""Dynatrace Workflows (AutomationEngine) that call a LaunchDarkly flag trigger.

On Dynatrace's current platform a problem reaches a third party through a
workflow: a Davis problem trigger and an HTTP request task whose inputs are
Jinja expressions over the Davis problem event. This package reads such a
workflow in every form a team keeps it (the workflow template YAML, the
Automation API JSON, Terraform's `dynatrace_automation_workflow`, a Monaco
workflow config), renders its expressions for Davis problem samples on a
sandboxed Jinja2 with budgets, checks it, and writes it.

Nothing here runs on the manifest-validation path unless an integration keeps
workflow files (`workflows/`); the YAML and HCL readers need the `dynatrace`
extra and import it only when used.
"""
