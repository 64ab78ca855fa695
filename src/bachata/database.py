"""Which PostgreSQL the project talks to, and the embedded one it runs by itself.

With ``DATABASE_URL`` unset the project runs its own PostgreSQL 16 from the ``pgserver``
wheel, with its files under ``BACHATA_DATA_DIR/postgres`` and a Unix socket only (no TCP
port). PostgreSQL refuses to run as root; ``pgserver`` then runs it as a system user
``pgserver`` it creates. The server outlives the process that started it and is reused
by every later call until ``bachata db stop``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from bachata.config import Config
from bachata.errors import BachataError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerStatus:
    """What ``bachata db status`` reports about the embedded server."""

    running: bool
    pgdata: Path
    pid: int | None = None
    socket_dir: Path | None = None
    port: int | None = None

    def url(self, database: str) -> str:
        """The connection URL of ``database`` on this server."""
        if not self.running or self.socket_dir is None:
            raise BachataError("the embedded database is not running: run `bachata db start`")
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"


def _read_postmaster(pgdata: Path) -> ServerStatus:
    """Read ``postmaster.pid`` without importing pgserver (fast path: a few syscalls)."""
    pidfile = pgdata / "postmaster.pid"
    try:
        lines = pidfile.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return ServerStatus(running=False, pgdata=pgdata)
    try:
        pid = int(lines[0])
        started = int(lines[2])
        port = int(lines[3])
        socket_dir = Path(lines[4]) if lines[4].strip() else None
        ready = len(lines) > 7 and lines[7].strip() == "ready"
    except (IndexError, ValueError):
        return ServerStatus(running=False, pgdata=pgdata)
    alive = _pid_alive(pid, started)
    sock_ok = socket_dir is not None and (socket_dir / f".s.PGSQL.{port}").exists()
    return ServerStatus(
        running=alive and ready and sock_ok,
        pgdata=pgdata,
        pid=pid if alive else None,
        socket_dir=socket_dir,
        port=port,
    )


def _pid_alive(pid: int, started: int) -> bool:
    """Whether the server that wrote ``postmaster.pid`` still runs: process ``pid`` exists
    and started when the file says (epoch seconds). After a crash or a reboot the number
    may belong to another process, and the file with its socket would be taken for a
    server that refuses every connection."""
    import psutil

    try:
        return abs(psutil.Process(pid).create_time() - started) < 1.5
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:
        return True


def _pgserver() -> ModuleType:
    """Import pgserver lazily (~100 ms, only needed to start, stop or find psql)."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver
        import pgserver._commands
    return pgserver


def embedded_status(config: Config) -> ServerStatus:
    """Status of the embedded server of ``config`` (never starts anything)."""
    return _read_postmaster(config.pgdata)


def embedded_start(config: Config) -> ServerStatus:
    """Start the embedded server (or reuse the running one) and create the database.

    Returns
    -------
    ServerStatus
        A running server; ``status.url(config.db_name)`` connects to the database.
    """
    status = _read_postmaster(config.pgdata)
    if status.running:
        _ensure_database(status, config.db_name)
        return status
    pgserver = _pgserver()

    config.pgdata.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # pgserver caches one handle per folder per process and would hand back a stale one
    # after `embedded_stop`; drop it so the server is really started again.
    pgserver.PostgresServer._instances.pop(config.pgdata.resolve(), None)
    pidfile = config.pgdata / "postmaster.pid"
    if status.port is not None and status.pid is None:
        # The file names a process, but not its server. If that process exists, its number
        # was reused after a crash: pgserver would take it for the server and start
        # nothing. (A dead one is Postgres's own business: it replaces the file safely.)
        import psutil

        number = int(pidfile.read_text().split()[0])
        if psutil.pid_exists(number):
            log.warning("stale postmaster.pid removed", extra={"pid": number})
            pidfile.unlink(missing_ok=True)
    try:
        pgserver.get_server(config.pgdata, cleanup_mode=None)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log_file = config.pgdata / "log"
        raise BachataError(
            f"the embedded PostgreSQL did not start ({exc}); see {log_file}"
        ) from None
    status = _read_postmaster(config.pgdata)
    _ensure_database(status, config.db_name)
    log.info(
        "embedded postgres started",
        extra={"pgdata": str(config.pgdata), "seconds": round(time.monotonic() - started, 2)},
    )
    return status


def _ensure_database(status: ServerStatus, name: str) -> None:
    """Create database ``name`` on the embedded server if it does not exist (~5 ms)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(status.url("postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # created concurrently
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def embedded_stop(config: Config) -> bool:
    """Stop the embedded server cleanly (fast shutdown). Returns False if it was not running."""
    status = _read_postmaster(config.pgdata)
    if not status.running:
        return False
    pg_ctl = _pgserver()._commands.pg_ctl
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=config.pgdata, user=user, timeout=60)
    return True


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client program (psql, pg_dump, pg_restore) from the pgserver
    wheel, so that its version always matches the embedded server's."""
    return str(_pgserver()._commands.POSTGRES_BIN_PATH / name)


def psql_command(url: str) -> list[str]:
    """The argv that opens ``psql`` (the one inside the pgserver wheel) on ``url``."""
    return [pg_tool("psql"), url]


def _run_tool(argv: list[str]) -> None:
    import subprocess

    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise BachataError(f"{Path(argv[0]).name} failed: {result.stderr.strip()[-1500:]}")


def backup(url: str, out: Path) -> Path:
    """Dump the whole database (schema and data) to ``out`` in pg_dump's custom format.

    Written to a temporary file and renamed, so ``out`` is never a partial dump.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        _run_tool([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", url])
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def restore(url: str, dump: Path) -> None:
    """Load a :func:`backup` into the (empty) database at ``url``, in one transaction.

    Triggers are created after the rows load (pg_dump's post-data section): the
    analytics tables the triggers maintain come back as they were, not counted twice.

    Raises
    ------
    BachataError
        When the database already holds the project's tables (restore into a fresh
        one), or pg_restore fails (then nothing was changed).
    """
    import psycopg

    if not Path(dump).is_file():
        raise BachataError(f"{dump}: no such backup file")
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('public.blueprints') IS NOT NULL").fetchone()
    if exists and exists[0]:
        raise BachataError(
            "the database is not empty: restore into a fresh one (a new BACHATA_DATA_DIR "
            "or BACHATA_DB_NAME, or an empty DATABASE_URL database)"
        )
    _run_tool(
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(dump),
        ]
    )


def database_url(config: Config, *, start: bool = True) -> str:
    """The URL to connect to: ``DATABASE_URL`` if set, else the embedded server's.

    With ``start`` (the default) the embedded server is started when it is not running.
    """
    if config.database_url:
        return config.database_url
    status = embedded_start(config) if start else embedded_status(config)
    return status.url(config.db_name)


def django_databases(url: str) -> dict[str, Any]:
    """Translate a libpq URL (including ``?host=/cloudsql/...``) into Django's DATABASES entry.

    >>> django_databases("postgresql://u:p@/db?host=/cloudsql/p:r:i")["HOST"]
    '/cloudsql/p:r:i'
    """
    from psycopg.conninfo import conninfo_to_dict  # the driver loads only when used

    try:
        params = conninfo_to_dict(url)
    except Exception as exc:  # psycopg raises ProgrammingError for malformed URLs
        raise BachataError(f"DATABASE_URL is not a valid PostgreSQL URL: {exc}") from None
    entry: dict[str, Any] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": params.pop("dbname", None) or "postgres",
        "USER": params.pop("user", "") or "",
        "PASSWORD": params.pop("password", "") or "",
        "HOST": params.pop("host", "") or "",
        "PORT": str(params.pop("port", "") or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {k: v for k, v in params.items() if v is not None},
    }
    return entry


def url_from_django(entry: dict[str, Any]) -> str:
    """A libpq URL for a Django DATABASES entry (the inverse of :func:`django_databases`)."""
    from urllib.parse import quote, urlencode

    params = {k: v for k, v in (entry.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    if entry.get("HOST"):
        params["host"] = entry["HOST"]
    if entry.get("PORT"):
        params["port"] = str(entry["PORT"])
    user = quote(entry.get("USER") or "", safe="")
    password = quote(entry.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    query = f"?{urlencode(params)}" if params else ""
    return f"postgresql://{auth}/{quote(entry['NAME'], safe='')}{query}"
