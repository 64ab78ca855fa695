"""Sending a task's render to the backend named by JOB_BACKEND."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from procrastinate.contrib.django import app

from bachata.choreography.models import BlueprintRecord, ChoreographyTask
from bachata.errors import BachataError
from bachata.jobs.environment import blueprint_text

#: The queued task that runs a render (defined in bachata.choreography.tasks), and its queue.
RENDER_TASK = "render_choreography"
RENDER_QUEUE = "renders"

log = logging.getLogger(__name__)


def dispatch_render(task: ChoreographyTask) -> None:
    """Queue the render of ``task``.

    ``local``: a job on the PostgreSQL queue, written in the caller's transaction, so a
    task never exists without its queued render (and vice versa). ``cloudrun``: a Cloud
    Run Job execution, started once the transaction has committed.
    """
    backend = settings.JOB_BACKEND
    if backend == "local":
        # Queued by name: this module does not import the worker's side (the task runs
        # the job, which reaches back into services).
        app.configure_task(RENDER_TASK, queue=RENDER_QUEUE).defer(task_id=task.task_id)
    elif backend == "cloudrun":
        task_id, user_id = task.task_id, task.user_id
        transaction.on_commit(lambda: _start_cloud_run(task_id, user_id))
    else:
        raise BachataError(f"JOB_BACKEND={backend!r}: use 'local' or 'cloudrun'")


def _start_cloud_run(task_id: str, user_id: int) -> None:
    from bachata.jobs.cloudrun import build_run_request, start_execution

    blueprint = BlueprintRecord.objects.get(task_id=task_id).blueprint_json
    request = build_run_request(
        job_name=settings.CLOUD_RUN_JOB,
        task_id=task_id,
        user_id=user_id,
        blueprint_json=blueprint_text(blueprint),
        env_limit=settings.JOB_ENV_BLUEPRINT_LIMIT,
    )
    execution = start_execution(request)
    log.info("cloud run execution started", extra={"task_id": task_id, "execution": execution})
