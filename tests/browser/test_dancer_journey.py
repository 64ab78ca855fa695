"""A dancer's journey in a real browser: Playwright driving Debian's Chromium.

Sign up, upload a song, generate, watch the video play, find it in history; a second
user gets 404 on it. Screenshots of every page land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bachata.choreography import services
from bachata.choreography.models import ChoreographyTask
from tests.browser.pages import accessibility_problems, shot, sign_up

pytestmark = pytest.mark.django_db(transaction=True)


def _work_queue(data_root: Path) -> None:
    from django.db import connection

    from bachata.database import url_from_django

    env = {
        **os.environ,
        "DATABASE_URL": url_from_django(connection.settings_dict),
        "BACHATA_DATA_DIR": str(data_root),
    }
    subprocess.run(
        [sys.executable, "-m", "bachata.cli", "worker", "--once"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_dancer_journey(browser, live_server, tiny_library, audio_dir, data_root):
    services.moves_import(path=tiny_library)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    sign_up(page, base, "lucia")
    shot(page, "01-songs-empty")
    page.set_input_files("#id_file", str(audio_dir / "picture.mp3"))
    page.click("main button[type=submit]")
    assert "not a song format" in page.inner_text("main form")
    shot(page, "02-upload-error")
    page.set_input_files("#id_file", str(audio_dir / "song.mp3"))
    page.fill("#id_title", "Mi Bachata")
    page.click("main button[type=submit]")
    page.wait_for_selector("#songs >> text=Mi Bachata")
    shot(page, "03-songs")
    assert accessibility_problems(page) == [], "03-songs"

    page.click("#songs >> text=Dance")
    page.fill("#description", "easy modern routine, lots of turns")
    page.click("button[value=describe]")
    page.wait_for_selector("#wishes")
    assert page.is_checked("#id_difficulty input[value=beginner]")
    shot(page, "04-generate")
    assert accessibility_problems(page) == [], "04-generate"
    page.click("button[value=generate]")
    page.wait_for_url("**/choreographies/*/")
    task_url = page.url
    task = ChoreographyTask.objects.get()
    assert task.task_id in task_url and task.status == "pending"
    assert task.blueprint.blueprint_json["generation_parameters"]["ai_mode"] is True
    shot(page, "05-task-pending")
    assert accessibility_problems(page) == [], "05-task-pending"

    _work_queue(data_root)
    page.wait_for_selector("#video", timeout=30_000)
    duration = page.eval_on_selector(
        "#video",
        """v => new Promise(done => {
               if (v.readyState >= 1) return done(v.duration);
               v.addEventListener('loadedmetadata', () => done(v.duration));
           })""",
    )
    assert duration > 0
    assert page.text_content("#status") == "completed"
    shot(page, "06-task-video")
    assert accessibility_problems(page) == [], "06-task-video"
    _practice(page, task)

    page.click("text=blueprint and timeline")
    moves = task.blueprint.blueprint_json["moves"]
    assert page.locator("#timeline g.move").count() == len(moves)
    # Clicking a move plays that move, from its place in the video.
    page.eval_on_selector("#bp-video", "v => { v.muted = true; }")
    page.click("#timeline g.move >> nth=1")
    page.wait_for_function("!document.getElementById('bp-video').paused")
    start = moves[1]["start_time"] - moves[0]["start_time"]
    assert abs(page.eval_on_selector("#bp-video", "v => v.currentTime") - start) < 0.5
    assert page.text_content("#now-playing") == f"Playing 2. {moves[1]['move_name']}"
    page.eval_on_selector("#bp-video", "v => v.pause()")

    # The routine in combos: loop the shortest; over a whole repetition the time stays
    # inside it, then goes back to its start.
    combos = task.blueprint.blueprint_json["combos"]
    assert page.locator("#combos tbody tr").count() == len(combos)
    loops = page.locator("button.loop-combo")
    spans = [
        float(loops.nth(i).get_attribute("data-end"))
        - float(loops.nth(i).get_attribute("data-start"))
        for i in range(loops.count())
    ]
    button = loops.nth(spans.index(min(spans)))
    start, end = (float(button.get_attribute(a)) for a in ("data-start", "data-end"))
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    low, high = page.evaluate(
        f"""() => new Promise(done => {{
            const v = document.getElementById('bp-video');
            const card = document.getElementById('moves-card');
            let low = Infinity, high = -Infinity, on = false;
            const look = () => {{
                const t = v.currentTime;
                if (!on && !v.seeking && Math.abs(t - {start}) < 0.3) on = true;
                if (on) {{ low = Math.min(low, t); high = Math.max(high, t); }}
                if (on && +card.dataset.loops >= 1 && t > {start} + 0.5) done([low, high]);
                else requestAnimationFrame(look);
            }};
            look();
        }})"""
    )
    assert start - 0.05 <= low and high <= end + 0.1 and high >= end - 0.5
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    page.eval_on_selector("#bp-video", "v => v.pause()")
    shot(page, "07-blueprint")
    assert accessibility_problems(page) == [], "07-blueprint"

    page.goto(f"{base}/choreographies/")
    assert "Mi Bachata" in page.inner_text("#history")
    assert "completed" in page.text_content("#history")
    page.wait_for_function("document.querySelector('img.thumb').naturalWidth > 0")
    shot(page, "08-history")
    assert accessibility_problems(page) == [], "08-history"

    intruder = browser.new_page()
    sign_up(intruder, base, "mateo")
    response = intruder.goto(task_url)
    assert response.status == 404
    video = intruder.goto(f"{base}/choreographies/{task.task_id}/video.mp4")
    assert video.status == 404
    api = intruder.goto(f"{base}/api/choreographies/{task.task_id}/")
    assert api.status == 404
    shot(intruder, "09-other-user-404")
    intruder.goto(f"{base}/choreographies/{task.task_id}/")
    assert accessibility_problems(intruder) == []


def _practice(page, task) -> None:
    """The practice player: slower without changing pitch, loops, mirror, count overlay
    (the phone-sized checks are in test_practice_player.py)."""
    moves = task.blueprint.blueprint_json["moves"]
    t0 = moves[0]["start_time"]
    first_end = moves[0]["end_time"] - t0
    page.eval_on_selector("#video", "v => { v.muted = true; }")
    for _ in range(5):
        page.click("#slower")
    assert page.text_content("#speed") == "50%"
    assert page.eval_on_selector("#video", "v => [v.playbackRate, v.preservesPitch]") == [0.5, True]
    advanced = page.eval_on_selector(
        "#video",
        """v => new Promise(done => {
        v.currentTime = 0.5;
        v.play().then(() => {
            const t = v.currentTime, wall = performance.now();
            setTimeout(() => done((v.currentTime - t) / ((performance.now() - wall) / 1000)), 1500);
        });
    })""",
    )
    assert 0.3 < advanced < 0.7, advanced  # half speed, really
    assert page.text_content("#count") in {str(c) for c in range(1, 9)}
    assert page.text_content("#move-name").startswith("1. ")
    page.click("#loop-move")
    page.eval_on_selector("#video", f"v => {{ v.currentTime = {first_end - 0.4}; }}")
    page.wait_for_function(
        "+document.getElementById('practice').dataset.loops >= 1", timeout=10_000
    )
    assert page.eval_on_selector("#video", "v => v.currentTime") < first_end
    # Seeking far from the start lands where asked (the video is served with byte ranges).
    page.click("#loop-off")
    target, landed, seekable = page.eval_on_selector(
        "#video",
        """v => new Promise(done => {
            const target = Math.floor(v.duration * 0.6);
            v.addEventListener('seeked',
                () => done([target, v.currentTime, v.seekable.end(v.seekable.length - 1)]),
                {once: true});
            v.currentTime = target;
        })""",
    )
    assert abs(landed - target) <= 1 / 30 and seekable > target
    page.keyboard.press("m")
    assert page.get_attribute("#practice", "class") == "player mirrored"
    assert page.is_visible("#seek")  # mirror keeps the seek bar
    shot(page, "06b-practice")
    page.eval_on_selector("#video", "v => v.pause()")
