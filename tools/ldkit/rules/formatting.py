"""File formatting that LaunchDarkly's CI gates reject (manifest-format §10).

Upstream's pre-commit job runs `trailing-whitespace` and `end-of-file-fixer`,
and prettier wants LF line endings. A hook that would change a file fails the
job, but the manifest itself is fine, so these are warnings: they tell the
partner what CI will complain about, with the exact position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ldkit.findings import Finding, Severity
from ldkit.jsonpos import Document
from ldkit.rules.base import Rule, RuleContext

# pre-commit's trailing-whitespace strips ASCII whitespace before the line end.
_TRAILING = re.compile(r"[ \t\v\f]+(?=\r?\n|\Z)")
_EXTRA_NEWLINES = re.compile(r"(?:\r?\n){2,}\Z")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _FormattingRule(Rule):
    severity = Severity.WARNING
    upstream = True

    def at(self, ctx: RuleContext, offset: int, message: str) -> Finding:
        line, column = _line_col(ctx.document.text, offset)
        return Finding(ctx.path, line, column, self.id, self.severity, message, "")


class TrailingWhitespace(_FormattingRule):
    id = "LD010"
    title = "Trailing whitespace"
    explanation = (
        "LaunchDarkly's CI runs pre-commit's `trailing-whitespace` hook, which fails when a line "
        "ends in spaces or tabs. Remove them (most editors can do this on save)."
    )
    bad_example = '  "name": "Example",··   (two spaces after the comma)'
    good_example = '  "name": "Example",'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for match in _TRAILING.finditer(ctx.document.text):
            yield self.at(
                ctx,
                match.start(),
                f"trailing whitespace ({len(match.group())} character"
                f"{'s' if len(match.group()) != 1 else ''}); remove it, LaunchDarkly's CI "
                "rejects it",
            )


class MissingFinalNewline(_FormattingRule):
    id = "LD011"
    title = "No newline at the end of the file"
    explanation = (
        "LaunchDarkly's CI runs pre-commit's `end-of-file-fixer`, which fails when a file does "
        "not end with exactly one newline. Add a line break after the closing brace."
    )
    bad_example = "}<end of file>"
    good_example = "}\\n<end of file>"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        text = ctx.document.text
        if text.strip() and not text.endswith("\n"):
            yield self.at(
                ctx,
                len(text),
                "the file does not end with a newline; add one after the last line",
            )


class ExtraFinalNewlines(_FormattingRule):
    id = "LD012"
    title = "More than one newline at the end of the file"
    explanation = (
        "LaunchDarkly's CI runs pre-commit's `end-of-file-fixer`, which fails when a file ends "
        "with blank lines. Keep exactly one newline after the closing brace."
    )
    bad_example = "}\\n\\n<end of file>"
    good_example = "}\\n<end of file>"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        text = ctx.document.text
        match = _EXTRA_NEWLINES.search(text)
        if match and text.strip():
            first_break = text.index("\n", match.start())
            count = match.group().count("\n") - 1
            yield self.at(
                ctx,
                first_break + 1,
                f"the file ends with {count} blank line{'s' if count != 1 else ''}; keep "
                "exactly one newline at the end",
            )


class CrlfLineEndings(_FormattingRule):
    id = "LD013"
    title = "Windows (CRLF) line endings"
    explanation = (
        "LaunchDarkly's CI checks formatting with prettier, which expects LF line endings; a "
        "file with CRLF endings fails `prettier --list-different`. Convert the file to LF "
        "(for git: `git config core.autocrlf input`, or a `.gitattributes` with `* text=auto "
        "eol=lf`)."
    )
    bad_example = '{\\r\\n  "name": "Example"\\r\\n}\\r\\n'
    good_example = '{\\n  "name": "Example"\\n}\\n'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        text = ctx.document.text
        first = text.find("\r\n")
        if first < 0:
            return
        count = text.count("\r\n")
        yield self.at(
            ctx,
            first,
            f"the file uses CRLF line endings ({count} line{'s' if count != 1 else ''}, the "
            "first here); convert it to LF",
        )


class NotPrettierFormatted(_FormattingRule):
    id = "LD014"
    title = "Not formatted the way LaunchDarkly's prettier check wants"
    explanation = (
        "LaunchDarkly's CI runs `prettier --list-different` (prettier 2.2.1, 80 columns, "
        "2-space indentation) over every JSON file and fails when prettier would change one. "
        "Prettier keeps an object expanded when a line break follows its `{`, puts an array or "
        "object on one line when it fits in 80 columns and breaks it one entry per line when it "
        "does not, and normalises numbers. Run `ldkit format` (no Node.js needed) to rewrite "
        "the file exactly as prettier would. This warning leaves to LD010 to LD013 what they "
        "already report (trailing whitespace, final newlines, CRLF); `ldkit format` fixes those "
        "too. Checked for every JSON file `ldkit validate` reads, except what `.prettierignore` "
        "names."
    )
    bad_example = (
        '"allowedValues": ["production", "staging", "development", "qa-environment", "sandbox"]'
        "   (86 columns)"
    )
    good_example = '"allowedValues": [\n  "production",\n  "staging",\n  ...\n]'


def _as_other_rules_fix(text: str) -> str:
    """`text` with what LD010 to LD013 report already fixed."""
    text = text.replace("\r\n", "\n")
    text = _TRAILING.sub("", text)
    return text.rstrip("\n") + "\n" if text.strip() else text


def unformatted(document: Document) -> Finding | None:
    """LD014 for a parsed JSON file that `ldkit format` would change, at the first such line."""
    from pathlib import Path

    from ldkit.format import JsonSyntaxError, first_difference, format_json
    from ldkit.format.files import IgnoreRules

    cwd = Path.cwd()
    relative = Path(document.path).resolve()
    if relative.is_relative_to(cwd):
        if IgnoreRules.for_directory(cwd).ignores(relative.relative_to(cwd).as_posix()):
            return None
    text = _as_other_rules_fix(document.text)
    try:
        formatted = format_json(text, Path(document.path).name)
    except JsonSyntaxError:
        return None
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
