"""The rule `ldkit validate` reports for a JSON file `ldkit format` would change.

Declared next to the formatter, which decides it; `ldkit.checks.formatted`
emits it for every JSON file `ldkit validate` reads.
"""

from __future__ import annotations

from ldkit.core.findings import Severity
from ldkit.core.rule import RuleDeclaration


class NotPrettierFormatted(RuleDeclaration):
    severity = Severity.ERROR
    upstream = True
    id = "LD014"
    title = "Not formatted the way LaunchDarkly's prettier check wants"
    explanation = (
        "LaunchDarkly's CI runs `prettier --list-different` (prettier 2.2.1, 80 columns, "
        "2-space indentation) over every JSON file and fails when prettier would change one. "
        "Prettier keeps an object expanded when a line break follows its `{`, puts an array or "
        "object on one line when it fits in 80 columns and breaks it one entry per line when it "
        "does not, and normalises numbers. Run `ldkit format` (no Node.js needed) to rewrite "
        "the file exactly as prettier would. This error leaves to LD010 to LD013 what they "
        "already report (trailing whitespace, final newlines, CRLF); `ldkit format` fixes those "
        "too. Checked for every JSON file `ldkit validate` reads, except what `.prettierignore` "
        "names."
    )
    bad_example = (
        '"allowedValues": ["production", "staging", "development", "qa-environment", "sandbox"]'
        "   (86 columns)"
    )
    good_example = '"allowedValues": [\n  "production",\n  "staging",\n  ...\n]'
