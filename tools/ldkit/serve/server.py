"""Starting and stopping the server, with every start-up failure turned into
a one-line `StartupError` (the command exits 2) before anything listens: a
port in use, a database that is locked or corrupt, an integration a
`--trigger` names that has no trigger capability.

Stopping: uvicorn handles SIGTERM and SIGINT by closing the listening socket
and letting in-flight calls finish; only then does the writer drain and close,
so every call that got an answer is on disk."""

from __future__ import annotations

import errno
import secrets
import signal
import socket
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ldkit.fs import USER_NAMED, WriteRefused, exists, is_regular_file, make_folders, write_text
from ldkit.serve import shapes, store
from ldkit.serve.catalog import IntegrationCatalog, IntegrationUnavailable
from ldkit.serve.operations import TriggerPlace, create_trigger_job
from ldkit.serve.protocol import Limits
from ldkit.serve.security import is_loopback, new_token
from ldkit.serve.specs import TriggerSpecArg
from ldkit.serve.state import Changes, ServerState, now_millis
from ldkit.serve.store import StoreError
from ldkit.serve.writer import GroupCommitWriter

GRACEFUL_SECONDS = 10


class StartupError(Exception):
    """The server cannot start; one line for the user."""


@dataclass
class _StopRequest:
    """Our SIGTERM and SIGINT handler for the moments uvicorn's is not
    installed: during start-up (the server then does not start, or stops
    right after starting) and after uvicorn re-raises the signal that stopped
    it (then it does nothing). It never raises: an exception thrown into
    whatever runs at that instant could be swallowed by the event loop."""

    requested: bool = False
    server: Any = None

    def __call__(self, signum: int, frame: object) -> None:
        self.requested = True
        if self.server is not None:
            self.server.should_exit = True


@dataclass(frozen=True)
class ServeConfig:
    root: Path
    db: Path
    host: str
    port: int
    token: str | None
    public_url: str | None
    triggers: tuple[TriggerSpecArg, ...]
    quiet: bool
    allow_hosts: tuple[str, ...] = ()
    limits: Limits = Limits()

    def host_names(self) -> tuple[str, ...]:
        """The names a request's Host may carry besides IP literals and localhost."""
        public = urlsplit(self.public_url).hostname if self.public_url else None
        return tuple(n for n in (self.host, public, *self.allow_hosts) if n)


def bind(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise StartupError(f"--host {host}: cannot resolve: {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(
                f"port {port} on {host} is in use; stop what uses it or pass another --port"
            ) from None
        raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


#: What the state folder's own `.gitignore` says: nothing in it belongs in git
#: (the database holds recorded bodies, `DB.token` the management token).
STATE_GITIGNORE = "# Written by ldkit serve: its database and token never belong in git.\n*\n"


def prepare_state_folder(db: Path) -> None:
    """Checks that `db` (and its token and lock files) can be the server's own
    regular files, and gives the default state folder (`.ldkit/`) a
    `.gitignore`, so that `git add .` cannot commit the token."""
    for path in (db, token_file(db), Path(f"{db}.lock")):
        if exists(path) and not is_regular_file(path):
            raise StartupError(f"{path}: not a regular file; pass another --db")
    folder = db.parent
    if folder.name != ".ldkit":
        return
    ignore = folder / ".gitignore"
    if exists(ignore):
        return
    try:
        make_folders(folder, root=USER_NAMED)
        write_text(ignore, STATE_GITIGNORE, root=folder)
    except WriteRefused as refused:
        raise StartupError(f"{ignore}: cannot write: {refused.reason}") from None


def token_file(db: Path) -> Path:
    return Path(f"{db}.token")


def stored_token(db: Path) -> str:
    """The token kept next to the database, made (mode 0600, written
    atomically) on first use so that it survives restarts."""
    from ldkit.fs import FileRefused, read_text

    path = token_file(db)
    if exists(path):
        try:
            text = read_text(path, root=USER_NAMED, errors="strict").strip()
        except FileRefused as refused:
            raise StartupError(f"{path}: cannot read: {refused.detail}") from None
        if text:
            return text
    token = new_token()
    try:
        write_text(path, token + "\n", root=USER_NAMED, mode=0o600)
    except WriteRefused as refused:
        raise StartupError(f"{path}: cannot write: {refused.detail}") from None
    return token


def _create_triggers(
    state: ServerState, specs: tuple[TriggerSpecArg, ...], emit: Callable[[dict], None]
) -> None:
    for spec in specs:
        try:
            state.catalog.get(spec.integration)
        except IntegrationUnavailable as exc:
            raise StartupError(f"--trigger integration={spec.integration}: {exc}") from None
        place = TriggerPlace(spec.project, spec.flag, spec.environment)
        job = create_trigger_job(place, spec.integration, spec.action, now_millis(), spec.flag_on)
        row, secret = state.writer.submit(job).result()
        emit(
            {
                "triggerURL": shapes.trigger_url(state.url_base, row.id, secret),
                "_id": row.id,
                "integrationKey": row.integration_key,
                "projectKey": row.project,
                "flagKey": row.flag,
                "environmentKey": row.environment,
                "instructions": [{"kind": row.action}],
                "flagOn": spec.flag_on,
            }
        )


def serve(config: ServeConfig, emit: Callable[[dict], None]) -> None:
    """Runs until SIGTERM or SIGINT. `emit` prints one JSON line on stdout."""
    stop = _StopRequest()
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        _serve(config, emit, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(config: ServeConfig, emit: Callable[[dict], None], stop: _StopRequest) -> None:
    import uvicorn

    from ldkit.serve.app import build_app
    from ldkit.serve.guard import Guard, HostAllowList
    from ldkit.serve.protocol import protocol_for

    if not (config.root / "integrations").is_dir():
        raise StartupError(f"{config.root}: no integrations/ folder here; pass --root")
    prepare_state_folder(config.db)
    with ExitStack() as stack:
        sock = bind(config.host, config.port)
        stack.callback(sock.close)
        try:
            stack.enter_context(store.exclusive_lock(config.db))
            writer_conn = store.open_store(config.db)
            stack.callback(writer_conn.close)
            reader = store.connect(config.db, read_only=True)
            stack.callback(reader.close)
        except StoreError as exc:
            raise StartupError(str(exc)) from None
        token = config.token or stored_token(config.db)
        port = sock.getsockname()[1]
        local = f"http://{_url_host(config.host)}:{port}"
        changes = Changes(boot_id=secrets.token_hex(4))
        writer = GroupCommitWriter(writer_conn, on_commit=changes.committed)
        stack.callback(writer.close)
        state = ServerState(
            catalog=IntegrationCatalog(config.root),
            writer=writer,
            reader=reader,
            token=token,
            url_base=(config.public_url or local).rstrip("/"),
            changes=changes,
            quiet=config.quiet,
        )
        _create_triggers(state, config.triggers, emit)
        emit(
            {
                "listening": local,
                "tokenFile": None if config.token else str(token_file(config.db)),
            }
        )
        app = Guard(
            build_app(state),
            HostAllowList(config.host_names()),
            token,
            page_needs_token=not is_loopback(config.host),
        )
        uv_config = uvicorn.Config(
            app,
            http=protocol_for(config.limits),
            timeout_keep_alive=config.limits.idle_seconds,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
            server_header=False,
        )
        server = uvicorn.Server(uv_config)
        # uvicorn installs its own handlers while it runs; before and after,
        # `stop` stands in. The ExitStack closes the writer (draining it) last.
        stop.server = server
        if not stop.requested:
            server.run(sockets=[sock])
        state.log("stopped; every answered call is saved")
