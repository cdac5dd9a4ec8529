"""What `ldkit doctor` reads: the flag's state, its triggers and its change
history through the REST API, and the integrations' manifests from disk.

Every count is bounded (pages of the change history, detailed entries,
calls per trigger), and an integration key the API returns is used as a
folder name only when it is a plain name, so a hostile answer cannot make
doctor read outside `integrations/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ldkit.doctor.explain import LoadedManifest, ManifestLookup, toggle_from_entry
from ldkit.doctor.rest import ApiProblem, NotFoundAnswer, RestReader, segment

AUDIT_PAGE = 20
AUDIT_PAGES = 5
DETAILED_ENTRIES = 40
AUDIT_PATH = "/api/v2/auditlog"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")


@dataclass
class Gathered:
    flag_on: bool
    triggers: list[dict]
    entries: list[dict]
    history_complete: bool


def _items(document: object, what: str) -> list[dict]:
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ApiProblem(f"the {what} answer has no items list")
    return [item for item in items if isinstance(item, dict)]


def flag_state(reader: RestReader, project: str, flag: str, environment: str) -> bool:
    path = f"/api/v2/flags/{segment(project)}/{segment(flag)}"
    try:
        document = reader.get(path, {"env": environment})
    except NotFoundAnswer:
        raise ApiProblem(f"no flag {flag!r} in project {project!r} at {reader.base}") from None
    environments = document.get("environments") if isinstance(document, dict) else None
    config = environments.get(environment) if isinstance(environments, dict) else None
    if not isinstance(config, dict) or not isinstance(config.get("on"), bool):
        everywhere = reader.get(path)
        environments = everywhere.get("environments") if isinstance(everywhere, dict) else None
        have = ", ".join(sorted(environments)[:20]) if isinstance(environments, dict) else ""
        raise ApiProblem(
            f"flag {flag!r} has no environment {environment!r} at {reader.base}"
            + (f" (it has: {have})" if have else "")
        )
    return config["on"]


def triggers(reader: RestReader, project: str, flag: str, environment: str) -> list[dict]:
    path = f"/api/v2/flags/{segment(project)}/{segment(flag)}/triggers/{segment(environment)}"
    return _items(reader.get(path), "triggers")


def change_history(
    reader: RestReader, project: str, flag: str, environment: str
) -> tuple[list[dict], bool]:
    """The flag's entries in this environment, newest first, and whether
    they are all of them (no further page was left unread). Entries that
    turned the flag on or off are read in detail for their `triggerBody`."""
    spec = f"proj/{project}:env/{environment}:flag/{flag}"
    entries: list[dict] = []
    path, params = AUDIT_PATH, {"spec": spec, "limit": AUDIT_PAGE}
    complete = False
    for _ in range(AUDIT_PAGES):
        document = reader.get(path, params)
        entries.extend(_items(document, "audit log"))
        links = document.get("_links") if isinstance(document, dict) else None
        following = links.get("next") if isinstance(links, dict) else None
        href = following.get("href") if isinstance(following, dict) else None
        if not isinstance(href, str) or not href:
            complete = True
            break
        if not href.startswith(AUDIT_PATH + "?"):
            break  # a next page elsewhere is not followed: the token stays here
        path, params = href, None
    detailed = []
    for entry in entries:
        if len(detailed) < DETAILED_ENTRIES and toggle_from_entry(entry) is not None:
            try:
                full = reader.get(f"{AUDIT_PATH}/{segment(str(entry['_id']))}")
            except NotFoundAnswer:
                full = entry
            detailed.append(full if isinstance(full, dict) else entry)
        else:
            detailed.append(entry)
    return detailed, complete


def gather(reader: RestReader, project: str, flag: str, environment: str) -> Gathered:
    on = flag_state(reader, project, flag, environment)
    found = triggers(reader, project, flag, environment)
    entries, complete = change_history(reader, project, flag, environment)
    return Gathered(on, found, entries, complete)


def manifest_lookup(integration: Path | None, root: Path) -> ManifestLookup:
    """`--integration DIR` for every trigger, else `ROOT/integrations/<key>`."""
    from ldkit.trigger.loading import ManifestUnreadable, ManifestUnusable, load_trigger_manifest

    def load(target: Path) -> LoadedManifest | str:
        try:
            loaded = load_trigger_manifest(target)
        except ManifestUnreadable as exc:
            return str(exc)
        except ManifestUnusable as exc:
            return f"{target}: {exc}"
        return LoadedManifest(loaded.key, loaded.manifest, loaded.spec, str(loaded.path))

    if integration is not None:
        given = load(integration)
        return lambda key: given

    cache: dict[str, LoadedManifest | str] = {}

    def lookup(key: str) -> LoadedManifest | str:
        if key not in cache:
            if not _PLAIN_KEY.match(key) or key in (".", ".."):
                cache[key] = f"the integration key {key[:60]!r} is not a folder name"
            else:
                folder = root / "integrations" / key
                cache[key] = (
                    load(folder)
                    if (folder / "manifest.json").is_file()
                    else f"no {folder}/manifest.json; pass --integration DIR"
                )
        return cache[key]

    return lookup
