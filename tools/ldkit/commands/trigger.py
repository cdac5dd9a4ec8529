"""`ldkit trigger MANIFEST_OR_DIR --body FILE|-`: one webhook call, offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ldkit.report.output import binary_stream
from ldkit.trigger.core import ACTIONS, DEFAULT_CONTENT_TYPE, TriggerConfig

if TYPE_CHECKING:
    from ldkit.trigger.core import InvocationResult
    from ldkit.trigger.loading import TriggerManifest


_DEFAULTS = TriggerConfig()


@click.command("trigger")
@click.argument("target", metavar="MANIFEST_OR_DIR", type=click.Path())
@click.option(
    "--body",
    "body",
    required=True,
    metavar="FILE|-",
    help="The request body: a file, or - for standard input.",
)
@click.option(
    "--action",
    type=click.Choice(ACTIONS),
    default=_DEFAULTS.action,
    show_default=True,
    help="What the trigger does.",
)
@click.option(
    "--flag-state",
    type=click.Choice(["on", "off"]),
    default=None,
    help="The flag's state before the call (default: the state the action changes).",
)
@click.option("--flag", default=_DEFAULTS.flag, show_default=True, help="Flag key.")
@click.option(
    "--environment", default=_DEFAULTS.environment, show_default=True, help="Environment key."
)
@click.option(
    "--timestamp",
    type=click.IntRange(min=0),
    default=None,
    help="Unix milliseconds of the call (default: now).",
)
@click.option(
    "--content-type",
    default=DEFAULT_CONTENT_TYPE,
    show_default=True,
    help="Content-Type of the request. It does not change parsing: LaunchDarkly documents "
    "no effect, so the body is read as JSON whatever the type.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--ndjson",
    is_flag=True,
    help="Each line of the body is one call; print one JSON result per line. The trigger's "
    "count, recent bodies and the flag state carry over from line to line.",
)
def command(
    target: str,
    body: str,
    action: str,
    flag_state: str | None,
    flag: str,
    environment: str,
    timestamp: int | None,
    content_type: str,
    fmt: str,
    ndjson: bool,
) -> None:
    """Run one webhook body through an integration's trigger capability.

    Prints what LaunchDarkly's trigger would do with it (by ldkit's reference
    semantics): the parsed event name, value and url, whether it is a test
    event, and the change-history entry when the flag flips.
    """
    from pathlib import Path

    from ldkit.report.encode import echo
    from ldkit.report.text import finding_line
    from ldkit.trigger.loading import ManifestUnreadable, ManifestUnusable, load_trigger_manifest

    if ndjson and fmt == "text":
        raise click.UsageError("--ndjson prints one JSON object per line; drop --format text")
    try:
        loaded = load_trigger_manifest(Path(target))
    except ManifestUnreadable as exc:
        raise click.UsageError(str(exc)) from None
    except ManifestUnusable as exc:
        for finding in exc.findings:
            echo(finding_line(finding), err=True)
        raise SystemExit(1) from None
    config = TriggerConfig(action=action, flag=flag, environment=environment)  # type: ignore[arg-type]
    call = _Call(loaded, config, content_type, timestamp, body)
    flag_on = (flag_state == "on") if flag_state else not config.turns_on
    if ndjson:
        call.stream(flag_on)
    else:
        call.once(flag_on, fmt)
    raise SystemExit(0)


class _Call:
    """The calls of one `ldkit trigger` run: one body, or one per NDJSON line,
    against one trigger whose count, recent bodies and flag state carry over."""

    def __init__(
        self,
        loaded: TriggerManifest,
        config: TriggerConfig,
        content_type: str,
        timestamp: int | None,
        body: str,
    ) -> None:
        from ldkit.trigger.core import TriggerHistory

        self.loaded = loaded
        self.config = config
        self.content_type = content_type
        self.timestamp = timestamp
        self.body = body
        self.source = "<stdin>" if body == "-" else body
        self.history = TriggerHistory()

    def invoke(self, data: bytes, flag_on: bool) -> InvocationResult:
        import time

        from ldkit.trigger.core import TriggerRequest, invoke

        now = self.timestamp if self.timestamp is not None else int(time.time() * 1000)
        request = TriggerRequest(data, now, self.content_type, self.source)
        loaded = self.loaded
        return invoke(
            loaded.manifest,
            loaded.key,
            self.config,
            flag_on,
            request,
            self.history,
            spec=loaded.spec,
        )

    def once(self, flag_on: bool, fmt: str) -> None:
        from ldkit.trigger.core import to_json

        document = self.invoke(_read_body(self.body), flag_on).to_dict()
        if fmt == "json":
            binary_stream("stdout").write(to_json(document).encode("utf-8"))
        else:
            from ldkit.report.encode import echo, printable
            from ldkit.report.trigger_text import render_text

            echo(printable(render_text(document), keep_newlines=True), nl=False)

    def stream(self, flag_on: bool) -> None:
        from ldkit.trigger.core import to_json

        out = _line_writer(self.body)
        for line in _body_lines(self.body):
            result = self.invoke(line, flag_on)
            flag_on = result.flag_on_after
            out.write(to_json(result.to_dict(), indent=None).encode("utf-8"))
            if out.interactive:
                out.flush()
        out.flush()


class _LineWriter:
    """Standard output for NDJSON: buffered even when Python runs unbuffered
    (PYTHONUNBUFFERED makes every line a system call, a third of the run
    time), but flushed after each line when a person is typing the input."""

    def __init__(self, raw, interactive: bool) -> None:
        import io

        self.stream = raw if isinstance(raw, io.BufferedIOBase) else io.BufferedWriter(raw, 1 << 16)
        self.interactive = interactive

    def write(self, data: bytes) -> None:
        self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()


def _line_writer(body: str) -> _LineWriter:
    stdin = binary_stream("stdin")
    interactive = body == "-" and hasattr(stdin, "isatty") and stdin.isatty()
    return _LineWriter(binary_stream("stdout"), interactive)


def _read_body(body: str) -> bytes:
    if body == "-":
        return binary_stream("stdin").read()
    from ldkit.fs import USER_NAMED, FileRefused, open_for_reading

    try:
        with open_for_reading(body, root=USER_NAMED) as handle:
            return handle.read()
    except FileRefused as refused:
        raise click.UsageError(f"--body {body}: {refused.reason}") from None
    except OSError as exc:
        raise click.UsageError(f"--body {body}: cannot read: {exc.strerror or exc}") from None


def _body_lines(body: str):
    """One body per line, without its line ending; read lazily so that memory
    stays flat however long the stream is."""
    if body == "-":
        stream = binary_stream("stdin")
    else:
        from ldkit.fs import USER_NAMED, FileRefused, open_for_reading

        try:
            stream = open_for_reading(body, root=USER_NAMED)
        except FileRefused as refused:
            raise click.UsageError(f"--body {body}: {refused.reason}") from None
    try:
        for line in stream:
            if line.endswith(b"\n"):
                line = line[:-1]
                if line.endswith(b"\r"):
                    line = line[:-1]
            yield line
    finally:
        if body != "-":
            stream.close()
