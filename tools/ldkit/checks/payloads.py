"""Render an integration's Dynatrace payload templates during `ldkit validate`.

A custom payload is pasted into Dynatrace, which renders it for every problem;
a template that breaks for one of them sends LaunchDarkly a body the trigger
cannot read. So validate renders every template in `payloads/*.json` with the
values of Dynatrace's "Send test notification" run and with each problem sample
in `samples/`, and every template a replay case names with that case's inputs.
Findings (LD600–LD609, from the renderer) are positioned in the template: the
file to edit. One finding per place and rule, whichever input showed it first,
named in the message so that `ldkit render` reproduces it. Errors are reported
whichever input shows them; warnings only when every input does (the others
depend on the sample and are `ldkit render`'s to show).

A replay case that replays a deliberately broken payload lists the findings it
is about in `request.dynatrace.expectFindings`; those are not reported for its
template.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ldkit.core.findings import Finding, Severity
from ldkit.integration import PAYLOADS, PROBLEM_SUFFIX, SAMPLES, case_paths

if TYPE_CHECKING:
    from ldkit.fs import Reads


@dataclass(frozen=True)
class _Render:
    """One template to render with one set of inputs."""

    template: Path
    problem: Path | None  # None: the test notification
    content_type: str | None
    expected: frozenset[str]

    @property
    def inputs(self) -> str:
        return "the test notification" if self.problem is None else self.problem.name


def _json_object(path: Path, root: Path, reads: Reads) -> dict | None:
    """The JSON object in `path`, a regular file inside `root` (see
    `ldkit.fs`), or None."""
    from ldkit.fs import FileRefused, read_text
    from ldkit.load.plain import parse_json

    try:
        value = parse_json(read_text(path, root=root, reads=reads))
    except (FileRefused, ValueError):
        return None  # the sample's own check reports it
    return value if isinstance(value, dict) else None


def _case_renders(folder: Path, reads: Reads) -> list[_Render]:
    renders: list[_Render] = []
    for path in case_paths(folder):
        case = _json_object(path, folder, reads)
        request = case.get("request") if case else None
        spec = request.get("dynatrace") if isinstance(request, dict) else None
        if not isinstance(spec, dict) or not isinstance(spec.get("template"), str):
            continue
        template = path.parent / spec["template"]
        problem = spec.get("problem")
        test = spec.get("testNotification") is True
        problem_path = path.parent / problem if isinstance(problem, str) and not test else None
        if not _usable(template, folder) or (
            problem_path is not None and not _usable(problem_path, folder)
        ):
            continue  # LD512 reports the missing or refused file
        expected = spec.get("expectFindings")
        content_type = spec.get("contentType", request.get("contentType"))
        renders.append(
            _Render(
                template,
                problem_path,
                content_type if isinstance(content_type, str) else None,
                frozenset(e for e in expected if isinstance(e, str))
                if isinstance(expected, list)
                else frozenset(),
            )
        )
    return renders


def _usable(path: Path, folder: Path) -> bool:
    """A regular file inside the integration folder (never read otherwise)."""
    from ldkit.fs import inside, is_regular_file

    return is_regular_file(path) and inside(path, folder)


def planned_renders(folder: Path, reads: Reads) -> list[_Render]:
    payloads = sorted(p for p in (folder / PAYLOADS).glob("*.json") if _usable(p, folder))
    samples = sorted(
        p for p in (folder / SAMPLES).glob(f"**/*{PROBLEM_SUFFIX}") if _usable(p, folder)
    )
    renders = [
        _Render(template, problem, None, frozenset())
        for template in payloads
        for problem in (None, *samples)
    ]
    return renders + _case_renders(folder, reads)


def payload_findings(manifest_path: str, folder: Path, reads: Reads) -> list[Finding]:
    """Every payload-template finding of the integration in `folder`, with paths
    in the style of `manifest_path`; files through the run's `reads`."""
    renders = planned_renders(folder, reads)
    if not renders:
        return []
    from ldkit.dynatrace.render import (
        JSON_CONTENT_TYPE,
        RenderResult,
        TemplateError,
        read_template,
        render_payload,
    )

    base = Path(manifest_path).parent
    found: dict[tuple[str, int, int, str], Finding] = {}
    seen: Counter[tuple[str, int, int, str]] = Counter()
    runs: Counter[str] = Counter()
    # Each template and sample is read once per integration, however many
    # renders use it.
    templates: dict[Path, str | None] = {}
    displays: dict[Path, str] = {}
    problems: dict[Path, dict | None] = {}
    # A replay case that renders a payload template with a sample the grid
    # above renders it with too gives the same result: rendered once (and
    # counted for each, so the "every input shows it" tally is unchanged).
    results: dict[tuple[str, Path | None, str], RenderResult] = {}
    real_folder = folder.resolve()
    for item in renders:
        if item.template not in displays:
            relative = item.template.resolve().relative_to(real_folder).as_posix()
            displays[item.template] = str(base / relative)
        display = displays[item.template]
        if item.template not in templates:
            try:
                templates[item.template] = read_template(
                    str(item.template), root=str(folder), reads=reads
                )
            except TemplateError:
                templates[item.template] = None
        template = templates[item.template]
        if template is None:
            continue
        problem = None
        if item.problem is not None:
            if item.problem not in problems:
                problems[item.problem] = _json_object(item.problem, folder, reads)
            problem = problems[item.problem]
            if problem is None:
                continue
        content_type = item.content_type or JSON_CONTENT_TYPE
        same = (display, None if item.problem is None else item.problem.resolve(), content_type)
        if same not in results:
            results[same] = render_payload(
                template,
                problem,
                content_type=content_type,
                test_notification=item.problem is None,
                path=display,
                in_template=True,
            )
        result = results[same]
        runs[display] += 1
        for finding in _root_causes(result.findings):
            if finding.rule in item.expected:
                continue
            key = (finding.path, finding.line, finding.column, finding.rule)
            seen[key] += 1
            if key not in found:
                found[key] = replace(
                    finding, message=f"{finding.message} (rendered with {item.inputs})"
                )
    # Errors break the body for some input: always reported. Warnings that only
    # some inputs show (a tag one sample lacks, a huge sample, the undocumented
    # test-run values) are `ldkit render`'s business; those every input shows
    # are about the template itself.
    return [
        finding
        for key, finding in found.items()
        if finding.severity is Severity.ERROR or seen[key] == runs[key[0]]
    ]


def _root_causes(findings: list[Finding]) -> list[Finding]:
    """A placeholder in the wrong kind of place (LD600, LD601) is why the body
    is not JSON (LD602) at that place: keep the cause."""
    from ldkit.dynatrace.rules import BodyNotJson, JsonPlaceholderQuoted, TextPlaceholderUnquoted

    causes = {
        (f.path, f.line, f.column)
        for f in findings
        if f.rule in (TextPlaceholderUnquoted.id, JsonPlaceholderQuoted.id)
    }
    return [
        f
        for f in findings
        if not (f.rule == BodyNotJson.id and (f.path, f.line, f.column) in causes)
    ]
