"""The job's thin port to the database: task status updates and the stored blueprint.

Plain SQL over psycopg, so a job container needs no Django. Every call retries for a
while when the database is unreachable (a restart, a failover) before giving up.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg

from bachata.errors import NotFound

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class TaskRow:
    """The task fields a job needs."""

    task_id: str
    user_id: int
    status: str
    attempts: int


class AlreadyRendered(Exception):
    """The task's video was already made (a retried job after its worker was killed)."""

    def __init__(self, uri: str) -> None:
        super().__init__(f"already rendered: {uri}")
        self.uri = uri


class TaskStore:
    """Reads and writes one database's ``choreography_tasks`` and ``blueprints``.

    Safe to share between threads (the render and its preview stream): one statement at
    a time goes over the one connection.
    """

    def __init__(self, url: str, *, retry_seconds: float = 60.0) -> None:
        self.url = url
        self.retry_seconds = retry_seconds
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()

    def _run(self, work: Callable[[psycopg.Connection], T]) -> T:
        with self._lock:
            return self._run_locked(work)

    def _run_locked(self, work: Callable[[psycopg.Connection], T]) -> T:
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
                return work(self._conn)
            except psycopg.OperationalError as exc:
                if self._conn is not None:
                    self._conn.close()
                self._conn = None
                if time.monotonic() >= deadline:
                    raise
                log.warning("database unavailable, retrying", extra={"error": str(exc)})
                time.sleep(delay)
                delay = min(delay * 2, 3.0)

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _execute(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        def work(conn: psycopg.Connection) -> list[tuple[Any, ...]]:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall() if cur.description else []

        return self._run(work)

    def start(self, task_id: str) -> TaskRow:
        """Mark the task running for a new attempt (clearing the last attempt's traces).

        Raises
        ------
        AlreadyRendered
            When the task is completed: its video is never made (and billed) twice.
        NotFound
            For an unknown task.
        """
        rows = self._execute(
            """
            UPDATE choreography_tasks
               SET status = 'running', stage = 'starting', progress = 0, error_message = '',
                   attempts = attempts + 1, started_at = now(), finished_at = NULL,
                   output_video_uri = '', stream_uri = ''
             WHERE task_id = %s AND status <> 'completed'
            RETURNING task_id, user_id, status, attempts
            """,
            (task_id,),
        )
        if rows:
            return TaskRow(*rows[0])
        done = self._execute(
            "SELECT output_video_uri FROM choreography_tasks WHERE task_id = %s", (task_id,)
        )
        if done:
            raise AlreadyRendered(done[0][0])
        raise NotFound(f"no task {task_id}")

    def progress(self, task_id: str, stage: str, percent: int) -> None:
        """Record the current stage and progress (0-100) of a running task."""
        self._execute(
            "UPDATE choreography_tasks SET stage = %s, progress = %s "
            "WHERE task_id = %s AND status = 'running'",
            (stage[:40], max(0, min(100, int(percent))), task_id),
        )

    def stream(self, task_id: str, uri: str) -> None:
        """Record where the running task's preview stream (its HLS playlist) is."""
        self._execute(
            "UPDATE choreography_tasks SET stream_uri = %s "
            "WHERE task_id = %s AND status = 'running'",
            (uri, task_id),
        )

    def complete(self, task_id: str, uri: str, stats: dict[str, Any]) -> None:
        """Mark the task completed with its video and render figures."""
        self._execute(
            """
            UPDATE choreography_tasks
               SET status = 'completed', stage = 'done', progress = 100, error_message = '',
                   output_video_uri = %s, render_stats = %s, finished_at = now(),
                   stream_uri = ''
             WHERE task_id = %s
            """,
            (uri, json.dumps(stats), task_id),
        )

    def fail(self, task_id: str, message: str) -> None:
        """Mark the task failed with a one-line reason."""
        self._execute(
            """
            UPDATE choreography_tasks
               SET status = 'failed', error_message = %s, finished_at = now(),
                   stream_uri = ''
             WHERE task_id = %s
            """,
            (message[:2000], task_id),
        )

    def blueprint_json(self, task_id: str) -> str | None:
        """The stored blueprint of the task, as JSON text."""
        rows = self._execute(
            "SELECT blueprint_json::text FROM blueprints WHERE task_id = %s", (task_id,)
        )
        return rows[0][0] if rows else None
