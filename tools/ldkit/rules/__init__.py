"""Rule catalogue. Every rule module in this package is discovered automatically,
so adding a rule never means editing a central list."""

from ldkit.rules.base import Rule, RuleContext, all_rules, get_rule

__all__ = ["Rule", "RuleContext", "all_rules", "get_rule"]
