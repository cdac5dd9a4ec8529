"""LD014: a JSON file `ldkit validate` reads that `ldkit format` would change.

Every file kind gets this check (manifests, replay cases, problem samples):
LaunchDarkly's CI runs prettier over all of them. The rule itself (id,
explanation) is declared with the other formatting rules; this module runs the
formatter, which the rules package must not depend on.
"""

from __future__ import annotations

from pathlib import Path

from ldkit.core.findings import Finding
from ldkit.format import JsonSyntaxError, first_difference, format_json
from ldkit.format.files import IgnoreRules
from ldkit.format.rules import NotPrettierFormatted
from ldkit.load.jsonpos import Document
from ldkit.rules.formatting import as_other_rules_fix


def unformatted(document: Document) -> Finding | None:
    """LD014 for a parsed JSON file that `ldkit format` would change, at the first such line."""
    cwd = Path.cwd()
    relative = Path(document.path).resolve()
    if relative.is_relative_to(cwd):
        if IgnoreRules.for_directory(cwd).ignores(relative.relative_to(cwd).as_posix()):
            return None
    try:
        formatted = format_json(document.text, Path(document.path).name)
    except JsonSyntaxError:
        return None
    if formatted == document.text:
        return None
    # Formatting ignores what LD010 to LD013 report, so compare without it.
    text = as_other_rules_fix(document.text)
    difference = first_difference(text, formatted)
    if difference is None:
        return None
    same = 0
    for before, after in zip(difference.actual, difference.expected, strict=False):
        if before != after:
            break
        same += 1
    shown = difference.expected.strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return Finding(
        document.path,
        difference.line,
        same + 1,
        NotPrettierFormatted.id,
        NotPrettierFormatted.severity,
        "LaunchDarkly's prettier check would reformat this file from here (prettier writes "
        f"{shown!r} on this line); run `ldkit format {document.path}`",
        "",
    )
