"""Form-variable rules of LaunchDarkly's test suite (S8–S16).

Upstream applies each rule to only some of the six form-variable lists
(its tests under `__tests__/` in https://github.com/launchdarkly/integration-framework).
We run every rule on every list so partners hear about
the same mistake wherever it is, but a finding is an error only where upstream
rejects it: four accepted public manifests (akamai-edgeworkers, vercel,
servicenow-c0, servicenow-normal) break these rules in lists upstream skips.
"""

from __future__ import annotations

from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules._support import (
    ABSENT,
    FormVariable,
    FormVariableList,
    all_form_variables,
    js_truthy,
    not_checked_note,
)
from ldkit.rules.base import Rule, RuleContext

STRING_DEFAULT_TYPES = frozenset({"string", "uri", "enum", "dynamicEnum"})
NO_DEFAULT_NEEDED = frozenset({"multiselect", "environmentSelector"})
MULTISELECT_FORBIDDEN = ("defaultValue", "dynamicOptions", "allowedValues", "isSecret")
ENVIRONMENT_SELECTOR_FORBIDDEN = (
    "multiselectOptions",
    "multiselectDefaultOptions",
    "defaultValue",
    "dynamicOptions",
    "allowedValues",
    "isSecret",
)


class _FormVariableRule(Rule):
    """Runs `check_variable` on every form variable and sets the severity by list."""

    upstream = True
    #: Which flag of FormVariableList says upstream checks this rule there.
    scope: str = "kind_rules"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for variable in all_form_variables(ctx.manifest):
            yield from self.check_variable(ctx, variable)

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        return iter(())

    def enforced(self, where: FormVariableList) -> bool:
        return bool(getattr(where, self.scope))

    def report(
        self, ctx: RuleContext, variable: FormVariable, pointer: str, message: str, **kw: bool
    ) -> Finding:
        if self.enforced(variable.where):
            return self.finding(ctx, pointer, message, **kw)
        return self.finding(
            ctx,
            pointer,
            message + not_checked_note(variable.where),
            severity=Severity.WARNING,
            **kw,
        )


class DefaultNeedsOptional(_FormVariableRule):
    id = "LD211"
    severity = Severity.ERROR
    title = "A form variable with defaultValue must have isOptional: true"
    scope = "default_rules"
    explanation = (
        "LaunchDarkly's tests reject a form variable that has a `defaultValue` (any value, null "
        "included) unless `isOptional` is exactly `true`: a default only makes sense for a field "
        "the user may leave empty. Use `placeholder` to suggest a value for a required field. "
        "Enforced for the top-level formVariables and both approval lists; reported as a warning "
        "for featureStore and flagCleanup form variables, which upstream does not check."
    )
    bad_example = '{"key": "region", "type": "string", "defaultValue": "us"}'
    good_example = '{"key": "region", "type": "string", "isOptional": true, "defaultValue": "us"}'

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        default = variable.get("defaultValue")
        if default is ABSENT or not isinstance(default, (str, bool, type(None))):
            return  # no default, or one of a type the schema reports
        optional = variable.get("isOptional")
        if optional is True or (optional is not ABSENT and not isinstance(optional, bool)):
            return  # a non-boolean isOptional is a schema error, reported there
        pointer = variable.at("isOptional" if optional is not ABSENT else "defaultValue")
        yield self.report(
            ctx,
            variable,
            pointer,
            f"{variable.label} has a defaultValue but isOptional is not true; set "
            '"isOptional": true, or remove defaultValue and use "placeholder" for a required field',
        )


class DefaultTypeMismatch(_FormVariableRule):
    id = "LD212"
    severity = Severity.ERROR
    title = "defaultValue has the wrong type for the form variable's type"
    scope = "default_type_rule"
    explanation = (
        "For `type` string, uri, enum and dynamicEnum the `defaultValue` must be a string; for "
        "`boolean` it must be a boolean. LaunchDarkly's tests reject a mismatch in the "
        "top-level formVariables and in both approval lists (approvalFormVariables, "
        "environmentFormVariables); in the feature-store and flag-cleanup lists it is a warning. "
        "Other types are not checked."
    )
    bad_example = '{"key": "notify", "type": "boolean", "isOptional": true, "defaultValue": "true"}'
    good_example = '{"key": "notify", "type": "boolean", "isOptional": true, "defaultValue": true}'

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        default = variable.get("defaultValue")
        if not isinstance(default, (str, bool)):
            return  # absent, or a type the schema already rejects
        kind = variable.type
        if kind in STRING_DEFAULT_TYPES and not isinstance(default, str):
            expected = "a string"
        elif kind == "boolean" and not isinstance(default, bool):
            expected = "a boolean (true or false, without quotes)"
        else:
            return
        yield self.report(
            ctx,
            variable,
            variable.at("defaultValue"),
            f"{variable.label} is of type {kind!r}, so its defaultValue must be {expected}",
        )


class OptionalNeedsDefault(_FormVariableRule):
    id = "LD213"
    severity = Severity.ERROR
    title = "An optional form variable must have a defaultValue"
    scope = "optional_rule"
    explanation = (
        "LaunchDarkly's tests reject a top-level form variable with `isOptional: true` and no "
        "`defaultValue` (types multiselect and environmentSelector excepted). In the approval, "
        "featureStore and flagCleanup lists upstream does not check this, and accepted public "
        "manifests rely on that, so there it is a warning."
    )
    bad_example = '{"key": "tag", "type": "string", "isOptional": true}'
    good_example = '{"key": "tag", "type": "string", "isOptional": true, "defaultValue": ""}'

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        if variable.get("isOptional") is not True or variable.has("defaultValue"):
            return
        if variable.type in NO_DEFAULT_NEEDED:
            return
        yield self.report(
            ctx,
            variable,
            variable.at("isOptional"),
            f'{variable.label} is optional but has no defaultValue; add "defaultValue" '
            '(for a string, "" is fine) or remove "isOptional"',
        )


class _ForbiddenKeys(_FormVariableRule):
    kind: str
    forbidden: tuple[str, ...]

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        if variable.type != self.kind:
            return
        for key in self.forbidden:
            if variable.has(key):
                yield self.report(
                    ctx,
                    variable,
                    variable.at(key),
                    f"{variable.label} is of type {self.kind!r}, which does not take {key!r} "
                    f"(even false or empty); remove it",
                    key=True,
                )


class MultiselectForbiddenKeys(_ForbiddenKeys):
    id = "LD214"
    severity = Severity.ERROR
    title = "A multiselect form variable has a key it cannot use"
    kind = "multiselect"
    forbidden = MULTISELECT_FORBIDDEN
    explanation = (
        "A `multiselect` form variable takes its choices from `multiselectOptions` and its "
        "defaults from `multiselectDefaultOptions`. LaunchDarkly's tests reject `defaultValue`, "
        "`dynamicOptions`, `allowedValues` and `isSecret` on it, whatever their value (top-level "
        "formVariables; a warning in the other lists)."
    )
    bad_example = (
        '{"key": "envs", "type": "multiselect", "allowedValues": ["a"], '
        '"multiselectOptions": [{"label": "A", "value": "a"}]}'
    )
    good_example = (
        '{"key": "envs", "type": "multiselect", '
        '"multiselectOptions": [{"label": "A", "value": "a"}]}'
    )


class MultiselectNeedsOptions(_FormVariableRule):
    id = "LD215"
    severity = Severity.ERROR
    title = "A multiselect form variable needs multiselectOptions"
    explanation = (
        "LaunchDarkly's tests reject a top-level form variable of type `multiselect` without "
        "`multiselectOptions`: there would be nothing to choose from (a warning in the other "
        "lists)."
    )
    bad_example = '{"key": "envs", "name": "Environments", "type": "multiselect"}'
    good_example = (
        '{"key": "envs", "name": "Environments", "type": "multiselect", '
        '"multiselectOptions": [{"label": "Production", "value": "production"}]}'
    )

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        if variable.type == "multiselect" and not variable.has("multiselectOptions"):
            yield self.report(
                ctx,
                variable,
                variable.at("multiselectOptions"),
                f'{variable.label} is of type "multiselect" but has no multiselectOptions; add '
                'the choices as [{"label": ..., "value": ...}]',
            )


class EnvironmentSelectorForbiddenKeys(_ForbiddenKeys):
    id = "LD216"
    severity = Severity.ERROR
    title = "An environmentSelector form variable has a key it cannot use"
    kind = "environmentSelector"
    forbidden = ENVIRONMENT_SELECTOR_FORBIDDEN
    explanation = (
        "An `environmentSelector` lists the account's environments by itself. LaunchDarkly's "
        "tests reject `multiselectOptions`, `multiselectDefaultOptions`, `defaultValue`, "
        "`dynamicOptions`, `allowedValues` and `isSecret` on it, whatever their value "
        "(top-level formVariables; a warning in the other lists)."
    )
    bad_example = '{"key": "env", "type": "environmentSelector", "defaultValue": "production"}'
    good_example = '{"key": "env", "type": "environmentSelector"}'


class SecretOnlyForString(_FormVariableRule):
    id = "LD217"
    severity = Severity.ERROR
    title = "Only string form variables can be secret"
    explanation = (
        "LaunchDarkly's tests reject `isSecret: true` on a form variable whose `type` is not "
        "`string` (top-level formVariables; a warning in the other lists). Store a secret as a "
        "string variable."
    )
    bad_example = '{"key": "endpoint", "type": "uri", "isSecret": true}'
    good_example = '{"key": "apiKey", "type": "string", "isSecret": true}'

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        kind = variable.type
        if kind is None or kind == "string" or variable.get("isSecret") is not True:
            return
        known = ctx.schema.form_variable_types
        if known is not None and kind not in known:
            return  # the type itself is the mistake (LD104); fixing it decides this

        yield self.report(
            ctx,
            variable,
            variable.at("isSecret"),
            f"{variable.label} is of type {kind!r} and cannot be secret; only string form "
            'variables take "isSecret": true',
        )


class DynamicEnumNeedsOptions(_FormVariableRule):
    id = "LD218"
    severity = Severity.ERROR
    title = "A dynamicEnum form variable needs dynamicOptions"
    explanation = (
        "A `dynamicEnum` loads its choices from the endpoint in `dynamicOptions`. LaunchDarkly's "
        "tests reject a top-level dynamicEnum without it (a warning in the other lists)."
    )
    bad_example = '{"key": "project", "type": "dynamicEnum"}'
    good_example = (
        '{"key": "project", "type": "dynamicEnum", "dynamicOptions": {"endpoint": {"url": '
        '"https://api.example.com/projects", "method": "GET"}, "parser": {"optionsPath": '
        '"/items", "optionsItems": {"label": "/name", "value": "/id"}}}}'
    )

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        if variable.type == "dynamicEnum" and not variable.has("dynamicOptions"):
            yield self.report(
                ctx,
                variable,
                variable.at("dynamicOptions"),
                f'{variable.label} is of type "dynamicEnum" but has no dynamicOptions; add '
                "dynamicOptions with the endpoint and parser that list the choices",
            )


class DynamicOptionsNeedDynamicEnum(_FormVariableRule):
    id = "LD219"
    severity = Severity.ERROR
    title = "dynamicOptions only work on a dynamicEnum form variable"
    explanation = (
        "LaunchDarkly's tests reject `dynamicOptions` on a form variable whose `type` is not "
        "`dynamicEnum` (top-level formVariables; a warning in the other lists). Either change "
        "the type to dynamicEnum or remove dynamicOptions."
    )
    bad_example = '{"key": "project", "type": "enum", "dynamicOptions": {"...": "..."}}'
    good_example = '{"key": "project", "type": "dynamicEnum", "dynamicOptions": {"...": "..."}}'

    def check_variable(self, ctx: RuleContext, variable: FormVariable) -> Iterator[Finding]:
        kind = variable.type
        if kind is None or kind == "dynamicEnum":
            return
        if not js_truthy(variable.get("dynamicOptions")):
            return
        yield self.report(
            ctx,
            variable,
            variable.at("type"),
            f'{variable.label} has dynamicOptions, which need type "dynamicEnum" (it is '
            f"{kind!r}); change the type or remove dynamicOptions",
        )
