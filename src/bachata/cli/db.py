"""``bachata db``: the embedded PostgreSQL."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from bachata.cli.root import BachataGroup
from bachata.config import Config
from bachata.database import (
    backup,
    database_url,
    embedded_start,
    embedded_status,
    embedded_stop,
    psql_command,
    restore,
)
from bachata.errors import BachataError


def _config() -> Config:
    return Config.from_env()


def _embedded(when_external: str) -> Config | None:
    """The settings when the database is the embedded one; ``None`` after saying
    ``when_external`` where DATABASE_URL names another server."""
    config = _config()
    if config.database_url:
        click.echo(when_external)
        return None
    return config


@click.group(cls=BachataGroup)
def db() -> None:
    """The database: start, stop, status, url, psql, backup, restore.

    With DATABASE_URL set these commands only report on that server; they never start
    or stop it.
    """


@db.command()
def start() -> None:
    """Start the embedded PostgreSQL (or reuse the running one) and create the database."""
    if config := _embedded("DATABASE_URL is set: using that server, nothing to start."):
        status = embedded_start(config)
        click.echo(f"running (pid {status.pid}) data={status.pgdata} socket={status.socket_dir}")


@db.command()
def stop() -> None:
    """Stop the embedded PostgreSQL cleanly."""
    config = _config()
    if config.database_url:
        raise BachataError("DATABASE_URL is set: this server is not ours to stop")
    click.echo("stopped" if embedded_stop(config) else "not running")


@db.command()
def status() -> None:
    """Say whether the database is running and where its files are (exit 1 if not)."""
    config = _embedded("external: DATABASE_URL is set")
    if config is None:
        return
    state = embedded_status(config)
    if not state.running:
        click.echo(f"stopped data={state.pgdata}")
        sys.exit(1)
    click.echo(f"running (pid {state.pid}) data={state.pgdata} socket={state.socket_dir}")
    click.echo(f"url: {state.url(config.db_name)}")


@db.command()
def url() -> None:
    """Print the database URL (starting the embedded server if needed)."""
    click.echo(database_url(_config()))


@db.command(context_settings={"ignore_unknown_options": True})
@click.argument("psql_args", nargs=-1, type=click.UNPROCESSED)
def psql(psql_args: tuple[str, ...]) -> None:
    """Open psql on the database; extra arguments go to psql (e.g. -c "SELECT 1")."""
    argv = [*psql_command(database_url(_config())), *psql_args]
    os.execv(argv[0], argv)


@db.command(name="backup")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Dump file (default: BACHATA_DATA_DIR/backups/bachata-YYYYmmdd-HHMMSS.dump).",
)
def backup_command(out: Path | None) -> None:
    """Back up the whole database — tasks, blueprints, songs, moves, users — to one file.

    Works for the embedded server and for DATABASE_URL (pg_dump's custom format).
    """
    from datetime import UTC, datetime

    config = _config()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = out or config.data_dir / "backups" / f"bachata-{stamp}.dump"
    backup(database_url(config), target)
    click.echo(f"backed up to {target} ({target.stat().st_size / 1e6:.1f} MB)")


@db.command(name="restore")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(dump: Path) -> None:
    """Restore DUMP (made by `bachata db backup`) into an empty database.

    For the embedded server, point BACHATA_DATA_DIR (or BACHATA_DB_NAME) at a fresh one;
    with DATABASE_URL, at an empty database. Nothing is changed if anything fails.
    """
    restore(database_url(_config()), dump)
    click.echo(f"restored {dump}")
