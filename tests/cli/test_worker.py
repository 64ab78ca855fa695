"""``bachata worker`` outlives its database: after PostgreSQL restarts it connects again
and takes the next render, instead of exiting for good."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg

from tests.cli import bachata


def _wait_for(predicate, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _rows(url: str, sql: str) -> list[tuple]:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            return conn.execute(sql).fetchall()
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):  # down, or migrating
        return []


def test_the_worker_reconnects_after_a_database_restart(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        BACHATA_DATA_DIR=str(tmp_path / "data"),
        BACHATA_STALLED_WORKER_SECONDS="1.5",
        BACHATA_LOG_FORMAT="json",
    )
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed in finally
    worker = None
    try:
        assert bachata("db", "start", env=env).returncode == 0
        url = bachata("db", "url", env=env).stdout.strip()
        worker = subprocess.Popen(
            [sys.executable, "-m", "bachata.cli", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        registered = "SELECT id FROM procrastinate_workers"
        _wait_for(lambda: bool(_rows(url, registered)), seconds=60, what="the worker")

        assert bachata("db", "stop", env=env).returncode == 0
        time.sleep(4)  # the worker's heartbeat fails meanwhile
        assert bachata("db", "start", env=env).returncode == 0
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]

        queued = bachata(
            "manage",
            "shell",
            "-c",
            "from bachata.choreography.tasks import render_choreography;"
            "print(render_choreography.defer(task_id='no-such-task'))",
            env=env,
        )
        assert queued.returncode == 0, queued.stderr
        job_id = int(queued.stdout.strip().splitlines()[-1])
        # A finished job is deleted (delete_jobs="successful"): the worker took it.
        _wait_for(
            lambda: not _rows(url, f"SELECT status FROM procrastinate_jobs WHERE id = {job_id}"),
            seconds=90,
            what="the worker to take the render after the restart",
        )
        assert worker.poll() is None
        text = (tmp_path / "worker.log").read_text()
        assert "lost the database; connecting again" in text
        assert "render of a deleted task skipped" in text

        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()
        bachata("db", "stop", env=env)
