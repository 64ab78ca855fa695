"""Faults, each asserting that nothing is lost: database restarts, unwritable or full disks."""

from __future__ import annotations

import errno
import threading
import time

import psycopg
import pytest

from bachata.config import Config
from bachata.database import embedded_start, embedded_stop
from bachata.jobs.status import TaskStore


@pytest.fixture
def scratch_server(tmp_path):
    """A throw-away embedded PostgreSQL with the task table, to restart at will."""
    config = Config(data_dir=tmp_path, database_url=None, pgdata=tmp_path / "pg", db_name="faults")
    status = embedded_start(config)
    url = status.url("faults")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("""
            CREATE TABLE choreography_tasks (
                task_id VARCHAR(36) PRIMARY KEY, user_id INTEGER NOT NULL,
                status VARCHAR(10) NOT NULL DEFAULT 'pending', stage VARCHAR(40) DEFAULT '',
                progress SMALLINT DEFAULT 0, error_message TEXT DEFAULT '',
                attempts SMALLINT DEFAULT 0, output_video_uri VARCHAR(1024) DEFAULT '',
                stream_uri VARCHAR(1024) DEFAULT '',
                render_stats JSONB DEFAULT '{}', started_at TIMESTAMPTZ,
                finished_at TIMESTAMPTZ)""")
        conn.execute("INSERT INTO choreography_tasks (task_id, user_id) VALUES ('t-1', 7)")
    yield config, url
    embedded_stop(config)


def test_status_updates_survive_a_database_restart(scratch_server):
    config, url = scratch_server
    store = TaskStore(url, retry_seconds=60)
    assert store.start("t-1").attempts == 1
    embedded_stop(config)  # the database goes away mid-render...
    restarted = threading.Timer(1.5, lambda: embedded_start(config))
    restarted.start()
    started = time.monotonic()
    store.progress("t-1", "clips", 40)  # ...and the job keeps retrying until it is back
    assert time.monotonic() - started >= 1.0
    store.complete("t-1", "choreographies/t-1.mp4", {"frames": 10})
    restarted.join()
    store.close()
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT status, progress, output_video_uri, attempts FROM choreography_tasks"
        ).fetchone()
    assert row == ("completed", 100, "choreographies/t-1.mp4", 1)


def test_status_update_gives_up_with_a_clear_error_when_the_database_stays_down(scratch_server):
    config, url = scratch_server
    store = TaskStore(url, retry_seconds=1)
    embedded_stop(config)
    with pytest.raises(psycopg.OperationalError):
        store.progress("t-1", "clips", 10)
    embedded_start(config)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", ["unwritable", "disk_full"])
def test_output_failures_fail_the_task_cleanly(
    fault, tiny_library, audio_dir, data_root, user, monkeypatch, capsys
):
    from django.db import connection

    from bachata.blueprint import OutputConfig
    from bachata.choreography import services
    from bachata.choreography.models import BlueprintRecord, ChoreographyTask
    from bachata.database import url_from_django
    from bachata.jobs.entrypoint import run
    from bachata.storage import local

    services.moves_import(path=tiny_library)
    song, _ = services.song_add(path=audio_dir / "song.wav")
    task = services.choreography_create(
        user=user,
        song=song,
        difficulty="beginner",
        energy_level="low",
        style="modern",
        seed=1,
        render=False,
        output_config=OutputConfig(resolution="256x144"),
    )
    stored = BlueprintRecord.objects.get(task=task).blueprint_json
    if fault == "unwritable":
        (data_root / "choreographies").write_text("a file where the folder should be")
    else:

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(local.os, "replace", full)
        monkeypatch.setattr(local.shutil, "copyfileobj", full)
    env = {
        "TASK_ID": task.task_id,
        "USER_ID": str(user.pk),
        "DATABASE_URL": url_from_django(connection.settings_dict),
        "BACHATA_DATA_DIR": str(data_root),
    }
    assert run(env) == 3  # worth another attempt: the worker retries
    task = ChoreographyTask.objects.get(pk=task.pk)
    assert task.status == "failed" and task.output_video_uri == ""
    expected = "File exists" if fault == "unwritable" else "No space left on device"
    assert expected in task.error_message or "Not a directory" in task.error_message
    assert "\n" not in task.error_message
    assert capsys.readouterr().err.strip().startswith("error: ")
    assert BlueprintRecord.objects.get(task=task).blueprint_json == stored
    videos = [p for p in data_root.rglob("*.mp4") if "choreographies" in p.parts]
    assert videos == []
    assert not (data_root / "cache" / "work" / task.task_id).exists()
