"""The render queue (procrastinate on the project's PostgreSQL) and the worker's side of it.

A queued render runs the job entrypoint as a child process with the job container's
environment contract (TASK_ID, USER_ID, BLUEPRINT_JSON, DATABASE_URL and the storage
settings), exactly as a Cloud Run Job execution would.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys

import procrastinate
from django.conf import settings
from django.db import connection
from procrastinate.contrib.django import app

from bachata.choreography.dispatch import RENDER_QUEUE, RENDER_TASK
from bachata.database import url_from_django
from bachata.jobs.environment import job_contract
from bachata.media import dies_with_parent

log = logging.getLogger(__name__)

#: Exit statuses of `bachata job` that are final (done, bad input, bad environment); any
#: other (3: disk, network or a crash; or killed by a signal) is retried.
FINAL_EXIT_CODES = {0, 1, 2}


class RenderCrashed(Exception):
    """The job process died or crashed: worth another attempt."""


def job_environment(*, task_id: str, user_id: int, blueprint: dict | None) -> dict[str, str]:
    """The environment of one render job (the seed's contract)."""
    config = settings.BACHATA
    env = {k: v for k, v in os.environ.items() if k not in ("TASK_ID", "USER_ID", "BLUEPRINT_JSON")}
    env.update(
        DATABASE_URL=url_from_django(connection.settings_dict),
        BACHATA_DATA_DIR=str(config.data_dir),
        BACHATA_STORAGE=config.storage,
        BACHATA_GCS_BUCKET=config.gcs_bucket,
    )
    env.update(
        job_contract(
            task_id=task_id,
            user_id=user_id,
            blueprint=blueprint,
            limit=settings.JOB_ENV_BLUEPRINT_LIMIT,
        )
    )
    return env


@app.task(
    name=RENDER_TASK,
    queue=RENDER_QUEUE,
    retry=procrastinate.RetryStrategy(
        max_attempts=settings.JOB_RETRIES, wait=2, retry_exceptions={RenderCrashed}
    ),
)
def render_choreography(task_id: str) -> None:
    """Run one render job process for ``task_id``."""
    from bachata.choreography.models import BlueprintRecord, ChoreographyTask

    try:
        task = ChoreographyTask.objects.filter(task_id=task_id).first()
        if task is None:
            log.warning("render of a deleted task skipped", extra={"task_id": task_id})
            return
        row = BlueprintRecord.objects.filter(task_id=task_id).first()
        env = job_environment(
            task_id=task_id, user_id=task.user_id, blueprint=row.blueprint_json if row else None
        )
    finally:
        # Sync tasks run in worker threads: do not leave a connection open per thread.
        connection.close()
    # The job runs in a process group of its own; whatever it leaves running when it ends
    # (however it ends) is killed with it. It dies with its worker too: a worker killed
    # mid-render leaves no orphan racing the retry that another worker makes.
    job = subprocess.Popen(
        dies_with_parent([sys.executable, "-m", "bachata.jobs"]), env=env, start_new_session=True
    )
    try:
        returncode = job.wait()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(job.pid, signal.SIGKILL)
        job.wait()
    if returncode not in FINAL_EXIT_CODES:
        raise RenderCrashed(f"render job for {task_id} exited with {returncode}")


@app.periodic(cron="*/1 * * * *", periodic_id="requeue_stalled")
@app.task(
    name="requeue_stalled_renders", queueing_lock="requeue_stalled_renders", queue=RENDER_QUEUE
)
async def requeue_stalled_renders(timestamp: int) -> int:
    """Put renders whose worker died (no heartbeat) back in the queue."""
    jobs = await app.job_manager.get_stalled_jobs(
        task_name=RENDER_TASK,
        seconds_since_heartbeat=settings.STALLED_WORKER_SECONDS,
    )
    for job in jobs:
        log.warning("requeueing a stalled render", extra={"job_id": job.id})
        await app.job_manager.retry_job(job)
    return len(jobs)


@app.periodic(cron="17 3 * * *", periodic_id="prune_blueprints")
@app.task(name="prune_blueprints", queueing_lock="prune_blueprints", queue=RENDER_QUEUE)
def prune_blueprints(timestamp: int) -> int:
    """Scheduled retention: prune when BACHATA_BLUEPRINT_RETENTION_DAYS is set (> 0)."""
    from datetime import timedelta

    from bachata.choreography.services import blueprints_prune

    days = settings.BLUEPRINT_RETENTION_DAYS
    if days <= 0:
        return 0
    try:
        return blueprints_prune(older_than=timedelta(days=days)).deleted
    finally:
        connection.close()  # a sync task's thread: leave no connection open


@app.periodic(cron="*/1 * * * *", periodic_id="compact_analytics")
@app.task(name="compact_analytics", queueing_lock="compact_analytics", queue=RENDER_QUEUE)
def compact_analytics(timestamp: int) -> int:
    """Fold the analytics deltas into their rollups (see migration 0015)."""
    from bachata.choreography.services import analytics_compact

    try:
        return analytics_compact()
    finally:
        connection.close()
