"""The catalogue of custom-payload placeholders Dynatrace documents for webhooks.

Each placeholder renders either as text (which belongs inside a JSON string) or
as a JSON value (which must stand bare). That split drives both the escaping and
the quoting checks, so it lives in one table instead of being repeated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True)
class Placeholder:
    name: str
    kind: Kind
    meaning: str

    @property
    def token(self) -> str:
        return "{" + self.name + "}"


_T, _J = Kind.TEXT, Kind.JSON

CATALOGUE: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("State", _T, "problem state, OPEN or RESOLVED"),
        Placeholder("ProblemID", _T, "display number of the problem"),
        Placeholder("PID", _T, "unique system id of the problem"),
        Placeholder("ProblemTitle", _T, "short description of the problem"),
        Placeholder("ProblemURL", _T, "link to the problem in Dynatrace"),
        Placeholder("ProblemSeverity", _T, "severity of the problem"),
        Placeholder("ProblemImpact", _T, "impact level: APPLICATION, SERVICE or INFRASTRUCTURE"),
        Placeholder(
            "ImpactedEntity", _T, "the problem and its impacted entity, or 'N impacted entities'"
        ),
        Placeholder("ImpactedEntityNames", _T, "the impacted entity names"),
        Placeholder("NamesOfImpactedEntities", _T, "names of all impacted entities"),
        Placeholder(
            "ImpactedEntities", _J, "the impacted entities as a JSON array of {type, name, entity}"
        ),
        Placeholder("Tags", _T, "tags of all impacted entities, comma-separated"),
        Placeholder("ProblemDetailsText", _T, "all event details as plain text"),
        Placeholder("ProblemDetailsHTML", _T, "all event details as HTML"),
        Placeholder("ProblemDetailsMarkdown", _T, "all event details as Markdown"),
        Placeholder("ProblemDetailsJSON", _J, "the problem as a Problems API v1 object"),
        Placeholder(
            "ProblemDetailsJSONv2",
            _J,
            "the problem as a Problems API v2 object, without recentComments",
        ),
    )
}

#: Names third-party guides present as placeholders although Dynatrace has none
#: of them; a partner copying such a guide gets them literally in the body.
NOT_PLACEHOLDERS = frozenset(
    {"ProblemStartTime", "ProblemEndTime", "ProblemDetails", "ProblemStatus"}
)

# A placeholder-shaped token: a name in single braces, or the tag form. JSON
# objects (`{"a": 1}`) never match because a name cannot contain quotes or spaces.
TOKEN = re.compile(r"\{(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|Tags\[(?P<tag>[^\]\r\n]*)\])\}")


def suggestion(name: str) -> Placeholder | None:
    """The documented placeholder a misspelt name probably meant (case only)."""
    folded = name.lower()
    for known in CATALOGUE.values():
        if known.name.lower() == folded:
            return known
    return None
