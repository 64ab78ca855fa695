"""Dispatch a render as a Google Cloud Run Job execution with environment overrides.

The execution runs the job image's entrypoint (``bachata job``) with ``TASK_ID``,
``USER_ID`` and, when it fits the limit, ``BLUEPRINT_JSON``; a larger blueprint is
passed by task id alone and the job loads it from the database.
"""

from __future__ import annotations

from typing import Any

from bachata.errors import BachataError
from bachata.jobs.environment import ENV_LIMIT_BYTES, job_contract


def build_run_request(
    *,
    job_name: str,
    task_id: str,
    user_id: int,
    blueprint_json: str,
    env_limit: int = ENV_LIMIT_BYTES,
) -> Any:
    """The ``RunJobRequest`` that starts one render of ``task_id``."""
    from google.cloud import run_v2

    if not job_name.startswith("projects/") or "/jobs/" not in job_name:
        raise BachataError(
            "BACHATA_CLOUD_RUN_JOB must be projects/PROJECT/locations/REGION/jobs/JOB"
        )
    contract = job_contract(
        task_id=task_id, user_id=user_id, blueprint=blueprint_json, limit=env_limit
    )
    env = [run_v2.EnvVar(name=name, value=value) for name, value in contract.items()]
    overrides = run_v2.RunJobRequest.Overrides(
        container_overrides=[run_v2.RunJobRequest.Overrides.ContainerOverride(env=env)],
        task_count=1,
    )
    return run_v2.RunJobRequest(name=job_name, overrides=overrides)


def start_execution(request: Any, *, client: Any | None = None) -> str:
    """Send the request; return the execution's name (does not wait for the render)."""
    if client is None:
        from google.cloud import run_v2

        client = run_v2.JobsClient()
    operation = client.run_job(request=request)
    metadata = getattr(operation, "metadata", None)
    return str(getattr(metadata, "name", "") or "")
