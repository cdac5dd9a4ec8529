"""Rule ids as people type them: `ld311`, `311` and `LD311` are the same id,
and a mistyped one gets suggestions. Shared by `ldkit rules ID` and by the
rule codes in `ldkit validate`'s settings."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(?:LD)?0*(\d{1,4})\Z", re.IGNORECASE)


def normalise(raw: str) -> str:
    """Accept `ld200`, `LD200` and `200` for LD200."""
    match = _NUMBER.match(raw.strip())
    return f"LD{int(match.group(1)):03d}" if match else raw.strip().upper()


def _one_typo_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def suggestions(raw: str, ids: list[str]) -> list[str]:
    """Ids a user probably meant: one mistyped character (LD2O3 for LD203) first,
    nearest numbers first among those, then numeric neighbours or close spellings."""
    wanted = normalise(raw)
    typo = [i for i in ids if _one_typo_apart(i, wanted)]
    match = _NUMBER.match(wanted)
    if match:
        number = int(match.group(1))
        distance = {i: abs(int(i[2:]) - number) for i in ids if i[2:].isdigit()}
        typo.sort(key=lambda i: (distance.get(i, 0), i))
        others = sorted(distance, key=lambda i: (distance[i], i))[:3]
    else:
        import difflib

        others = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    return list(dict.fromkeys(typo[:3] + others))[:5]
