"""The check stage: one checker interface, and the file kinds registered with it.

Every file `ldkit validate` reads is loaded with positions (`ldkit.load`), then
handed to the checker of its kind: a `Checker` takes the loaded document and
the run's shared `Workspace` and returns findings. A new file kind adds one
module here with a `check` function and one `FileKind` to `KINDS`; discovery
of the files themselves is `ldkit.integration`'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.checks import davis_sample, formatted, manifest, problem_sample, replay_case
from ldkit.core.findings import FileResult, Finding, Report, in_order
from ldkit.fs import USER_NAMED, Root
from ldkit.integration import CASE_SUFFIX, DAVIS_SUFFIX, PROBLEM_SUFFIX, InputError, discover
from ldkit.load.jsonpos import Document, load_path
from ldkit.rules.base import Workspace

if TYPE_CHECKING:
    from ldkit.schema.judge import SchemaChoice

Checker = Callable[[Document, Workspace], list[Finding]]


def _alone(check: Callable[[Document], list[Finding]]) -> Checker:
    """The checker of a file kind that needs nothing from the rest of the run."""
    return lambda document, _workspace: check(document)


@dataclass(frozen=True)
class FileKind:
    """A kind of file: how its name ends, and the checker that reads it."""

    name: str
    suffix: str
    check: Checker


#: Every file kind, most specific name first; a JSON file that matches none is
#: checked as a manifest.
KINDS: tuple[FileKind, ...] = (
    FileKind("replay-case", CASE_SUFFIX, _alone(replay_case.check)),
    FileKind("dynatrace-problem", PROBLEM_SUFFIX, _alone(problem_sample.check)),
    FileKind("davis-problem", DAVIS_SUFFIX, _alone(davis_sample.check)),
)
MANIFEST_KIND = FileKind("manifest", ".json", manifest.check)


def kind_of(path: Path) -> FileKind:
    return next((kind for kind in KINDS if path.name.endswith(kind.suffix)), MANIFEST_KIND)


def validate_file(path: Path, workspace: Workspace, root: Root = USER_NAMED) -> FileResult:
    """Load and check one file; `root` is where it may lie (`USER_NAMED` for
    a file named on the command line, else the folder it was found in)."""
    from ldkit.fs import FileRefused

    display = str(path)
    try:
        loaded = load_path(display, root=root)
    except FileRefused as refused:
        raise InputError(f"{display}: {refused.reason}") from None
    findings = list(loaded.findings)
    if loaded.ok:
        findings.extend(kind_of(path).check(loaded.document, workspace))
        unformatted = formatted.unformatted(loaded.document)
        if unformatted is not None:
            findings.append(unformatted)
    return FileResult(
        display, in_order(findings), loaded.document.text, _other_sources(display, findings, root)
    )


def _other_sources(display: str, findings: list[Finding], root: Root) -> dict[str, str]:
    """The text of every other file a finding lives in (a template, a replay
    case), so that reporters can quote the line there."""
    from ldkit.fs import FileRefused, read_text

    sources: dict[str, str] = {}
    for finding in findings:
        if finding.path != display and finding.path not in sources:
            try:
                sources[finding.path] = read_text(finding.path, root=root)
            except FileRefused:
                continue
    return sources


def validate_paths(paths: Iterable[str], schemas: SchemaChoice | None = None) -> Report:
    """`ldkit validate PATH...`: discover, load and check every file. `schemas`
    picks the manifest schema (default: a checkout's own, else the bundled one)."""
    named = list(paths)
    workspace = Workspace(schemas)
    return Report(
        [validate_file(path, workspace, _root_of(path, named)) for path in discover(named)]
    )


def _root_of(path: Path, named: list[str]) -> Root:
    """Where a file `discover` returned may lie: anywhere when the user named
    it, else inside the folder the user named that it was found in (or its
    own integration folder, for the manifest a named template stands for). A
    manifest, case or integration folder that a pull request commits as a link
    out of that folder is refused, never read and printed."""
    if any(Path(raw) == path for raw in named):
        return USER_NAMED
    for raw in named or ["."]:
        folder = Path(raw).parts
        if path.parts[: len(folder)] == folder:
            return raw
    return path.parent
