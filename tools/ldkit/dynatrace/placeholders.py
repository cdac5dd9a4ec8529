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
    #: How ldkit derives the value from a problem sample (shown in the README).
    derivation: str

    @property
    def token(self) -> str:
        return "{" + self.name + "}"


_T, _J = Kind.TEXT, Kind.JSON

CATALOGUE: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("State", _T, "problem state, OPEN or RESOLVED", "notification.state"),
        Placeholder("ProblemID", _T, "display number of the problem", "problem.displayId"),
        Placeholder("PID", _T, "unique system id of the problem", "problem.problemId"),
        Placeholder("ProblemTitle", _T, "short description of the problem", "problem.title"),
        Placeholder(
            "ProblemURL",
            _T,
            "link to the problem in Dynatrace",
            "notification.problemUrl, else environment.url + /#problems/problemdetails;pid=<PID>",
        ),
        Placeholder("ProblemSeverity", _T, "severity of the problem", "problem.severityLevel"),
        Placeholder(
            "ProblemImpact",
            _T,
            "impact level: APPLICATION, SERVICE or INFRASTRUCTURE",
            "notification.problemImpact, else problem.impactLevel (SERVICES becomes SERVICE)",
        ),
        Placeholder(
            "ImpactedEntity",
            _T,
            "the problem and its impacted entity, or 'N impacted entities'",
            "notification.impactedEntity, else '<title> on <type> <name>' for one impacted "
            "entity and '<title> on N impacted entities' for several",
        ),
        Placeholder(
            "ImpactedEntityNames",
            _T,
            "the impacted entity names",
            "notification.impactedEntityNames, else problem.impactedEntities[].name joined by ', '",
        ),
        Placeholder(
            "NamesOfImpactedEntities",
            _T,
            "names of all impacted entities",
            "notification.namesOfImpactedEntities, else the same as {ImpactedEntityNames}",
        ),
        Placeholder(
            "ImpactedEntities",
            _J,
            "the impacted entities as a JSON array of {type, name, entity}",
            "problem.impactedEntities[] as {type: entityId.type, name, entity: entityId.id}",
        ),
        Placeholder(
            "Tags",
            _T,
            "tags of all impacted entities, comma-separated",
            "problem.entityTags[].stringRepresentation joined by ', '",
        ),
        Placeholder(
            "ProblemDetailsText",
            _T,
            "all event details as plain text",
            "notification.problemDetailsText, else generated from the problem",
        ),
        Placeholder(
            "ProblemDetailsHTML",
            _T,
            "all event details as HTML",
            "notification.problemDetailsHTML, else generated from the problem",
        ),
        Placeholder(
            "ProblemDetailsMarkdown",
            _T,
            "all event details as Markdown",
            "notification.problemDetailsMarkdown, else generated from the problem",
        ),
        Placeholder(
            "ProblemDetailsJSON",
            _J,
            "the problem as a Problems API v1 object",
            "notification.problemDetailsJSON, else converted from the v2 problem",
        ),
        Placeholder(
            "ProblemDetailsJSONv2",
            _J,
            "the problem as a Problems API v2 object, without recentComments",
            "problem without recentComments",
        ),
    )
}

#: `{Tags[key]}`: the value of one tag. Text.
TAG_PLACEHOLDER = Placeholder(
    "Tags[key]",
    Kind.TEXT,
    "value of the tag named key; empty for a tag without value; left literal when absent",
    "problem.entityTags[] with that key: its value, or '' when it has none",
)

#: Names third-party guides present as placeholders although Dynatrace has none
#: of them; a partner copying such a guide gets them literally in the body.
NOT_PLACEHOLDERS = frozenset(
    {"ProblemStartTime", "ProblemEndTime", "ProblemDetails", "ProblemStatus"}
)

# A placeholder-shaped token: a name in single braces, or the tag form. JSON
# objects (`{"a": 1}`) never match because a name cannot contain quotes or spaces.
TOKEN = re.compile(r"\{(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|Tags\[(?P<tag>[^\]\r\n]*)\])\}")


def suggestion(name: str) -> str | None:
    """The documented placeholder a misspelt name probably meant (case only)."""
    folded = name.lower()
    for known in CATALOGUE:
        if known.lower() == folded:
            return known
    return None
