"""The render job's environment contract, built in one place for every backend.

A job gets ``TASK_ID``, ``USER_ID`` and, when it fits the backend's limit, the
blueprint as ``BLUEPRINT_JSON`` (compact JSON); a larger blueprint is left out and the
job loads it from the database by ``TASK_ID`` (see :mod:`bachata.jobs.entrypoint`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bachata.blueprint import Blueprint, PathPolicy, parse_blueprint

if TYPE_CHECKING:
    from bachata.config import Config

#: Cloud Run allows 32 KiB per environment variable value.
ENV_LIMIT_BYTES = 32 * 1024


def blueprint_text(blueprint: dict[str, Any] | str) -> str:
    """The blueprint as the compact JSON a job reads.

    >>> blueprint_text({"task_id": "t", "moves": []})
    '{"task_id":"t","moves":[]}'
    """
    if isinstance(blueprint, str):
        return blueprint
    return json.dumps(blueprint, ensure_ascii=False, separators=(",", ":"))


def job_contract(
    *,
    task_id: str,
    user_id: int,
    blueprint: dict[str, Any] | str | None,
    limit: int = ENV_LIMIT_BYTES,
) -> dict[str, str]:
    """``TASK_ID``, ``USER_ID`` and ``BLUEPRINT_JSON`` (only if at most ``limit`` bytes).

    >>> job_contract(task_id="t", user_id=7, blueprint={"a": 1})
    {'TASK_ID': 't', 'USER_ID': '7', 'BLUEPRINT_JSON': '{"a":1}'}
    >>> job_contract(task_id="t", user_id=7, blueprint={"a": 1}, limit=3)
    {'TASK_ID': 't', 'USER_ID': '7'}
    """
    env = {"TASK_ID": task_id, "USER_ID": str(user_id)}
    if blueprint is not None:
        text = blueprint_text(blueprint)
        if len(text.encode()) <= limit:
            env["BLUEPRINT_JSON"] = text
    return env


def read_blueprint(raw: Blueprint | str | bytes | dict[str, Any], config: Config) -> Blueprint:
    """A blueprint as this deployment accepts it: within its size limit, every path
    inside its data folder or bucket (:class:`~bachata.blueprint.PathPolicy`).

    Raises
    ------
    BlueprintInvalid
        When the document is malformed, too large or points elsewhere.
    """
    return parse_blueprint(
        raw, path_policy=PathPolicy.from_config(config), max_bytes=config.max_blueprint_bytes
    )
