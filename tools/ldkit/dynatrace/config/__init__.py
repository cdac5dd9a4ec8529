"""Dynatrace problem-notification webhooks kept as code: read them in the form a
team keeps them (Settings 2.0 JSON, the classic Configuration API JSON,
Terraform, a Monaco project), check them against the integration that receives
them, and write them for an integration.

Nothing here runs on the manifest-validation path; the Terraform and Monaco
readers need the `dynatrace` extra and import its libraries only when used.
"""
