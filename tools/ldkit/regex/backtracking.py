"""Shapes that backtrack catastrophically in a backtracking engine: nested
quantifiers whose bodies can match the same text, quantified alternations
whose branches can start with the same character."""

from __future__ import annotations

from ldkit.regex.problems import (
    BACKTRACKING,
    UNBOUNDED,
    RegexProblem,
)
from ldkit.regex.syntax import Alt, Char, Group, Node, Repeat, Seq, ZeroWidth

# ---------------------------------------------------------------------------
# backtracking analysis


def _nullable(node: Node | None) -> bool:
    if node is None or isinstance(node, ZeroWidth):
        return True
    if isinstance(node, Char):
        return False
    if isinstance(node, Seq):
        return all(_nullable(item) for item in node.items)
    if isinstance(node, Alt):
        return any(_nullable(branch) for branch in node.branches)
    if isinstance(node, Group):
        return _nullable(node.body)
    if isinstance(node, Repeat):
        return node.low == 0 or _nullable(node.body)
    return True


def _first(node: Node | None) -> int:
    """Characters a match of `node` can start with."""
    if node is None or isinstance(node, ZeroWidth):
        return 0
    if isinstance(node, Char):
        return node.mask
    if isinstance(node, Seq):
        mask = 0
        for item in node.items:
            mask |= _first(item)
            if not _nullable(item):
                break
        return mask
    if isinstance(node, Alt):
        mask = 0
        for branch in node.branches:
            mask |= _first(branch)
        return mask
    if isinstance(node, Group):
        return _first(node.body)
    if isinstance(node, Repeat):
        return _first(node.body) if node.high != 0 else 0
    return 0


def _chars(node: Node | None) -> int:
    """Every character `node` can consume anywhere in a match."""
    if node is None or isinstance(node, ZeroWidth):
        return 0
    if isinstance(node, Char):
        return node.mask
    children: list[Node | None]
    if isinstance(node, Seq):
        children = list(node.items)
    elif isinstance(node, Alt):
        children = list(node.branches)
    elif isinstance(node, (Group, Repeat)):
        children = [node.body]
    else:
        children = []
    mask = 0
    for child in children:
        mask |= _chars(child)
    return mask


def _absorbable(node: Node | None, mask: int) -> bool:
    """Can `node` match some string made only of characters in `mask`?"""
    if node is None or isinstance(node, ZeroWidth):
        return True
    if isinstance(node, Char):
        return bool(node.mask & mask)
    if isinstance(node, Seq):
        return all(_absorbable(item, mask) for item in node.items)
    if isinstance(node, Alt):
        return any(_absorbable(branch, mask) for branch in node.branches)
    if isinstance(node, Group):
        return _absorbable(node.body, mask)
    if isinstance(node, Repeat):
        return node.low == 0 or _absorbable(node.body, mask)
    return True


def _inner_repeats(node: Node | None, around: list[Node]) -> list[tuple[Repeat, list[Node]]]:
    """Repeats (max >= 2) inside `node`, each with the sequence siblings on its way up.

    Only these siblings stand between one iteration's inner repeat and the next
    iteration's: if all of them can be made of the inner repeat's characters,
    the text can be split between iterations in many ways.
    """
    found: list[tuple[Repeat, list[Node]]] = []
    if node is None or isinstance(node, (Char, ZeroWidth)):
        return found
    if isinstance(node, Seq):
        for index, item in enumerate(node.items):
            siblings = node.items[:index] + node.items[index + 1 :]
            found.extend(_inner_repeats(item, around + siblings))
    elif isinstance(node, Alt):
        for branch in node.branches:
            found.extend(_inner_repeats(branch, around))
    elif isinstance(node, Group):
        found.extend(_inner_repeats(node.body, around))
    elif isinstance(node, Repeat):
        if (node.high == UNBOUNDED or node.high >= 2) and not node.possessive:
            if _first(node.body):
                found.append((node, around))
        found.extend(_inner_repeats(node.body, around))
    return found


def _unwrap(node: Node | None) -> Node | None:
    while True:
        if isinstance(node, Group):
            node = node.body
        elif isinstance(node, Seq) and len(node.items) == 1:
            node = node.items[0]
        else:
            return node


def _walk(node: Node | None) -> list[Node]:
    if node is None:
        return []
    out = [node]
    if isinstance(node, Seq):
        for item in node.items:
            out.extend(_walk(item))
    elif isinstance(node, Alt):
        for branch in node.branches:
            out.extend(_walk(branch))
    elif isinstance(node, (Group, Repeat)):
        out.extend(_walk(node.body))
    return out


def backtracking_problems(pattern: str, tree: Node) -> list[RegexProblem]:
    problems: list[RegexProblem] = []
    reported_until = -1  # one report per outermost risky repeat
    for node in _walk(tree):
        if not isinstance(node, Repeat) or node.high != UNBOUNDED or node.possessive:
            continue
        if node.start < reported_until:
            continue
        before = len(problems)
        outer = pattern[node.start : node.end]
        nested = None
        for inner, around in _inner_repeats(node.body, []):
            if all(_absorbable(sibling, _chars(inner.body)) for sibling in around):
                nested = inner
                break
        if nested is not None:
            inner_text = pattern[nested.start : nested.end]
            problems.append(
                RegexProblem(
                    BACKTRACKING,
                    node.start,
                    f"nested quantifier: `{inner_text}` repeats inside `{outer}` (offset "
                    f"{node.start}) and both can match the same text, so a failing match "
                    "backtracks exponentially in JavaScript, Python and other backtracking "
                    "engines; quantify only once (e.g. `(a+)+` becomes `a+`) or make each "
                    "iteration end with something the inner part cannot match (e.g. "
                    r"`(\w+\s)*` instead of `(\w+\s?)*`)",
                )
            )
            reported_until = node.end
            continue
        body = _unwrap(node.body)
        if isinstance(body, Alt):
            seen = 0
            for branch in body.branches:
                first = _first(branch)
                if first & seen:
                    problems.append(
                        RegexProblem(
                            BACKTRACKING,
                            node.start,
                            f"alternatives in `{outer}` (offset {node.start}) can start with the "
                            f"same character (`{pattern[branch.start : branch.end]}` overlaps an "
                            "earlier branch), so a failing match tries every split; make the "
                            r"branches disjoint (e.g. `(\w|\d)+` becomes `\w+`, `(a|ab)*` "
                            "becomes `(ab?)*`)",
                        )
                    )
                    break
                seen |= first
        if len(problems) > before:
            reported_until = node.end
    return problems
