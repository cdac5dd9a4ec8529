"""Path globs, translated to regular expressions once for every user of them:
`.prettierignore` lines (`ldkit.format.files`) and the configuration's
`per-path-ignores` (`ldkit.config`).

`*` and `?` stay within one folder, `**/` matches any number of leading
folders, `**` anything; `[abc]` and `[!abc]` are character classes and a
backslash makes the next character literal, as in `.gitignore`. Matching a
whole path, or one name of it, is the caller's choice.

Globs come from pull requests (`.prettierignore`, `.ldkit.toml`), so they
match on RE2, in time linear in the path whatever the glob (`*a*a*a*a…b`
backtracks for minutes on Python's engine); a glob whose character class is
invalid (`[z-a]`) is a `GlobError`.

Why not `pathspec`: it implements `.gitignore` files whole (anchoring,
negation, folder-only lines), which is the job of `IgnoreRules`, and the
configuration's globs match per path part the way ruff's do; what the two
share is exactly this translation, twenty lines without a dependency on
validate's path.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def glob_to_regex(glob: str) -> str:
    """The regular expression (unanchored at the end) that `glob` stands for."""
    out: list[str] = []
    index = 0
    while index < len(glob):
        char = glob[index]
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if glob.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in glob[index + 1 :]:
            end = glob.index("]", index + 1)
            body = glob[index + 1 : end].replace("\\", "\\\\")
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body}]")
            index = end
        elif char == "\\" and index + 1 < len(glob):
            index += 1
            out.append(re.escape(glob[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


class GlobError(ValueError):
    """A glob that cannot be matched; the message says why in one line."""


def full_matcher(regex: str) -> Callable[[str], bool]:
    """Whether a whole string matches `regex` (a `glob_to_regex` result, maybe
    prefixed), on RE2; GlobError when it cannot be compiled."""
    from ldkit.regex.engine import PatternRefused, compile_full_matcher

    try:
        return compile_full_matcher(regex)
    except PatternRefused as refused:
        raise GlobError(refused.message) from None


def compile_glob(glob: str) -> Callable[[str], bool]:
    """Whether a whole string matches `glob`; GlobError for an invalid glob."""
    return full_matcher(glob_to_regex(glob))
