"""The render job as a real process: environment contract, status, atomic output, kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.db import connection

from bachata.blueprint import OutputConfig
from bachata.choreography import services
from bachata.choreography.models import BlueprintRecord, ChoreographyTask
from bachata.moves.probe import probe_clip

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgresql://{quote(s['USER'])}:{quote(s['PASSWORD'])}@/{s['NAME']}"
        f"?host={quote(s['HOST'])}&port={s['PORT'] or 5432}"
    )


@pytest.fixture
def task_factory(tiny_library, audio_dir, data_root, user):
    services.moves_import(path=tiny_library)
    song, _ = services.song_add(path=audio_dir / "song.mp3", title="Job song")

    def make(resolution="256x144", **kwargs):
        return services.choreography_create(
            user=user,
            song=song,
            difficulty="intermediate",
            energy_level="medium",
            style="modern",
            seed=1,
            output_config=OutputConfig(resolution=resolution),
            **kwargs,
        )

    return make


def job_env(task, data_root, *, blueprint=True, **extra):
    env = {
        **os.environ,
        "TASK_ID": task.task_id,
        "USER_ID": str(task.user_id),
        "DATABASE_URL": database_url(),
        "BACHATA_DATA_DIR": str(data_root),
        "BACHATA_LOG_FORMAT": "json",
    }
    if blueprint:
        env["BLUEPRINT_JSON"] = json.dumps(BlueprintRecord.objects.get(task=task).blueprint_json)
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _processes_using(folder) -> list[str]:
    """Command lines of running processes that name ``folder`` (ffmpeg of a render)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (proc / "stat").read_text().split(") ")[1][0]
        except (OSError, IndexError, ValueError):
            continue
        if str(folder) in cmdline and "ffmpeg" in cmdline and state != "Z":
            found.append(cmdline)
    return found


def run_job(env):
    return subprocess.run(
        [sys.executable, "-m", "bachata.jobs"], env=env, capture_output=True, text=True, timeout=300
    )


def test_job_renders_and_completes_the_task(task_factory, data_root):
    task = task_factory()
    stored = BlueprintRecord.objects.get(task=task)
    result = run_job(job_env(task, data_root))
    assert result.returncode == 0, result.stderr
    task.refresh_from_db()
    assert task.status == "completed" and task.progress == 100 and task.stage == "done"
    assert task.output_video_uri == f"choreographies/{task.task_id}.mp4"
    assert result.stdout.strip() == task.output_video_uri
    assert task.attempts == 1 and task.started_at <= task.finished_at
    assert task.render_stats["frames"] > 0 and "clips" in task.render_stats["stages"]
    video = data_root / task.output_video_uri
    blueprint_doc = stored.blueprint_json
    assert abs(probe_clip(video).duration - blueprint_doc["total_duration"]) <= 1 / 30
    again = BlueprintRecord.objects.get(task=task)
    assert (again.blueprint_json, again.updated_at) == (blueprint_doc, stored.updated_at)
    assert not (data_root / "cache" / "work" / task.task_id).exists()


def _watch_render(monkeypatch, at_stage, look):
    """Run ``look(stream)`` once, inside the job's real render, when it reaches
    ``at_stage``: the render is then still running (its MP4 is not written yet)."""
    from bachata.jobs import rendering

    real = rendering.render_blueprint
    seen = {}

    def watched(blueprint, **kwargs):
        report = kwargs["progress"]

        def progress(stage, fraction):
            if stage == at_stage and not seen:
                seen.update(look(kwargs["stream"]))
            report(stage, fraction)

        return real(blueprint, **{**kwargs, "progress": progress})

    monkeypatch.setattr(rendering, "render_blueprint", watched)
    return seen


def _wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_stream_is_offered_while_the_render_runs_and_removed_after(
    task_factory, data_root, monkeypatch
):
    from bachata.jobs import entrypoint

    task = task_factory()
    moves = len(BlueprintRecord.objects.get(task=task).blueprint_json["moves"])

    def look(stream):
        _wait_for(lambda: stream.published == moves)
        row = ChoreographyTask.objects.get(pk=task.pk)
        playlist = (data_root / row.stream_uri).read_text()
        segments = sorted(p.name for p in (data_root / "streams" / task.task_id).glob("*.ts"))
        return {"row": row, "playlist": playlist, "segments": segments}

    seen = _watch_render(monkeypatch, "join", look)
    assert entrypoint.run(job_env(task, data_root)) == 0
    assert seen["row"].status == "running" and not seen["row"].output_video_uri
    assert seen["row"].stream_uri == f"streams/{task.task_id}/index.m3u8"
    assert seen["playlist"].count("#EXTINF:") == moves
    assert seen["playlist"].rstrip().endswith("#EXT-X-ENDLIST")
    assert seen["segments"] == [f"seg-{i:05d}.ts" for i in range(moves)]
    task.refresh_from_db()
    assert task.status == "completed" and task.stream_uri == ""
    assert list((data_root / "streams").rglob("*.*")) == []  # the MP4 replaces the stream


def test_without_blueprint_json_the_job_loads_it_by_task_id(task_factory, data_root):
    task = task_factory()
    result = run_job(job_env(task, data_root, blueprint=False))
    assert result.returncode == 0, result.stderr
    task.refresh_from_db()
    assert task.status == "completed"


def test_a_completed_task_is_not_rendered_again(task_factory, data_root):
    """A worker killed after the render but before the queue knew leaves the job to be
    retried: the retry must not render (and overwrite) the finished video again."""
    task = task_factory()
    assert run_job(job_env(task, data_root)).returncode == 0
    task.refresh_from_db()
    video = data_root / task.output_video_uri
    first = (task.attempts, task.finished_at, video.stat().st_mtime_ns)
    again = run_job(job_env(task, data_root, BACHATA_LOG_FORMAT=None))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == task.output_video_uri
    # Logs are for people unless BACHATA_LOG_FORMAT=json (the documented default).
    line = next(x for x in again.stderr.splitlines() if "render skipped" in x)
    assert not line.lstrip().startswith("{"), line
    task.refresh_from_db()
    assert task.status == "completed"
    assert (task.attempts, task.finished_at, video.stat().st_mtime_ns) == first


def test_missing_task_id_exits_2_with_one_line(data_root):
    env = {**os.environ, "DATABASE_URL": database_url(), "BACHATA_DATA_DIR": str(data_root)}
    env.pop("TASK_ID", None)
    result = run_job(env)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: TASK_ID is not set"


@pytest.mark.parametrize(
    ("blueprint_json", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('{"task_id": "x"}', "blueprint is invalid"),
    ],
)
def test_bad_blueprint_fails_the_task_with_the_reason(
    task_factory, data_root, blueprint_json, reason
):
    task = task_factory()
    stored = BlueprintRecord.objects.get(task=task).blueprint_json
    result = run_job(job_env(task, data_root, BLUEPRINT_JSON=blueprint_json))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and reason in lines[-1]
    task.refresh_from_db()
    assert task.status == "failed" and reason in task.error_message
    assert "\n" not in task.error_message
    assert BlueprintRecord.objects.get(task=task).blueprint_json == stored
    assert not (data_root / "choreographies").exists()


def test_blueprint_of_another_task_or_user_is_refused(task_factory, data_root):
    first, second = task_factory(), task_factory()
    other_blueprint = json.dumps(BlueprintRecord.objects.get(task=second).blueprint_json)
    result = run_job(job_env(first, data_root, BLUEPRINT_JSON=other_blueprint))
    assert result.returncode == 1 and "not " + first.task_id in result.stderr
    result = run_job(job_env(first, data_root, USER_ID="999999"))
    assert result.returncode == 1 and "does not own" in result.stderr
    second.refresh_from_db()
    assert second.status == "pending"  # the other task is untouched


def test_unknown_task_fails_cleanly(data_root):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BACHATA_DATA_DIR": str(data_root),
        "TASK_ID": "00000000-0000-4000-8000-000000000000",
    }
    result = run_job(env)
    assert result.returncode == 1 and "no task" in result.stderr


def test_killed_mid_render_leaves_nothing_and_a_retry_completes(task_factory, data_root):
    task = task_factory(resolution="1920x1080")
    stored = BlueprintRecord.objects.get(task=task)
    env = job_env(task, data_root)
    process = subprocess.Popen(
        [sys.executable, "-m", "bachata.jobs"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        row = ChoreographyTask.objects.values("stage", "progress").get(pk=task.pk)
        if row["stage"] == "clips" and row["progress"] >= 10:
            break
        assert process.poll() is None, "the render finished before it could be killed"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Its ffmpeg dies with it at once (no encoder left running for nobody).
    for _ in range(10):
        left = _processes_using(data_root)
        if not left:
            break
        time.sleep(0.05)
    assert left == []
    task.refresh_from_db()
    assert task.status == "running" and task.output_video_uri == ""
    output_dir = data_root / "choreographies"
    assert not output_dir.exists() or list(output_dir.iterdir()) == []
    after = BlueprintRecord.objects.get(task=task)
    assert (after.blueprint_json, after.updated_at) == (stored.blueprint_json, stored.updated_at)

    retry = run_job(env)
    assert retry.returncode == 0, retry.stderr
    task.refresh_from_db()
    assert task.status == "completed" and task.attempts == 2
    assert [p.name for p in output_dir.iterdir()] == [f"{task.task_id}.mp4"]
    assert not (data_root / "cache" / "work" / task.task_id).exists()


def test_job_on_google_cloud_storage(render_root, data_root, user, tmp_path, monkeypatch):
    """Production layout: clips and song read from gs://, the video uploaded to gs://,
    and the preview stream uploaded as it is written (the render waits, at its join, for
    the whole stream to be out, so the test can check every request)."""
    from bachata.blueprint import parse_blueprint
    from bachata.jobs import entrypoint
    from bachata.storage import GCSStorage
    from tests.conftest import make_blueprint
    from tests.fakes.gcs_server import FakeGCSServer, client_for, object_path, uploaded_name

    bucket = "bachata-buddy-videos"
    with FakeGCSServer() as fake:
        gcs = GCSStorage(bucket, tmp_path / "upload-cache", client=client_for(fake))
        data = make_blueprint(render_root, user_id=user.pk).to_json_dict()
        data["song"]["audio_path"] = gcs.put("songs", "song.mp3", render_root / "songs/song.mp3")
        for move in data["moves"]:
            name = move["video_path"].removeprefix("Bachata_steps/")
            move["video_path"] = f"gs://{bucket}/moves/{name}"
            if (bucket, f"moves/{name}") not in fake.objects:
                gcs.put("moves", name, render_root / "Bachata_steps" / name)
        task = services.task_create(user=user, song=None, blueprint=parse_blueprint(data))
        fake.requests.clear()
        env = job_env(task, data_root, BACHATA_STORAGE="gcs", BACHATA_GCS_BUCKET=bucket)
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", fake.url)
        moves = len(data["moves"])
        _watch_render(monkeypatch, "join", lambda s: _wait_for(lambda: s.published == moves) or {})
        assert entrypoint.run(env) == 0
        task.refresh_from_db()
        key = f"choreographies/{task.task_id}.mp4"
        assert task.status == "completed" and task.output_video_uri == f"gs://{bucket}/{key}"
        uploads = [r for r in fake.requests if r.path.startswith("/upload/")]
        assert {r.path for r in uploads} == {f"/upload/storage/v1/b/{bucket}/o"}
        names = [uploaded_name(r) for r in uploads]
        assert names.count(key) == 1 and names[-1] == key
        # The preview stream went up as it was written: each segment, then the playlist
        # naming it; once the video was stored every stream object was deleted.
        stream = f"streams/{task.task_id}/"
        segments = [f"{stream}seg-{i:05d}.ts" for i in range(len(data["moves"]))]
        assert [n for n in names if n.endswith(".ts")] == segments
        assert names[:-1] == [x for s in segments for x in (s, f"{stream}index.m3u8")]
        deleted = {unquote(r.path) for r in fake.requests if r.method == "DELETE"}
        assert deleted == {unquote(object_path(bucket, n)) for n in set(names[:-1])}
        assert not [name for (_, name) in fake.objects if name.startswith("streams/")]
        video = tmp_path / "downloaded.mp4"
        video.write_bytes(fake.objects[(bucket, key)][0])
        assert abs(probe_clip(video).duration - data["total_duration"]) <= 1 / 30
        downloads = {r.path for r in fake.requests if r.query.get("alt") == "media"}
        distinct_sources = {m["video_path"] for m in data["moves"]} | {data["song"]["audio_path"]}
        assert len(downloads) == len(distinct_sources)  # each object fetched once
    assert not (data_root / "choreographies").exists()  # nothing written locally


def test_a_render_past_its_time_limit_fails_for_good(task_factory, data_root, monkeypatch):
    from bachata.jobs import entrypoint

    task = task_factory(resolution="1920x1080")
    monkeypatch.setattr(entrypoint, "render_deadline_s", lambda frames: 1)
    env = job_env(task, data_root)
    assert entrypoint.run(env) == 1
    task.refresh_from_db()
    assert task.status == "failed" and "1 s limit" in task.error_message
    assert not (data_root / "choreographies").exists() or not any(
        (data_root / "choreographies").iterdir()
    )
    assert _processes_using(data_root) == []
