"""Sending a task's render to the backend named by JOB_BACKEND."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import transaction

from bachata.choreography.models import Blueprint, ChoreographyTask
from bachata.errors import BachataError

log = logging.getLogger(__name__)


def dispatch_render(task: ChoreographyTask) -> None:
    """Queue the render of ``task``.

    ``local``: a job on the PostgreSQL queue, written in the caller's transaction, so a
    task never exists without its queued render (and vice versa). ``cloudrun``: a Cloud
    Run Job execution, started once the transaction has committed.
    """
    backend = settings.JOB_BACKEND
    if backend == "local":
        from bachata.choreography.tasks import render_choreography

        render_choreography.defer(task_id=task.task_id)
    elif backend == "cloudrun":
        task_id, user_id = task.task_id, task.user_id
        transaction.on_commit(lambda: _start_cloud_run(task_id, user_id))
    else:
        raise BachataError(f"JOB_BACKEND={backend!r}: use 'local' or 'cloudrun'")


def _start_cloud_run(task_id: str, user_id: int) -> None:
    from bachata.jobs.cloudrun import build_run_request, start_execution

    blueprint = Blueprint.objects.get(task_id=task_id).blueprint_json
    request = build_run_request(
        job_name=settings.CLOUD_RUN_JOB,
        task_id=task_id,
        user_id=user_id,
        blueprint_json=json.dumps(blueprint, ensure_ascii=False, separators=(",", ":")),
        env_limit=settings.JOB_ENV_BLUEPRINT_LIMIT,
    )
    execution = start_execution(request)
    log.info("cloud run execution started", extra={"task_id": task_id, "execution": execution})
