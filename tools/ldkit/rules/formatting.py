"""File formatting that LaunchDarkly's CI gates reject (the pre-commit and CI configuration of
https://github.com/launchdarkly/integration-framework).

Upstream's pre-commit job runs `trailing-whitespace` and `end-of-file-fixer`,
and its build job runs `npm run prettier:check`, which wants LF line endings. A
hook that would change a file fails LaunchDarkly's CI, so these are errors, like
everything else that CI rejects; a project that does not gate on formatting
turns them down with `warn = ["LD01"]` (or ignores them) in its configuration.
`ldkit format` fixes every one of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ldkit.core.findings import Finding, Severity
from ldkit.rules.base import Rule, RuleContext

# pre-commit's trailing-whitespace strips ASCII whitespace before the line end.
_TRAILING = re.compile(r"[ \t\v\f]+(?=\r?\n|\Z)")
_EXTRA_NEWLINES = re.compile(r"(?:\r?\n){2,}\Z")


class _FormattingRule(Rule):
    severity = Severity.ERROR
    upstream = True

    def at(self, ctx: RuleContext, offset: int, message: str) -> Finding:
        line, column = ctx.document.line_col(offset)
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


def as_other_rules_fix(text: str) -> str:
    """`text` with what LD010 to LD013 report already fixed."""
    text = text.replace("\r\n", "\n")
    if any(f"{space}\n" in text for space in " \t\v\f") or text.endswith((" ", "\t", "\v", "\f")):
        text = _TRAILING.sub("", text)
    return text.rstrip("\n") + "\n" if text.strip() else text
