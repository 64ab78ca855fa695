"""Which PostgreSQL is used, and the embedded server's life cycle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil

from bachata.config import Config
from bachata.database import (
    database_url,
    django_databases,
    embedded_start,
    embedded_status,
    embedded_stop,
)

BACHATA = [sys.executable, "-m", "bachata.cli"]


def test_cloud_sql_unix_socket_url():
    entry = django_databases(
        "postgresql://user:pass@/bachata_vibes?host=/cloudsql/project:region:instance"
    )
    assert entry["NAME"] == "bachata_vibes"
    assert entry["HOST"] == "/cloudsql/project:region:instance"
    assert (entry["USER"], entry["PASSWORD"]) == ("user", "pass")


def test_tcp_url_with_options():
    entry = django_databases("postgresql://u:p%40ss@db.example:6543/app?sslmode=require")
    assert (entry["HOST"], entry["PORT"], entry["PASSWORD"]) == ("db.example", "6543", "p@ss")
    assert entry["OPTIONS"] == {"sslmode": "require"}


def test_database_url_set_means_nothing_is_started(tmp_path):
    url = "postgresql://user:pass@/bachata_vibes?host=/cloudsql/project:region:instance"
    config = Config(data_dir=tmp_path, database_url=url, pgdata=tmp_path / "pg")
    assert database_url(config) == url
    assert not (tmp_path / "pg").exists()


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BACHATA, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_cli_with_database_url_starts_nothing(tmp_path):
    env = {
        "DATABASE_URL": "postgresql://u:p@/x?host=/cloudsql/p:r:i",
        "BACHATA_DATA_DIR": str(tmp_path),
    }
    assert "nothing to start" in _cli("db", "start", env=env).stdout
    assert _cli("db", "url", env=env).stdout.strip() == env["DATABASE_URL"]
    stop = _cli("db", "stop", env=env)
    assert stop.returncode == 1 and "not ours to stop" in stop.stderr
    assert not (tmp_path / "postgres").exists()


def test_embedded_server_life_cycle(tmp_path):
    """Fresh start, reuse, clean stop and restart on the same files, run as a non-root user."""
    config = Config(
        data_dir=tmp_path, database_url=None, pgdata=tmp_path / "postgres", db_name="life_cycle"
    )
    assert not embedded_status(config).running
    first = embedded_start(config)
    try:
        assert first.running and first.pid
        postmaster = psutil.Process(first.pid)
        assert postmaster.username() != "root" or os.geteuid() != 0
        again = embedded_start(config)
        assert again.pid == first.pid  # reused, not restarted
        psql = _psql(tmp_path, "life_cycle", "SELECT current_database(), version()")
        assert psql.stdout.startswith("life_cycle|PostgreSQL 1"), psql.stderr
        major = int(psql.stdout.split("PostgreSQL ")[1].split(".")[0])
        assert major >= 14
    finally:
        assert embedded_stop(config)
    assert not embedded_status(config).running
    assert _gone(first.pid)
    assert (config.pgdata / "PG_VERSION").exists()  # files kept
    restarted = embedded_start(config)
    try:
        assert restarted.running and restarted.pid != first.pid
    finally:
        embedded_stop(config)


def _psql(data_dir: Path, db_name: str, query: str) -> subprocess.CompletedProcess[str]:
    """``bachata db psql -tAc QUERY`` on the embedded server under ``data_dir``."""
    env = {"BACHATA_DATA_DIR": str(data_dir), "BACHATA_DB_NAME": db_name}
    return _cli("db", "psql", "-tAc", query, env=env)


def _gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie waiting for init to reap it counts)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_status_of_a_never_started_server(tmp_path):
    env = {"BACHATA_DATA_DIR": str(tmp_path)}
    result = _cli("db", "status", env=env)
    assert result.returncode == 1 and result.stdout.startswith("stopped")
    assert not Path(tmp_path, "postgres").exists()


def test_a_server_killed_hard_whose_number_was_reused_is_started_again(tmp_path):
    """After a crash or a reboot, postmaster.pid and the socket stay behind, and the
    server's number may belong to another process. That process was once taken for the
    server (every connection refused: `make test` failed until the file was removed by
    hand)."""
    config = Config(
        data_dir=tmp_path, database_url=None, pgdata=tmp_path / "postgres", db_name="crashed"
    )
    first = embedded_start(config)
    postmaster = psutil.Process(first.pid)
    postmaster.kill()
    postmaster.wait(10)
    pidfile = config.pgdata / "postmaster.pid"
    lines = pidfile.read_text().splitlines()
    # The number now belongs to a process that is certainly not the server: pid 1.
    pidfile.write_text("\n".join(["1", *lines[1:]]) + "\n")
    assert (first.socket_dir / f".s.PGSQL.{first.port}").exists()  # left behind
    assert not embedded_status(config).running
    restarted = embedded_start(config)
    try:
        assert restarted.running and restarted.pid not in (first.pid, 1)
        psql = _psql(tmp_path, "crashed", "SELECT current_database()")
        assert psql.stdout.strip() == "crashed", psql.stderr
    finally:
        embedded_stop(config)
