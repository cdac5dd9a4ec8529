"""The rule catalogue: every rule id ldkit can report, declared exactly once.

`rule_modules()` lists, explicitly, every module that declares rules: the manifest
rules in `ldkit.rules` and the declarations that live next to the stage that
emits them (loader, schema pass, trigger, replay cases, Dynatrace). A new rule
module is added to the list; a test checks that every id has one rule with a
title, an explanation and examples.

The catalogue sits beside `commands/`, above every stage, because listing the
rules means importing every stage that declares one. Code that only needs the
ids (configuration codes) reads `ldkit.catalogue.index`, generated from this
catalogue, and imports no rule module.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING

from ldkit.core.rule import RuleDeclaration

if TYPE_CHECKING:
    from ldkit.rules.base import Rule


def rule_modules() -> tuple[ModuleType, ...]:
    """Every module that declares rules, in catalogue order."""
    from ldkit.dynatrace import rules as dynatrace_rules
    from ldkit.dynatrace.config import rules as dynatrace_config_rules
    from ldkit.dynatrace.workflow import rules as dynatrace_workflow_rules
    from ldkit.format import rules as format_rules
    from ldkit.load import rules as load_rules
    from ldkit.replay import rules as replay_rules
    from ldkit.rules import (
        akamai,
        audit_log_endpoint,
        audit_log_templates,
        capabilities,
        endpoint_templates,
        flag_link,
        form_variable_holes,
        form_variables,
        formatting,
        icons,
        oauth,
        other_templates,
        overview,
        pointers,
        regexes,
        review,
        schema_holes,
        synced_segment,
        trigger_samples,
        triggers,
    )
    from ldkit.schema import rules as schema_rules
    from ldkit.trigger import rules as trigger_rules

    return (
        load_rules,
        formatting,
        format_rules,
        schema_rules,
        schema_holes,
        icons,
        overview,
        oauth,
        form_variables,
        form_variable_holes,
        audit_log_endpoint,
        synced_segment,
        akamai,
        capabilities,
        review,
        endpoint_templates,
        audit_log_templates,
        flag_link,
        other_templates,
        triggers,
        pointers,
        regexes,
        trigger_rules,
        replay_rules,
        trigger_samples,
        dynatrace_rules,
        dynatrace_config_rules,
        dynatrace_workflow_rules,
    )


def declared_in(module: ModuleType) -> list[type[RuleDeclaration]]:
    """The rule classes a module declares (classes with an `id` of their own)."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, RuleDeclaration)
        and value.__module__ == module.__name__
        and "id" in value.__dict__
    ]


@cache
def all_rules() -> Mapping[str, type[RuleDeclaration]]:
    """id -> rule class, sorted by id. Two classes with one id are a bug."""
    catalogue: dict[str, type[RuleDeclaration]] = {}
    for module in rule_modules():
        for cls in declared_in(module):
            if cls.id in catalogue:
                raise RuntimeError(f"rule id {cls.id} is declared twice")
            catalogue[cls.id] = cls
    return MappingProxyType(dict(sorted(catalogue.items())))


def get_rule(rule_id: str) -> type[RuleDeclaration] | None:
    return all_rules().get(rule_id.upper())


@cache
def manifest_rules() -> tuple[type[Rule], ...]:
    """The rules `check` runs on every manifest, in id order."""
    from ldkit.rules.base import Rule

    return tuple(cls for cls in all_rules().values() if issubclass(cls, Rule))


__all__ = ["all_rules", "declared_in", "get_rule", "manifest_rules", "rule_modules"]
