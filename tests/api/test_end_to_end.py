"""Generate through the API, render through the local queue and worker, download the video."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from bachata.choreography.models import ChoreographyTask
from bachata.cli.worker import run_worker
from bachata.moves.probe import probe_clip

pytestmark = pytest.mark.django_db(transaction=True)


def test_generate_render_and_download(api, other_api, generated, data_root, tmp_path):
    task_id = generated["task_id"]
    run_worker(concurrency=1, once=True)
    status = api.get(f"/api/choreographies/{task_id}/").json()
    assert status["status"] == "completed" and status["progress"] == 100, status
    assert status["video_url"].endswith(f"/api/choreographies/{task_id}/video/")
    response = api.get(f"/api/choreographies/{task_id}/video/")
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    body = b"".join(response.streaming_content)
    assert body == (data_root / f"choreographies/{task_id}.mp4").read_bytes()
    video = tmp_path / "downloaded.mp4"
    video.write_bytes(body)
    assert probe_clip(video).width == 256
    # Seeking: the player asks for byte ranges and gets exactly those bytes.
    part = api.get(f"/api/choreographies/{task_id}/video/", HTTP_RANGE="bytes=1000-1999")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-1999/{len(body)}"
    assert b"".join(part.streaming_content) == body[1000:2000]
    assert other_api.get(f"/api/choreographies/{task_id}/video/").status_code == 404
    assert (
        other_api.get(f"/api/choreographies/{task_id}/video/", HTTP_RANGE="bytes=0-10").status_code
        == 404
    )
    from django.test import Client

    web = Client()
    web.force_login(ChoreographyTask.objects.get(pk=task_id).user)
    thumb = web.get(f"/choreographies/{task_id}/thumbnail.jpg")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    jpeg = b"".join(thumb.streaming_content)
    assert jpeg[:2] == b"\xff\xd8"  # a JPEG: a frame of the first move
    assert (data_root / "cache" / "thumbnails" / f"{task_id}.jpg").exists()
    # The API has its own route to it (the collection links there), for the owner only.
    api_thumb = api.get(f"/api/choreographies/{task_id}/thumbnail/")
    assert api_thumb.status_code == 200 and b"".join(api_thumb.streaming_content) == jpeg
    assert other_api.get(f"/api/choreographies/{task_id}/thumbnail/").status_code == 404
    saved = api.post("/api/collection/", {"task_id": task_id, "title": "x"}, format="json")
    assert saved.json()["thumbnail_url"].endswith(f"/api/choreographies/{task_id}/thumbnail/")
    assert (
        task_id not in response["Content-Disposition"]
        or "inline" in response["Content-Disposition"]
    )


def test_renders_of_a_killed_worker_run_after_restart(api, generated, data_root, settings):
    """kill -9 the worker (and its render) mid-job: the job is requeued and completes."""
    env = {
        **os.environ,
        "BACHATA_DATA_DIR": str(data_root),
        "BACHATA_STALLED_WORKER_SECONDS": "2",
        "DATABASE_URL": _url(),
    }
    # A slower render, so there is time to kill it.
    from bachata.choreography import services

    slow = services.choreography_regenerate(
        user=ChoreographyTask.objects.get(pk=generated["task_id"]).user,
        source_task_id=generated["task_id"],
        output_config={"resolution": "960x540"},
    )
    ChoreographyTask.objects.filter(pk=generated["task_id"]).delete()
    worker = subprocess.Popen(
        [sys.executable, "-m", "bachata.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while ChoreographyTask.objects.get(pk=slow.pk).status != "running":
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    time.sleep(3)  # longer than BACHATA_STALLED_WORKER_SECONDS: the worker is dead
    settings.STALLED_WORKER_SECONDS = 2
    run_worker(concurrency=1, once=True)
    slow.refresh_from_db()
    assert (slow.status, slow.attempts) == ("completed", 2)
    assert [p.name for p in (data_root / "choreographies").iterdir()] == [f"{slow.task_id}.mp4"]


def _url() -> str:
    from django.db import connection

    from bachata.database import url_from_django

    return url_from_django(connection.settings_dict)


def test_a_render_that_may_pass_later_is_retried(generated, data_root, settings):
    """A full disk on the first attempt, room on the second: the worker retries it."""
    from bachata.choreography.tasks import RenderCrashed, render_choreography

    blocker = data_root / "choreographies"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(RenderCrashed, match="exited with 3"):
        render_choreography(generated["task_id"])  # what the worker runs, one attempt
    task = ChoreographyTask.objects.get(pk=generated["task_id"])
    assert task.status == "failed" and "internal error" in task.error_message
    blocker.unlink()
    render_choreography(generated["task_id"])
    task.refresh_from_db()
    assert task.status == "completed" and task.attempts == 2
