"""What a rule id means: the declaration every finding's id points to.

A declaration is a class with a stable `id`, a `severity`, a `title`, an
`explanation` and a bad and a good example. It lives here, at the bottom of the
pipeline, so that every stage that emits findings (the loader, the schema pass,
the trigger, the file-kind checkers, the Dynatrace renderer) can declare its
rules next to the code that emits them and emit by `MyRule.id`, without
depending on the manifest rule engine. `ldkit.rules` lists every declaring
module; `ldkit rules` and the SARIF and JUnit reporters read the declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from ldkit.report.findings import Severity


class RuleDeclaration:
    """A rule as users see it. Subclasses set the class attributes.

    Rules whose findings another stage emits subclass this directly; manifest
    rules subclass `ldkit.rules.base.Rule`, which adds `check`.
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    explanation: ClassVar[str] = ""
    bad_example: ClassVar[str] = ""
    good_example: ClassVar[str] = ""
    #: True when LaunchDarkly's own validator enforces the same thing.
    upstream: ClassVar[bool] = False


#: Looks a rule id up in the catalogue (`ldkit.rules.get_rule`): reporters that
#: describe rules take it as an argument, so the report stage does not depend on
#: the rule engine.
RuleLookup = Callable[[str], "type[RuleDeclaration] | None"]
