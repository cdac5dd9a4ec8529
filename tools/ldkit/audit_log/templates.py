"""The audit-log templates a manifest names, each read once and rendered
against its sample event the way LaunchDarkly's validator does (`TemplateRun`),
with the template position that produced any output character, so that a
problem in the rendered text is reported in the template."""

from __future__ import annotations

from pathlib import Path

from ldkit.audit_log.contexts import is_json_name, template_context
from ldkit.audit_log.json_check import JsonProblem, json_problem
from ldkit.integration import manifest_file
from ldkit.javascript import truthy
from ldkit.load.lines import position

HOOK = "/capabilities/auditLogEventsHook"
TEMPLATE_KINDS = ("flag", "project", "environment", "default", "validation", "member")
JSON_CHECKED_KINDS = ("flag", "project", "environment", "default", "member")


def read_template(path: Path, root: Path) -> tuple[str | None, str | None]:
    """(text, None), or (None, why it cannot be read) for a template the manifest names.

    Like Node's `readFileSync(path, 'utf-8')`, invalid bytes become U+FFFD and a
    BOM stays. Only a regular file inside the integration folder is read.
    """
    from ldkit.fs import FileRefused, exists, read_text

    if not exists(path):
        return None, "does not exist"
    try:
        return read_text(path, root=root), None
    except FileRefused as refused:
        return None, f"cannot be read ({refused.reason})"


class TemplateRun:
    """One audit-log template: its file, source and (lazily) render outcome."""

    def __init__(self, manifest: object, integration_dir: Path, kind: str, relative: str) -> None:
        self.manifest = manifest
        self.kind = kind
        self.relative = relative
        self.pointer = f"{HOOK}/templates/{kind}"
        self.path = manifest_file(integration_dir, relative)
        self.source, self.problem = read_template(self.path, integration_dir)
        self._output: str | None = None
        self._error: object | None = None
        self._done = False

    @property
    def is_json(self) -> bool:
        return is_json_name(self.relative)

    def render(self) -> tuple[str | None, object | None]:
        if not self._done:
            self._done = True
            from ldkit.handlebars import HandlebarsError, compile_template

            if self.source is not None:
                context = template_context(self.manifest, self.kind, escape_json=self.is_json)
                try:
                    self._output = compile_template(self.source).render(context)
                except HandlebarsError as error:
                    self._error = error
        return self._output, self._error

    def json_break(self) -> tuple[JsonProblem, int, int] | None:
        """Where a JSON-checked template's output stops being JSON: the problem
        and the template line and column that produced it."""
        if self.kind not in JSON_CHECKED_KINDS or not self.is_json:
            return None
        output, error = self.render()
        if output is None or error is not None:
            return None
        if self.kind == "member" and not output.strip():
            return None  # LD306 says it is empty
        problem = json_problem(output)
        if problem is None:
            return None
        return (problem, *self.template_position(problem.offset))

    def template_position(self, output_offset: int) -> tuple[int, int]:
        """The line and column in the template that produced the output
        character at `output_offset` (the template's start if unknown)."""
        from ldkit.handlebars import HandlebarsError, compile_template

        offset = 0
        if self.source is not None:
            context = template_context(self.manifest, self.kind, escape_json=self.is_json)
            try:
                mapped = compile_template(self.source).render_mapped(context)
            except HandlebarsError:
                mapped = None
            if mapped is not None and mapped[1]:
                offsets = mapped[1]
                offset = offsets[min(output_offset, len(offsets) - 1)]
        return position(self.source or "", offset)


def template_runs(manifest: object, integration_dir: Path) -> list[TemplateRun]:
    """One `TemplateRun` per template the manifest names, in `TEMPLATE_KINDS`
    order (a rule context keeps them, so the template rules render each once)."""
    runs: list[TemplateRun] = []
    capabilities = manifest.get("capabilities") if isinstance(manifest, dict) else None
    hook = capabilities.get("auditLogEventsHook") if isinstance(capabilities, dict) else None
    if not isinstance(hook, dict) or truthy(hook.get("useStandardWebhookPayload")):
        return runs
    templates = hook.get("templates")
    if isinstance(templates, dict):
        for kind in TEMPLATE_KINDS:
            relative = templates.get(kind)
            if isinstance(relative, str) and relative:
                runs.append(TemplateRun(manifest, integration_dir, kind, relative))
    return runs
