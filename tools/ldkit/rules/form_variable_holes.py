"""Form-variable mistakes LaunchDarkly's tests let through.

All warnings: upstream accepts these manifests, but each one is almost
certainly a bug the partner would want to hear about before users do.
"""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import (
    LISTS,
    LOCATION_LISTS,
    all_form_variables,
    form_variables,
)
from ldkit.rules.base import Rule, RuleContext


class DuplicateFormVariableKey(Rule):
    id = "LD220"
    severity = Severity.WARNING
    title = "Two form variables in one list have the same key"
    explanation = (
        "Form-variable values are stored by `key`, so two variables with the same key in one "
        "list overwrite each other and templates see only one of them. LaunchDarkly's tests do "
        "not notice. Give every variable in a list its own key."
    )
    bad_example = '[{"key": "apiKey", "type": "string"}, {"key": "apiKey", "type": "uri"}]'
    good_example = '[{"key": "apiKey", "type": "string"}, {"key": "baseUrl", "type": "uri"}]'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for where in LISTS:
            seen: dict[str, int] = {}
            for variable in form_variables(ctx.manifest, where):
                key = variable.get("key")
                if not isinstance(key, str):
                    continue
                if key in seen:
                    yield self.finding(
                        ctx,
                        variable.at("key"),
                        f"form variable key {key!r} is already used by {where.label}[{seen[key]}]"
                        "; values are stored by key, so rename one of them",
                    )
                else:
                    seen[key] = variable.index


class DependsOnUnknownVariable(Rule):
    id = "LD221"
    severity = Severity.WARNING
    title = "dependsOn names a form variable that does not exist"
    explanation = (
        "`dependsOn[].variableKey` must name a form variable in the list given by "
        "`variableLocation` (formVariables, approvalFormVariables or environmentFormVariables). "
        "LaunchDarkly's tests do not check it; a typo means the field is never shown or hidden "
        "as intended."
    )
    bad_example = (
        '{"key": "region", "dependsOn": [{"variableKey": "useEU", "variableLocation": '
        '"formVariables", "conditions": [{"operator": "equalTo", "value": "true"}], '
        '"action": "showField"}]}   // no form variable "useEU"'
    )
    good_example = (
        '{"key": "region", "dependsOn": [{"variableKey": "useEu", "variableLocation": '
        '"formVariables", "conditions": [{"operator": "equalTo", "value": "true"}], '
        '"action": "showField"}]}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        keys: dict[str, set[str]] = {}
        for where in LISTS:
            keys[where.label] = {
                key
                for variable in form_variables(ctx.manifest, where)
                if isinstance(key := variable.get("key"), str)
            }
        for variable in all_form_variables(ctx.manifest):
            depends = variable.get("dependsOn")
            if not isinstance(depends, list):
                continue
            for index, item in enumerate(depends):
                if not isinstance(item, dict):
                    continue
                name = item.get("variableKey")
                location = item.get("variableLocation")
                target = LOCATION_LISTS.get(location) if isinstance(location, str) else None
                if not isinstance(name, str) or target is None:
                    continue
                known = keys[target.label]
                if location == "formVariables":
                    # In featureStore or flagCleanup, "formVariables" plausibly means the
                    # variable's own list; accept either reading.
                    known = known | keys[variable.where.label]
                if name in known:
                    continue
                yield self.finding(
                    ctx,
                    f"{variable.at('dependsOn')}/{index}/variableKey",
                    f"dependsOn names {name!r}, but {target.label} has no form variable with "
                    "that key; fix the key or the variableLocation",
                )


class EnumWithoutAllowedValues(Rule):
    id = "LD222"
    severity = Severity.WARNING
    title = "An enum form variable has no allowedValues"
    explanation = (
        "A form variable of type `enum` shows a list of `allowedValues` to choose from. Without "
        "them there is nothing to pick. The schema does not require the key and LaunchDarkly's "
        "tests do not check it."
    )
    bad_example = '{"key": "site", "name": "Site", "type": "enum"}'
    good_example = '{"key": "site", "name": "Site", "type": "enum", "allowedValues": ["us", "eu"]}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for variable in all_form_variables(ctx.manifest):
            if variable.type != "enum":
                continue
            allowed = variable.get("allowedValues")
            if isinstance(allowed, list) and allowed:
                continue
            if variable.has("allowedValues") and not isinstance(allowed, list):
                continue  # wrong type: the schema reports it
            yield self.finding(
                ctx,
                variable.at("allowedValues"),
                f"{variable.label} is of type 'enum' but has no allowedValues to choose from; "
                'add "allowedValues": ["...", ...]',
            )


class DefaultNotAllowed(Rule):
    id = "LD223"
    severity = Severity.WARNING
    title = "defaultValue is not one of allowedValues"
    explanation = (
        "An enum form variable's `defaultValue` should be one of its `allowedValues`; otherwise "
        "the form starts with a value the user could never pick. LaunchDarkly does not check it."
    )
    bad_example = (
        '{"key": "site", "type": "enum", "allowedValues": ["us", "eu"], "isOptional": true, '
        '"defaultValue": "US"}'
    )
    good_example = (
        '{"key": "site", "type": "enum", "allowedValues": ["us", "eu"], "isOptional": true, '
        '"defaultValue": "us"}'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for variable in all_form_variables(ctx.manifest):
            allowed = variable.get("allowedValues")
            default = variable.get("defaultValue")
            if not isinstance(allowed, list) or not allowed or not isinstance(default, str):
                continue
            if variable.type != "enum" or default in allowed:
                continue
            choices = ", ".join(repr(v) for v in allowed if isinstance(v, str))
            yield self.finding(
                ctx,
                variable.at("defaultValue"),
                f"{variable.label} has defaultValue {default!r}, which is not one of its "
                f"allowedValues ({choices}); use one of them",
            )
