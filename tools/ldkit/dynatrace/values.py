"""What each placeholder becomes: derived from a problem sample, or Dynatrace's
"Send test notification" values.

A problem sample (`*.problem.json`, schema `schemas/dynatrace/problem.schema.json`)
holds a Problems API v2 problem plus the few notification facts the v2 object does
not carry (the environment's URL and name, optionally the delivery kind and
explicit values). Every placeholder Dynatrace would fill is derived from it, so a
sample only states each fact once; explicit `notification` values win where
Dynatrace's own formatting is not public.

Derivation is defensive: `render_payload` accepts any parsed JSON, and a sample
with wrong types renders with empty values instead of failing (the schema check in
`ldkit.checks.problem_sample` is what reports the wrong types).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

TEST_TITLE = "Dynatrace problem notification test run"


@dataclass(frozen=True)
class Tag:
    key: str
    value: str | None
    text: str


@dataclass
class Values:
    """Placeholder values. `text` holds the text placeholders (unescaped), `json`
    the JSON placeholders as the exact JSON text Dynatrace inserts."""

    text: dict[str, str]
    json: dict[str, str]
    tags: list[Tag]
    #: Placeholders whose value is ldkit's stand-in, not a documented one.
    undocumented: dict[str, str] = field(default_factory=dict)

    def tag_value(self, key: str) -> str | None:
        """`{Tags[key]}`: the tag's value, "" for a valueless tag, None when absent.

        Keys compare exactly; Dynatrace does not document case sensitivity, and
        the first tag wins when several entities carry the key (also undocumented).
        """
        for tag in self.tags:
            if tag.key == key:
                return tag.value if tag.value is not None else ""
        return None


def compact(value: object) -> str:
    """JSON text as Dynatrace inserts it: compact, non-ASCII kept as is (the
    observed real bodies are compact)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- small defensive accessors ------------------------------------------------


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- vocabulary -----------------------------------------------------------------

# The v2 API says SERVICES where the webhook placeholder and the v1 API say SERVICE.
_IMPACT_V2_TO_V1 = {"SERVICES": "SERVICE"}

_TYPE_LABELS = {
    "HOST": "Host",
    "SERVICE": "Service",
    "PROCESS_GROUP": "Process group",
    "PROCESS_GROUP_INSTANCE": "Process",
    "APPLICATION": "Web application",
    "MOBILE_APPLICATION": "Mobile app",
    "CUSTOM_APPLICATION": "Custom application",
    "SYNTHETIC_TEST": "Synthetic monitor",
    "HTTP_CHECK": "HTTP monitor",
    "CLOUD_APPLICATION": "Kubernetes workload",
    "KUBERNETES_CLUSTER": "Kubernetes cluster",
}


def type_label(entity_type: str) -> str:
    if entity_type in _TYPE_LABELS:
        return _TYPE_LABELS[entity_type]
    return entity_type.replace("_", " ").capitalize() if entity_type else "Entity"


def impact_v1(level: str) -> str:
    return _IMPACT_V2_TO_V1.get(level, level)


# --- entities and tags ----------------------------------------------------------


def _entity(stub: object) -> tuple[str, str, str]:
    """(type, name, id) of a v2 EntityStub `{entityId: {id, type}, name}`."""
    stub = _dict(stub)
    entity_id = _dict(stub.get("entityId"))
    return _str(entity_id.get("type")), _str(stub.get("name")), _str(entity_id.get("id"))


def _tags(problem: dict) -> list[Tag]:
    tags = []
    for raw in _list(problem.get("entityTags")):
        raw = _dict(raw)
        key = _str(raw.get("key"))
        value = raw.get("value")
        value = _str(value) if value is not None else None
        text = raw.get("stringRepresentation")
        if not isinstance(text, str):
            context = _str(raw.get("context"))
            prefix = f"[{context}]" if context and context != "CONTEXTLESS" else ""
            text = prefix + key + (f":{value}" if value is not None else "")
        tags.append(Tag(key, value, text))
    return tags


# --- the v1 object ({ProblemDetailsJSON}) ----------------------------------------


def problem_v1(problem: dict) -> dict[str, object]:
    """A Problems API v1 object built from a v2 problem.

    Field names and vocabulary follow the v1 model; the mapping is ours: events
    come from the EVENT evidence, impacts from the impact analysis, and the
    counts put every impacted entity under the problem's impact level (affected
    while open, recovered once closed).
    """
    status = _str(problem.get("status"))
    severity = _str(problem.get("severityLevel"))
    level = impact_v1(_str(problem.get("impactLevel")))
    events = []
    for detail in _list(_dict(problem.get("evidenceDetails")).get("details")):
        detail = _dict(detail)
        if detail.get("evidenceType") != "EVENT":
            continue
        _, name, entity_id = _entity(detail.get("entity"))
        end = _int(detail.get("endTime"))
        events.append(
            {
                "startTime": _int(detail.get("startTime")),
                "endTime": end if end is not None else -1,
                "entityId": entity_id,
                "entityName": name,
                "severityLevel": severity,
                "impactLevel": level,
                "eventType": _str(detail.get("eventType")),
                "status": "OPEN" if end in (None, -1) else "CLOSED",
                "isRootCause": detail.get("rootCauseRelevant") is True,
            }
        )
    first_event = events[0]["eventType"] if events else ""
    impacts = []
    for impact in _list(_dict(problem.get("impactAnalysis")).get("impacts")):
        impact = _dict(impact)
        _, name, entity_id = _entity(impact.get("impactedEntity"))
        impacts.append(
            {
                "entityId": entity_id,
                "entityName": name,
                "severityLevel": severity,
                "impactLevel": "SERVICE"
                if impact.get("impactType") == "SERVICE"
                else "APPLICATION",
                "eventType": first_event,
            }
        )
    counts = {"INFRASTRUCTURE": 0, "SERVICE": 0, "APPLICATION": 0, "ENVIRONMENT": 0}
    affected, recovered = dict(counts), dict(counts)
    impacted = len(_list(problem.get("impactedEntities")))
    if level in counts:
        (recovered if status == "CLOSED" else affected)[level] = impacted
    tags = []
    for raw in _list(problem.get("entityTags")):
        raw = _dict(raw)
        tag: dict[str, object] = {
            "context": _str(raw.get("context")) or "CONTEXTLESS",
            "key": _str(raw.get("key")),
        }
        if raw.get("value") is not None:
            tag["value"] = _str(raw.get("value"))
        tags.append(tag)
    comments = _list(_dict(problem.get("recentComments")).get("comments"))
    end = _int(problem.get("endTime"))
    return {
        "id": _str(problem.get("problemId")),
        "startTime": _int(problem.get("startTime")),
        "endTime": end if end is not None else -1,
        "displayName": _str(problem.get("displayId")),
        "impactLevel": level,
        "status": status,
        "severityLevel": severity,
        "commentCount": len(comments),
        "tagsOfAffectedEntities": tags,
        "rankedEvents": events,
        "rankedImpacts": impacts,
        "affectedCounts": affected,
        "recoveredCounts": recovered,
        "hasRootCause": isinstance(problem.get("rootCauseEntity"), dict),
    }


def problem_v2(problem: dict) -> dict[str, object]:
    """`{ProblemDetailsJSONv2}`: the v2 problem minus `recentComments`, which
    Dynatrace documents as excluded."""
    return {k: v for k, v in problem.items() if k != "recentComments"}


# --- details text, HTML, Markdown -------------------------------------------------


def _clock(millis: int | None) -> str:
    if millis is None or millis < 0:
        return "unknown time"
    try:
        moment = datetime.fromtimestamp(millis / 1000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return "unknown time"
    return moment.strftime("%H:%M (UTC) %d.%m.%Y")


def _timeline(problem: dict) -> str:
    start, end = _int(problem.get("startTime")), _int(problem.get("endTime"))
    line = f"Problem detected at: {_clock(start)}"
    if end is not None and end >= 0 and start is not None and end >= start:
        minutes = (end - start) // 60000
        line += f" - {_clock(end)} (was open for {minutes} min)"
    return line


@dataclass
class _Details:
    heading: str
    timeline: str
    impacted_heading: str
    impacted: list[str]
    root_causes: list[str]
    url: str


def _details(problem: dict, state: str, environment: str, url: str) -> _Details:
    entities = [_entity(e) for e in _list(problem.get("impactedEntities"))]
    count = len(entities)
    causes = []
    for detail in _list(_dict(problem.get("evidenceDetails")).get("details")):
        detail = _dict(detail)
        if detail.get("rootCauseRelevant") is True:
            _, name, _ = _entity(detail.get("entity"))
            causes.append(f"{_str(detail.get('displayName'))} on {name}".strip())
    return _Details(
        heading=f"{state} Problem {_str(problem.get('displayId'))} in environment {environment}",
        timeline=_timeline(problem),
        impacted_heading=f"{count} impacted {'entity' if count == 1 else 'entities'}",
        impacted=[f"{type_label(t)} {n}".strip() for t, n, _ in entities],
        root_causes=causes,
        url=url,
    )


def details_text(d: _Details) -> str:
    """The layout of real `{ProblemDetailsText}` bodies: state line, time line,
    a blank line, the impacted entities, the root cause, the link."""
    lines = [d.heading, d.timeline, "", d.impacted_heading, *d.impacted, ""]
    lines.append("Root cause:")
    lines.extend(d.root_causes or ["No root cause found"])
    lines.extend(["", d.url])
    return "\n".join(lines)


def details_html(d: _Details) -> str:
    esc = html.escape
    items = "".join(f"<li>{esc(i)}</li>" for i in d.impacted)
    causes = "".join(f"<li>{esc(c)}</li>" for c in d.root_causes or ["No root cause found"])
    return (
        f"<h1>{esc(d.heading)}</h1><p>{esc(d.timeline)}</p>"
        f"<h2>{esc(d.impacted_heading)}</h2><ul>{items}</ul>"
        f"<h2>Root cause</h2><ul>{causes}</ul>"
        f'<p><a href="{esc(d.url)}">Open the problem in Dynatrace</a></p>'
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _md(text: str) -> str:
    """Escape what would change inline Markdown (emphasis, code, links, HTML);
    headings and lists only start lines, which ldkit writes itself."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def details_markdown(d: _Details) -> str:
    lines = [f"# {_md(d.heading)}", "", _md(d.timeline), "", f"## {_md(d.impacted_heading)}", ""]
    lines.extend(f"- {_md(i)}" for i in d.impacted)
    lines.extend(["", "## Root cause", ""])
    lines.extend(f"- {_md(c)}" for c in d.root_causes or ["No root cause found"])
    lines.extend(["", f"[Open the problem in Dynatrace]({d.url})"])
    return "\n".join(lines)


# --- the sample ------------------------------------------------------------------


def state_of(sample: dict) -> str:
    """`{State}`: explicit, else from the v2 status (a closed problem is sent as
    RESOLVED, never CLOSED)."""
    state = _dict(sample.get("notification")).get("state")
    if isinstance(state, str):
        return state
    return "RESOLVED" if _dict(sample.get("problem")).get("status") == "CLOSED" else "OPEN"


def problem_url(sample: dict) -> str:
    explicit = _dict(sample.get("notification")).get("problemUrl")
    if isinstance(explicit, str):
        return explicit
    base = _str(_dict(sample.get("environment")).get("url")).rstrip("/")
    pid = _str(_dict(sample.get("problem")).get("problemId"))
    return f"{base}/#problems/problemdetails;pid={pid}"


def impacted_entity(problem: dict) -> str:
    title = _str(problem.get("title"))
    entities = [_entity(e) for e in _list(problem.get("impactedEntities"))]
    if len(entities) == 1:
        kind, name, _ = entities[0]
        return f"{title} on {type_label(kind)} {name}"
    if entities:
        return f"{title} on {len(entities)} impacted entities"
    return title


def from_sample(sample: object) -> Values:
    sample = _dict(sample)
    problem = _dict(sample.get("problem"))
    notification = _dict(sample.get("notification"))
    environment = _dict(sample.get("environment"))

    def explicit(key: str, default: str) -> str:
        value = notification.get(key)
        return value if isinstance(value, str) else default

    state = state_of(sample)
    url = problem_url(sample)
    names = ", ".join(_entity(e)[1] for e in _list(problem.get("impactedEntities")))
    env_name = _str(environment.get("name")) or _str(environment.get("url"))
    details = _details(problem, state, env_name, url)
    tags = _tags(problem)
    text = {
        "State": state,
        "ProblemID": _str(problem.get("displayId")),
        "PID": _str(problem.get("problemId")),
        "ProblemTitle": _str(problem.get("title")),
        "ProblemURL": url,
        "ProblemSeverity": _str(problem.get("severityLevel")),
        "ProblemImpact": explicit("problemImpact", impact_v1(_str(problem.get("impactLevel")))),
        "ImpactedEntity": explicit("impactedEntity", impacted_entity(problem)),
        "ImpactedEntityNames": explicit("impactedEntityNames", names),
        "NamesOfImpactedEntities": explicit("namesOfImpactedEntities", names),
        "Tags": ", ".join(t.text for t in tags),
        "ProblemDetailsText": explicit("problemDetailsText", details_text(details)),
        "ProblemDetailsHTML": explicit("problemDetailsHTML", details_html(details)),
        "ProblemDetailsMarkdown": explicit("problemDetailsMarkdown", details_markdown(details)),
    }
    v1 = notification.get("problemDetailsJSON")
    entities = [
        {"type": t, "name": n, "entity": i}
        for t, n, i in (_entity(e) for e in _list(problem.get("impactedEntities")))
    ]
    json_values = {
        "ImpactedEntities": compact(entities),
        "ProblemDetailsJSON": compact(v1 if isinstance(v1, dict) else problem_v1(problem)),
        "ProblemDetailsJSONv2": compact(problem_v2(problem)),
    }
    return Values(text, json_values, tags)


# --- Dynatrace's "Send test notification" ----------------------------------------

_TEST_ENTITIES = [
    {"type": "HOST", "name": "MyHost1", "entity": "HOST-XXXXXXXXXXXXX"},
    {"type": "SERVICE", "name": "MyService1", "entity": "SERVICE-XXXXXXXXXXXXX"},
]

# Values with no public source at all; ldkit's stand-ins, flagged when used.
_TEST_STAND_INS = {
    "ProblemSeverity": "ERROR",
    "ProblemDetailsMarkdown": "# Dynatrace problem notification test run details",
    "ImpactedEntityNames": "MyHost1, MyService1",
    "NamesOfImpactedEntities": "MyHost1, MyService1",
    "ProblemDetailsJSONv2": compact(
        {"problemId": "99999", "displayId": "999", "title": TEST_TITLE}
    ),
}


def test_run() -> Values:
    """The values of a "Send test notification" run, as Dynatrace documents them.

    `{ProblemURL}` (https://example.com) and `{ProblemDetailsText}` are not in the
    documentation but are what public captures of test runs show. `{ProblemDetailsJSON}`
    is the documented text verbatim, spaces around the colon included.
    """
    text = {
        "State": "OPEN",
        "ProblemID": "999",
        "PID": "99999",
        "ProblemTitle": TEST_TITLE,
        "ProblemURL": "https://example.com",
        "ProblemImpact": "INFRASTRUCTURE",
        "ImpactedEntity": "MyHost1, MyService1",
        "Tags": "testtag1, testtag2",
        "ProblemDetailsText": "Dynatrace problem notification test run details",
        "ProblemDetailsHTML": "<h1>Dynatrace problem notification test run details</h1>",
    }
    json_values = {
        "ImpactedEntities": compact(_TEST_ENTITIES),
        "ProblemDetailsJSON": '{"ID" : "99999"}',
    }
    for name, value in _TEST_STAND_INS.items():
        if name == "ProblemDetailsJSONv2":
            json_values[name] = value
        else:
            text[name] = value
    tags = [Tag("testtag1", None, "testtag1"), Tag("testtag2", None, "testtag2")]
    return Values(text, json_values, tags, undocumented=dict(_TEST_STAND_INS))
