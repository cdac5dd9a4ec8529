"""`ldkit trigger MANIFEST_OR_DIR --body FILE|-`: one webhook call, offline."""

from __future__ import annotations

import click

from ldkit.report.output import binary_stream
from ldkit.trigger.core import ACTIONS


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
    default="turnFlagOff",
    show_default=True,
    help="What the trigger does.",
)
@click.option(
    "--flag-state",
    type=click.Choice(["on", "off"]),
    default=None,
    help="The flag's state before the call (default: the state the action changes).",
)
@click.option("--flag", default="example-flag", show_default=True, help="Flag key.")
@click.option("--environment", default="production", show_default=True, help="Environment key.")
@click.option(
    "--timestamp",
    type=click.IntRange(min=0),
    default=None,
    help="Unix milliseconds of the call (default: now).",
)
@click.option(
    "--content-type",
    default="application/json",
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
    import time
    from pathlib import Path

    from ldkit.report.encode import echo, printable
    from ldkit.trigger.core import TriggerConfig, TriggerHistory, TriggerRequest, invoke, to_json
    from ldkit.trigger.loading import ManifestUnreadable, ManifestUnusable, load_trigger_manifest

    if ndjson and fmt == "text":
        raise click.UsageError("--ndjson prints one JSON object per line; drop --format text")
    try:
        loaded = load_trigger_manifest(Path(target))
    except ManifestUnreadable as exc:
        raise click.UsageError(str(exc)) from None
    except ManifestUnusable as exc:
        for finding in exc.findings:
            echo(printable(_finding_line(finding.to_dict())), err=True)
        raise SystemExit(1) from None

    config = TriggerConfig(action=action, flag=flag, environment=environment)  # type: ignore[arg-type]
    flag_on = (flag_state == "on") if flag_state else not config.turns_on
    history = TriggerHistory()
    source = "<stdin>" if body == "-" else body

    def now() -> int:
        return timestamp if timestamp is not None else int(time.time() * 1000)

    if ndjson:
        out = _line_writer(body)
        for line in _body_lines(body):
            request = TriggerRequest(line, now(), content_type, source)
            result = invoke(
                loaded.manifest, loaded.key, config, flag_on, request, history, spec=loaded.spec
            )
            flag_on = result.flag_on_after
            out.write(to_json(result.to_dict(), indent=None).encode("utf-8"))
            if out.interactive:
                out.flush()
        out.flush()
        raise SystemExit(0)

    data = _read_body(body)
    request = TriggerRequest(data, now(), content_type, source)
    result = invoke(
        loaded.manifest, loaded.key, config, flag_on, request, history, spec=loaded.spec
    )
    document = result.to_dict()
    if fmt == "json":
        binary_stream("stdout").write(to_json(document).encode("utf-8"))
    else:
        echo(printable(render_text(document), keep_newlines=True), nl=False)
    raise SystemExit(0)


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
    try:
        with open(body, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise click.UsageError(f"--body {body}: cannot read: {exc.strerror or exc}") from None


def _body_lines(body: str):
    """One body per line, without its line ending; read lazily so that memory
    stays flat however long the stream is."""
    if body == "-":
        stream = binary_stream("stdin")
    else:
        try:
            stream = open(body, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise click.UsageError(f"--body {body}: cannot read: {exc.strerror or exc}") from None
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


def _finding_line(f: dict) -> str:
    return f"{f['path']}:{f['line']}:{f['column']}: {f['rule']} {f['severity']}: {f['message']}"


_OUTCOME_TEXT = {
    "applied": "the flag was turned {state}",
    "test-event": "a test event: counted, the flag is unchanged ({state})",
    "no-change": "the flag was already {state}: counted, nothing changed",
}
_SOURCE_TEXT = {
    "body": "from the body",
    "defaultEventName": "the manifest's defaultEventName",
    "schemaDefault": "the schema default; the body gave no event name",
}


def render_text(result: dict) -> str:
    """A short human summary of one invocation result."""
    state = "on" if result["flagOnAfter"] else "off"
    source = _SOURCE_TEXT[result["eventNameSource"]]
    rows = [
        (
            "outcome",
            f"{result['outcome']} ({_OUTCOME_TEXT[result['outcome']].format(state=state)})",
        ),
        ("event name", f"{_quote(result['eventName'])} ({source})"),
        ("value", _show(result["value"])),
        ("url", _show(result["url"])),
        ("test event", "yes" if result["isTest"] else "no"),
        ("trigger count", str(result["triggerCount"])),
    ]
    lines = [f"{label + ':':<15}{text}" for label, text in rows]
    entry = result["entry"]
    if entry is None:
        lines.append(f"{'entry:':<15}none")
    else:
        lines.append("entry:")
        lines.append(f"  {'title:':<13}{entry['title']}")
        description = str(entry["description"]).split("\n")
        lines.append(f"  {'description:':<13}{description[0]}")
        lines.extend(f"{'':<15}{more}" for more in description[1:])
    warnings = result["warnings"]
    if warnings:
        lines.append(f"warnings ({len(warnings)}):")
        lines.extend(f"  {_finding_line(w)}" for w in warnings)
    else:
        lines.append(f"{'warnings:':<15}none")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    import json

    quoted = json.dumps(text, ensure_ascii=False)
    try:
        quoted.encode("utf-8")
    except UnicodeEncodeError:
        quoted = json.dumps(text)
    return quoted


def _show(value: object) -> str:
    if value is None:
        return "none"
    return _quote(value) if isinstance(value, str) else str(value).lower()
