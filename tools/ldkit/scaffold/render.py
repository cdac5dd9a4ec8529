"""Render a new integration folder from the Jinja2 templates shipped in this package.

Every value that lands in a JSON file goes through the `json` filter (a JSON
encoder, not string pasting), so a name with quotes, backslashes or non-ASCII
text still gives valid JSON; SVG text goes through the `xml` filter. Files are
written into `<key>/` inside a hidden temporary folder next to the target
(`.ldkit-new-*`, which discovery skips), finished there (expected replay
results), and renamed into place at the end, so a failure or a kill never
leaves half an integration where `validate` or `replay` would find it.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from ldkit.fs import read_text
from ldkit.scaffold.answers import Answers

TEMPLATES = Path(__file__).resolve().parent / "templates"

TEST_EVENT_NAME = "Test notification"
TEST_EVENT_REGEXP = "^Test notification$"

# (template, output path, only when this capability is chosen)
FILES: tuple[tuple[str, str, str | None], ...] = (
    ("manifest.json.j2", "manifest.json", None),
    ("README.md.j2", "README.md", None),
    ("LICENSE.md.j2", "LICENSE.md", None),  # unless answers.license is False
    ("assets/square.svg.j2", "assets/images/square.svg", None),
    ("assets/horizontal.svg.j2", "assets/images/horizontal.svg", None),
    ("templates/flag.json.hbs", "templates/flag.json.hbs", "auditLogEventsHook"),
    ("replays/test-event.case.json.j2", "replays/test-event.case.json", "trigger"),
    ("replays/example-event.case.json.j2", "replays/example-event.case.json", "trigger"),
)

_PALETTE = ("#3b5bdb", "#0c8599", "#2f9e44", "#e8590c", "#ae3ec9", "#c2255c", "#1971c2")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _xml(value: str) -> str:
    """Escaped for both element text and a double-quoted attribute."""
    return escape(value, {'"': "&quot;", "'": "&apos;"})


def _initials(name: str) -> str:
    letters = [word[0] for word in name.split() if word[:1].isalnum()]
    return ("".join(letters[:2]) or name[:1]).upper()


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["json"] = _json
    env.filters["xml"] = _xml
    return env


LICENSE_FILE = "LICENSE.md"


def planned_files(answers: Answers) -> list[tuple[str, str]]:
    return [
        (template, output)
        for template, output, capability in FILES
        if (capability is None or capability in answers.capabilities)
        and (answers.license or output != LICENSE_FILE)
    ]


def render_files(answers: Answers) -> dict[str, str]:
    """Output path (relative to the integration folder) -> file text."""
    env = _environment()
    digest = hashlib.sha256(answers.key.encode("utf-8")).digest()
    context = {
        "a": answers,
        "year": datetime.date.today().year,
        "colour": _PALETTE[digest[0] % len(_PALETTE)],
        "initials": _initials(answers.name),
        "test_event_name": TEST_EVENT_NAME,
        "test_event_regexp": TEST_EVENT_REGEXP,
    }
    files: dict[str, str] = {}
    for template, output in planned_files(answers):
        if template.endswith(".j2"):
            files[output] = env.get_template(template).render(context)
        else:
            files[output] = read_text(TEMPLATES / template, root=TEMPLATES, errors="strict")
    return files


def write_integration(
    answers: Answers, target: Path, finish: Callable[[Path], None] | None = None, *, root: Path
) -> list[Path]:
    """Create `target` with the rendered files; refuses to touch an existing path,
    and a `target` outside the repository folder `root` (an `integrations/`
    that is a link out of the repository).

    `finish` runs on the staged folder (named like the target) before it moves
    into place. OSError propagates for the command to report.
    """
    from ldkit.fs import (
        exists,
        make_folders,
        move_into_place,
        new_folder_beside,
        remove_tree,
        write_text,
    )

    files = render_files(answers)
    staging = new_folder_beside(target, root=root, prefix=".ldkit-new-")
    try:
        work = staging / target.name
        for relative, text in files.items():
            path = work / relative
            make_folders(path.parent, root=staging)
            write_text(path, text, root=staging)
        if finish is not None:
            finish(work)
        if exists(target):  # created by someone else meanwhile
            raise FileExistsError(errno.EEXIST, "created while ldkit new was writing", str(target))
        move_into_place(work, target, root=root)
    finally:
        remove_tree(staging, root=root)
    return [target / relative for relative in files]
