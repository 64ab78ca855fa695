"""Cloud Run dispatch: the exact RunJobRequest the official client would send."""

from __future__ import annotations

import json

import pytest
from google.cloud import run_v2

from bachata.jobs.cloudrun import build_run_request, start_execution

JOB = "projects/bachata-buddy/locations/europe-west1/jobs/render"


def _env(request):
    (override,) = request.overrides.container_overrides
    return {var.name: var.value for var in override.env}


def test_request_carries_the_env_contract():
    blueprint = json.dumps({"task_id": "t", "moves": []})
    request = build_run_request(job_name=JOB, task_id="t-1", user_id=47, blueprint_json=blueprint)
    assert isinstance(request, run_v2.RunJobRequest)
    assert request.name == JOB and request.overrides.task_count == 1
    assert _env(request) == {"TASK_ID": "t-1", "USER_ID": "47", "BLUEPRINT_JSON": blueprint}


def test_large_blueprint_goes_by_task_id_alone():
    big = json.dumps({"moves": ["x" * 100] * 400})
    assert len(big) > 32 * 1024
    request = build_run_request(job_name=JOB, task_id="t-2", user_id=1, blueprint_json=big)
    assert _env(request) == {"TASK_ID": "t-2", "USER_ID": "1"}


def test_bad_job_name_is_a_clear_error():
    with pytest.raises(Exception, match="projects/PROJECT/locations/REGION/jobs/JOB"):
        build_run_request(job_name="render", task_id="t", user_id=1, blueprint_json="{}")


class FakeJobsClient:
    def __init__(self):
        self.requests = []

    def run_job(self, request):
        self.requests.append(request)

        class Operation:
            metadata = run_v2.Execution(name=f"{JOB}/executions/render-abc12")

        return Operation()


def test_start_execution_returns_the_execution_name():
    client = FakeJobsClient()
    request = build_run_request(job_name=JOB, task_id="t", user_id=1, blueprint_json="{}")
    assert start_execution(request, client=client) == f"{JOB}/executions/render-abc12"
    assert client.requests == [request]


@pytest.mark.django_db
def test_generate_with_cloudrun_backend_sends_one_request_after_commit(
    settings,
    monkeypatch,
    tiny_library,
    audio_dir,
    data_root,
    user,
    django_capture_on_commit_callbacks,
):
    from bachata.choreography import services
    from bachata.choreography.models import BlueprintRecord

    settings.JOB_BACKEND = "cloudrun"
    settings.CLOUD_RUN_JOB = JOB
    client = FakeJobsClient()
    monkeypatch.setattr(run_v2, "JobsClient", lambda: client)
    services.moves_import(path=tiny_library)
    song, _ = services.song_add(path=audio_dir / "song.wav")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        task = services.choreography_create(
            user=user, song=song, difficulty="beginner", energy_level="low", style="modern", seed=1
        )
        assert client.requests == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    (request,) = client.requests
    env = _env(request)
    assert request.name == JOB
    assert env["TASK_ID"] == task.task_id and env["USER_ID"] == str(user.pk)
    assert (
        json.loads(env["BLUEPRINT_JSON"]) == BlueprintRecord.objects.get(task=task).blueprint_json
    )
