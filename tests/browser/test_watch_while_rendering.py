"""Watching a video while it is made, in Chromium: the waiting page plays the growing
stream before the render has finished, then the practice player takes over from there.

The render job runs for real in its own process. It is held at its join stage (every
piece made, the MP4 not yet written) until the browser has played the stream, so the
test does not depend on how fast this machine renders.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bachata.blueprint import OutputConfig
from bachata.choreography import services
from tests.browser.pages import accessibility_problems, shot, sign_up

pytestmark = pytest.mark.django_db(transaction=True)

#: Runs the render job, holding it at the join until the file named by argv[1] exists.
HELD_JOB = """
import sys, time
from pathlib import Path
from bachata.jobs import entrypoint, rendering

release, real = Path(sys.argv[1]), rendering.render_blueprint

def held(blueprint, **kwargs):
    report = kwargs["progress"]
    def progress(stage, fraction):
        while stage == "join" and not release.exists():
            time.sleep(0.05)
        report(stage, fraction)
    return real(blueprint, **{**kwargs, "progress": progress})

rendering.render_blueprint = held
entrypoint.main()
"""


def test_the_stream_plays_before_the_render_is_done(
    browser, live_server, tiny_library, audio_dir, data_root, tmp_path
):
    from django.contrib.auth.models import User
    from django.db import connection

    from bachata.database import url_from_django

    services.moves_import(path=tiny_library)
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    sign_up(page, live_server.url, "nina")
    song, _ = services.song_add(path=audio_dir / "song.mp3", title="Mientras")
    task = services.choreography_create(
        user=User.objects.get(username="nina"),
        song=song,
        difficulty="beginner",
        energy_level="medium",
        style="modern",
        seed=2,
        output_config=OutputConfig(resolution="256x144"),
    )
    page.goto(f"{live_server.url}/choreographies/{task.task_id}/")
    assert page.is_hidden("#preview")

    release = tmp_path / "release"
    env = {
        **os.environ,
        "TASK_ID": task.task_id,
        "USER_ID": str(task.user_id),
        "DATABASE_URL": url_from_django(connection.settings_dict),
        "BACHATA_DATA_DIR": str(data_root),
    }
    job = subprocess.Popen(
        [sys.executable, "-c", HELD_JOB, str(release)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The dancer watches the first moves while the render is still running.
        page.wait_for_selector("#preview-video", state="visible", timeout=60_000)
        page.wait_for_function(
            "document.getElementById('preview-video').currentTime > 1.5", timeout=60_000
        )
        watched = page.eval_on_selector("#preview-video", "v => v.currentTime")
        assert page.eval_on_selector("#preview-video", "v => !v.paused && !v.error")
        task.refresh_from_db()
        assert task.status == "running" and task.output_video_uri == ""
        assert job.poll() is None, "the render must still be running"
        assert page.text_content("#status") == "running"
        shot(page, "11-watch-while-made")
        assert accessibility_problems(page) == []

        release.touch()
        _out, err = job.communicate(timeout=120)
        assert job.returncode == 0, err
    finally:
        if job.poll() is None:
            job.kill()
            job.wait()
    task.refresh_from_db()
    assert task.status == "completed" and task.stream_uri == ""
    assert not any((data_root / "streams").rglob("*.ts"))

    # The finished video replaces the stream, and practice goes on where it was.
    page.wait_for_selector("#practice", timeout=30_000)
    page.wait_for_function(
        f"document.getElementById('video').currentTime >= {watched}", timeout=30_000
    )
    assert page.is_hidden("#preview-video")
