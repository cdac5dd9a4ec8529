"""Icon files and what upstream's existence check misses.

Upstream only asks `existsSync(integrations/<key>/<path>)`: a directory, an
empty file, a PNG renamed to .svg or a path into another integration all pass.
The existence check is an error; the rest are warnings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ldkit.core.findings import Finding, Severity
from ldkit.integration import manifest_file
from ldkit.load.files import FileRefused, exists, inside, read_bytes
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
        "be an SVG document (an `<svg>` root element)."
    )
    bad_example = "assets/images/square.svg holding PNG bytes, or 0 bytes"
    good_example = 'assets/images/square.svg: <svg xmlns="http://www.w3.org/2000/svg" ...>...</svg>'

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for kind, path, pointer in _icons(ctx):
            problem = _svg_problem(manifest_file(ctx.integration_dir, path), ctx.integration_dir)
            if problem:
                yield self.finding(
                    ctx,
                    pointer,
                    f"{kind} icon {path!r} {problem}; save the icon as an SVG document",
                )


def _svg_problem(path: Path, root: Path) -> str | None:
    """Why `path` is not a usable SVG file, or None (also None when it is missing:
    that is LD200's finding)."""
    if not exists(path) or not inside(path, root):
        return None  # missing (LD200) or outside the integration (LD201, never read)
    if os.path.isdir(path):
        return "is a folder, not a file"
    try:
        head = read_bytes(path, root=root)[:_SNIFF_BYTES]
    except FileRefused as refused:
        return f"cannot be read ({refused.reason})"
    if not head.strip():
        return "is empty"
    if not _SVG_ROOT.search(head):
        return "is not an SVG document (no <svg> element at its start)"
    return None
