"""Path globs, translated to regular expressions once for every user of them:
`.prettierignore` lines (`ldkit.format.files`) and the configuration's
`per-path-ignores` (`ldkit.config`).

`*` and `?` stay within one folder, `**/` matches any number of leading
folders, `**` anything; `[abc]` and `[!abc]` are character classes and a
backslash makes the next character literal, as in `.gitignore`. Matching a
whole path, or one name of it, is the caller's choice.

Why not `pathspec`: it implements `.gitignore` files whole (anchoring,
negation, folder-only lines), which is the job of `IgnoreRules`, and the
configuration's globs match per path part the way ruff's do; what the two
share is exactly this translation, twenty lines without a dependency on
validate's path.
"""

from __future__ import annotations

import re


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


def compile_glob(glob: str) -> re.Pattern[str]:
    """`glob` as a compiled pattern that must match a whole string."""
    return re.compile(glob_to_regex(glob) + r"\Z")
