"""The page at `/`: flags per environment, triggers with their counts and last
call, each flag's state over time with the calls that moved it (SVG, from
`ldkit.serve.timeline`), the change history and the recent calls with their
outcomes, as HTML.

Everything is rendered here, on the server, from the store: text through
`html.escape`, change-history descriptions through the safe Markdown subset
(`ldkit.serve.markdown`). The browser only swaps in a fresh copy of the
`<main>` fragment when the state changes (`static/page.js`), and the page's
Content-Security-Policy allows no inline script at all, so nothing a webhook
body carries can run. Trigger secrets are never in the store in the clear, so
they cannot reach the page.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from ldkit.fs import read_bytes
from ldkit.serve import store
from ldkit.serve.markdown import render as render_markdown
from ldkit.serve.store import AuditRow, AuditScope, FlagState, RecentBody, TriggerRow
from ldkit.serve.timeline import EVENTS_SHOWN, events_for, render_svg

HISTORY_SHOWN = 50
TIMELINES_SHOWN = 20
BODY_CHARS_SHOWN = 4000
POLL_MILLISECONDS = 1000

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


_STATIC = Path(__file__).resolve().parent / "static"


def static_file(name: str) -> bytes:
    """One of the page's own files (`static/`), read through `ldkit.fs`."""
    return read_bytes(_STATIC / name, root=_STATIC)


def when(millis: int | None) -> str:
    if millis is None:
        return "never"
    moment = datetime.fromtimestamp(millis / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{millis % 1000:03d} UTC"


def _state_badge(on: bool) -> str:
    return '<span class="state on">on</span>' if on else '<span class="state off">off</span>'


def _flags(flags: list[FlagState]) -> str:
    if not flags:
        return '<p class="empty">No flags yet: create a trigger.</p>'
    rows = "".join(
        f"<tr><td>{escape(f.project)}</td><td>{escape(f.flag)}</td>"
        f"<td>{escape(f.environment)}</td><td>{_state_badge(f.on)}</td>"
        f"<td>{escape(when(f.last_modified))}</td></tr>"
        for f in flags
    )
    return (
        '<table class="flags"><thead><tr><th>Project</th><th>Flag</th><th>Environment</th>'
        f"<th>State</th><th>Last change</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _action(action: str) -> str:
    return "turn on" if action == "turnFlagOn" else "turn off"


def _triggers(triggers: list[TriggerRow]) -> str:
    if not triggers:
        return '<p class="empty">No triggers yet.</p>'
    rows = "".join(
        f'<tr data-trigger="{escape(t.id)}"><td>{escape(t.integration_key)}</td>'
        f"<td>{escape(t.project)} / {escape(t.flag)}</td><td>{escape(t.environment)}</td>"
        f"<td>{_action(t.action)}</td><td>{'enabled' if t.enabled else 'disabled'}</td>"
        f'<td class="count">{t.trigger_count}</td><td>{escape(when(t.last_triggered))}</td>'
        f"<td><code>{escape(t.id)}</code></td></tr>"
        for t in triggers
    )
    return (
        '<table class="triggers"><thead><tr><th>Integration</th><th>Flag</th>'
        "<th>Environment</th><th>Action</th><th>Status</th><th>Calls</th><th>Last call</th>"
        f"<th>Id</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _history(entries: list[AuditRow]) -> str:
    if not entries:
        return '<p class="empty">No changes yet.</p>'
    items = "".join(
        f'<li class="entry"><time>{escape(when(e.date))}</time>'
        f'<div class="title">{escape(e.title)}</div>'
        f'<div class="description">{render_markdown(e.description)}</div></li>'
        for e in entries
    )
    return f'<ol class="history">{items}</ol>'


def _pretty(value: object) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    if len(text) > BODY_CHARS_SHOWN:
        text = text[:BODY_CHARS_SHOWN] + f"\n… ({len(text) - BODY_CHARS_SHOWN} more characters)"
    return text


def _headers(headers: list[list[str]]) -> str:
    rows = "".join(
        f"<tr><th>{escape(name)}</th><td>{escape(value)}</td></tr>" for name, value in headers
    )
    return f'<table class="headers">{rows}</table>'


def _recent(triggers: list[TriggerRow], bodies: dict[str, list[RecentBody]]) -> str:
    blocks = []
    for t in triggers:
        recent = bodies.get(t.id, [])
        if not recent:
            continue
        calls = "".join(
            f"<li><time>{escape(when(b.timestamp))}</time>{_outcome(b)}"
            f'<pre class="body">{escape(_pretty(b.json_body))}</pre>'
            f"<details><summary>Request headers</summary>{_headers(b.headers)}</details></li>"
            for b in recent
        )
        blocks.append(
            f'<section class="recent" data-trigger="{escape(t.id)}"><h3>{escape(t.integration_key)}'
            f" → {escape(t.flag)} in {escape(t.environment)}</h3><ol>{calls}</ol></section>"
        )
    return "".join(blocks) or '<p class="empty">No calls yet.</p>'


def _outcome(body: RecentBody) -> str:
    """The call's outcome as the trigger core gave it, and the flag after."""
    if body.outcome is None:
        return '<span class="outcome unknown">outcome not recorded</span>'
    after = "" if body.flag_on is None else f" (flag {'on' if body.flag_on else 'off'})"
    return (
        f'<span class="outcome {escape(body.outcome, quote=True)}">'
        f"{escape(body.outcome)}{after}</span>"
    )


_LEGEND = (
    '<ul class="legend"><li><span class="key call applied"></span>a call that moved the flag'
    '</li><li><span class="key call no-change"></span>a call that changed nothing</li>'
    '<li><span class="key call test-event"></span>a test event</li>'
    '<li><span class="key change"></span>a change not made by a kept call (API, older call)'
    "</li></ul>"
)


def _timelines(
    conn: sqlite3.Connection,
    flags: list[FlagState],
    triggers: list[TriggerRow],
    bodies: dict[str, list[RecentBody]],
) -> str:
    """Each flag and environment a trigger acts on: its state over time."""
    figures = []
    for flag in flags:
        own = [
            t
            for t in triggers
            if (t.project, t.flag, t.environment) == (flag.project, flag.flag, flag.environment)
        ]
        if not own:
            continue
        if len(figures) == TIMELINES_SHOWN:
            break
        scope = AuditScope(flag.project, flag.environment, flag.flag)
        entries = store.list_audit(conn, EVENTS_SHOWN, scope=scope)
        events = events_for(own, bodies, entries)
        title = f"{flag.project} / {flag.flag} in {flag.environment}"
        figures.append(
            f'<figure class="flag-timeline" data-flag="{escape(flag.flag, quote=True)}" '
            f'data-environment="{escape(flag.environment, quote=True)}">'
            f"<figcaption>{escape(title)}: now {_state_badge(flag.on)}</figcaption>"
            f"{render_svg(events, flag.on, title, when)}</figure>"
        )
    if not figures:
        return '<p class="empty">No triggers yet.</p>'
    return _LEGEND + "".join(figures)


def render_fragment(conn: sqlite3.Connection) -> str:
    """The live part of the page, read in one snapshot."""
    conn.execute("BEGIN")
    try:
        flags = store.list_flags(conn)
        triggers = store.list_triggers(conn)
        history = store.list_audit(conn, HISTORY_SHOWN)
        bodies = {t.id: store.recent_bodies(conn, t.id) for t in triggers}
        timelines = _timelines(conn, flags, triggers, bodies)
    finally:
        conn.execute("COMMIT")
    return (
        f"<section><h2>Flags</h2>{_flags(flags)}</section>"
        f"<section><h2>Triggers</h2>{_triggers(triggers)}</section>"
        f'<section class="timelines"><h2>Flags over time</h2>{timelines}</section>'
        f'<section><h2>Change history</h2><div id="history">{_history(history)}</div></section>'
        f"<section><h2>Recent calls</h2>{_recent(triggers, bodies)}</section>"
    )


def render_page(fragment: str, etag: str, root: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>ldkit serve</title>"
        '<link rel="stylesheet" href="/static/page.css">'
        '<script src="/static/page.js" defer></script></head><body>'
        f'<header><h1>ldkit serve</h1><p class="root">{escape(root)}</p>'
        '<p id="live" class="live">live</p></header>'
        f'<main id="state" data-etag="{escape(etag, quote=True)}" '
        f'data-poll="{POLL_MILLISECONDS}">{fragment}</main></body></html>'
    )
