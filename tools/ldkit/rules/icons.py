"""Icon files and what upstream's existence check misses.

Upstream only asks `existsSync(integrations/<key>/<path>)`: a directory, an
empty file, a PNG renamed to .svg or a path into another integration all pass.
The existence check is an error; the rest are warnings. A file that starts like
an SVG document but is not well-formed XML, or lacks the SVG namespace, is
reported in the icon itself, at the text to fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ldkit.core.findings import Finding, Severity
from ldkit.fs import FileRefused, exists, inside, read_bytes
from ldkit.integration import manifest_file
from ldkit.rules._support import dig, pointer_of
from ldkit.rules.base import Rule, RuleContext

ICON_KINDS = ("square", "horizontal")
# An SVG document has an <svg> root, possibly after an XML declaration, a
# doctype or comments; looking at the first few kilobytes is enough.
_SVG_ROOT = re.compile(rb"<svg[\s>/]", re.IGNORECASE)
_SNIFF_BYTES = 8192


def _icons(ctx: RuleContext) -> Iterator[tuple[str, str, str]]:
    """(kind, path, pointer) for every icon given as a string."""
    for kind in ICON_KINDS:
        value = dig(ctx.manifest, "icons", kind)
        if isinstance(value, str):
            yield kind, value, pointer_of("icons", kind)


class IconMissing(Rule):
    id = "LD200"
    severity = Severity.ERROR
    title = "Icon file does not exist"
    upstream = True
    explanation = (
        "`icons.square` and `icons.horizontal` are paths relative to the integration folder "
        "(`integrations/<key>/`). LaunchDarkly's tests fail when either file does not exist. "
        "Commit the SVG files and check the spelling and case of the paths."
    )
    bad_example = '"icons": {"square": "assets/square.svg", "horizontal": "assets/horiz.svg"}'
    good_example = (
        '"icons": {"square": "assets/images/square.svg", '
        '"horizontal": "assets/images/horizontal.svg"}   // both files committed'
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for kind, path, pointer in _icons(ctx):
            if not exists(manifest_file(ctx.integration_dir, path)):
                yield self.finding(
                    ctx,
                    pointer,
                    f"{kind} icon {path!r} does not exist in {ctx.integration_dir.name}/; "
                    "add the SVG file or fix the path (relative to the integration folder)",
                )


class IconOutsideIntegration(Rule):
    id = "LD201"
    severity = Severity.WARNING
    title = "Icon path points outside the integration folder"
    explanation = (
        "Icon paths are resolved against `integrations/<key>/`. A path such as "
        "`../other/assets/icon.svg` passes LaunchDarkly's tests while the other integration "
        "exists, but ties this integration to a folder it does not own. Keep the icons inside "
        "the integration folder."
    )
    bad_example = '"icons": {"square": "../sample-integration/assets/images/square.svg", ...}'
    good_example = '"icons": {"square": "assets/images/square.svg", ...}'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        root = ctx.integration_dir
        for kind, path, pointer in _icons(ctx):
            if not inside(manifest_file(root, path), root):
                yield self.finding(
                    ctx,
                    pointer,
                    f"{kind} icon {path!r} is outside the integration folder; copy the file "
                    "into it (for example assets/images/) and point there",
                )


class IconNotSvg(Rule):
    id = "LD202"
    severity = Severity.WARNING
    title = "Icon file is empty or not an SVG document"
    explanation = (
        "LaunchDarkly's tests only check that the icon path exists, so an empty file, a folder "
        "or a PNG renamed to `.svg` is accepted and then shows a broken image. The file should "
        "be an SVG document: well-formed XML with an `<svg>` root element in the SVG namespace "
        '(without `xmlns="http://www.w3.org/2000/svg"`, an `<img>` shows nothing).'
    )
    bad_example = "assets/images/square.svg holding PNG bytes, or 0 bytes"
    good_example = 'assets/images/square.svg: <svg xmlns="http://www.w3.org/2000/svg" ...>...</svg>'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for kind, path, pointer in _icons(ctx):
            file = manifest_file(ctx.integration_dir, path)
            data, problem = _svg_problem(file, ctx.integration_dir)
            if problem:
                yield self.finding(
                    ctx,
                    pointer,
                    f"{kind} icon {path!r} {problem}; save the icon as an SVG document",
                )
                continue
            flaw = _svg_flaw(data) if data is not None else None
            if flaw is not None:
                line, column, message = flaw
                yield Finding(ctx.path_of(path), line, column, self.id, self.severity, message, "")


SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def _svg_flaw(data: bytes) -> tuple[int, int, str] | None:
    """(line, column, message) of what breaks an SVG document that starts like
    one (`data`, the icon's bytes): XML that does not parse (browsers show a
    broken image), or a root without the SVG namespace (an `<img>` then shows
    nothing). Positioned in the icon, the file to edit. A document type with
    entity declarations is not expanded (an entity bomb would cost unbounded
    memory)."""
    from xml.parsers import expat

    if b"<!ENTITY" in data:
        return None
    parser = expat.ParserCreate()
    seen: list[tuple[int, int, str, str | None]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if not seen:
            where = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            seen.append((*where, name, attributes.get("xmlns")))

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return (
            error.lineno,
            error.offset + 1,
            f"the icon is not well-formed XML ({expat.ErrorString(error.code)}), so browsers "
            "show a broken image; fix the SVG here",
        )
    if seen and seen[0][2] == "svg" and seen[0][3] != SVG_NAMESPACE:
        line, column, _, namespace = seen[0]
        found = "no xmlns" if namespace is None else f"xmlns={namespace!r}"
        return (
            line,
            column,
            f'the <svg> root has {found}; without xmlns="{SVG_NAMESPACE}" a browser shows '
            "the icon as a broken image (LaunchDarkly displays it with <img>)",
        )
    return None


def _svg_problem(path: Path, root: Path) -> tuple[bytes | None, str | None]:
    """The icon's bytes when it starts like an SVG document, else why `path` is
    not a usable SVG file (neither when it is missing: that is LD200's finding).
    Read once: `_svg_flaw` looks further into the same bytes."""
    if not exists(path) or not inside(path, root):
        return None, None  # missing (LD200) or outside the integration (LD201, never read)
    if os.path.isdir(path):
        return None, "is a folder, not a file"
    try:
        data = read_bytes(path, root=root)
    except FileRefused as refused:
        return None, f"cannot be read ({refused.reason})"
    head = data[:_SNIFF_BYTES]
    if not head.strip():
        return None, "is empty"
    if not _SVG_ROOT.search(head):
        return None, "is not an SVG document (no <svg> element at its start)"
    return data, None
