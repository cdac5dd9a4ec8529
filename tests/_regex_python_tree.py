"""A test oracle: RE2-rejected constructs found by walking Python's own parse
tree, which has no offsets but misses nothing Python parses. The tests check
that ldkit's position-keeping regex parser finds exactly what this walk finds."""

from __future__ import annotations

import re
import warnings

# ---------------------------------------------------------------------------
# cross-check with Python's own parse tree


def _sre() -> tuple[object, object] | None:
    """Python's regex parser and its constants, or None where neither is found.

    Both are private: `re._parser` / `re._constants` since 3.11, `sre_parse` /
    `sre_constants` before (deprecated since 3.11). The cross-check below is a
    safety net, so a Python without either simply skips it.
    """
    try:
        from re import _constants as constants  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                import sre_constants as constants  # type: ignore[no-redef]
                import sre_parse as parser  # type: ignore[no-redef]
        except ImportError:
            return None
    return parser, constants


def python_tree_re2_constructs(pattern: str) -> set[str]:
    """RE2-rejected constructs found by walking Python's own tree of `pattern`.

    Python's tree has no offsets, so this cannot locate anything; it is the
    safety net that keeps a construct our parser missed from going unreported.
    """
    found: set[str] = set()
    sre = _sre()
    if sre is None:
        return found
    parser, c = sre
    # Opcodes appear with the Python that parses them: ATOMIC_GROUP and
    # POSSESSIVE_REPEAT exist from 3.11 (before, such patterns do not compile and
    # never reach this check), so every name is looked up with a default.
    names = (
        "GROUPREF",
        "GROUPREF_EXISTS",
        "ASSERT",
        "ASSERT_NOT",
        "ATOMIC_GROUP",
        "POSSESSIVE_REPEAT",
    )
    rejected = {getattr(c, name): name for name in names if hasattr(c, name)}
    repeats = {getattr(c, name, None) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")}
    repeats.discard(None)
    failure = getattr(c, "FAILURE", None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = parser.parse(pattern)  # type: ignore[attr-defined]
    except (re.error, RecursionError, OverflowError):
        return found
    pending = [list(tree)]
    while pending:
        for op, av in pending.pop():
            if op in rejected:
                found.add(rejected[op])
            if op is failure:
                # Python 3.13 parses an empty negative look-around, `(?!)` or
                # `(?<!)`, as "always fail"; RE2 rejects the look-around itself.
                found.add("ASSERT_NOT")
            if op is c.AT and av is c.AT_END_STRING:  # type: ignore[attr-defined]
                found.add("AT_END_STRING")
            if op in repeats:
                pending.append(list(av[2]))
            elif op is c.SUBPATTERN:  # type: ignore[attr-defined]
                pending.append(list(av[-1]))
            elif op in (c.ASSERT, c.ASSERT_NOT):  # type: ignore[attr-defined]
                pending.append(list(av[1]))
            elif rejected.get(op) == "ATOMIC_GROUP":
                pending.append(list(av))
            elif op is c.BRANCH:  # type: ignore[attr-defined]
                pending.extend(list(branch) for branch in av[1])
            elif rejected.get(op) == "GROUPREF_EXISTS":
                pending.extend(list(branch) for branch in av[1:] if branch)
    return found
