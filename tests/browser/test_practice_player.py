"""The practice player on a phone (390x844) in Chromium: what a dancer does with it.

A 70 s song is planned and rendered for real; then the test loops a move and checks it
stays inside that move over two repetitions, steps to the next and previous move, seeks
to 30 s, mirrors, goes full screen and uses the shortcuts with a button focused.
"""

from __future__ import annotations

import pytest

from bachata.blueprint import OutputConfig
from bachata.choreography import services
from tests.browser.pages import accessibility_problems, shot, sign_up
from tests.browser.test_dancer_journey import _work_queue

pytestmark = pytest.mark.django_db(transaction=True)

FRAME = 1 / 30
PHONE = {"width": 390, "height": 844}
CONTROLS = ["#prev", "#play", "#next", "#loop-move", "#loop-eight", "#slower", "#faster",
            "#mirror", "#fullscreen", "#help-toggle"]  # fmt: skip


@pytest.fixture
def long_song(tmp_path):
    from bachata.demo.synth import synth_bachata, write_wav

    song = synth_bachata(bpm=124, structure=(("derecho", 16), ("majao", 20)), seed=8)
    path = tmp_path / "long.wav"
    write_wav(str(path), song.audio, song.sr)
    return path


def _video_time(page, script: str) -> float:
    """Run ``script`` (which seeks) and return currentTime once the seek is done."""
    return page.eval_on_selector(
        "#video",
        f"""v => new Promise(done => {{
            v.addEventListener('seeked', () => done(v.currentTime), {{once: true}});
            {script}
        }})""",
    )


def test_practice_on_a_phone(browser, live_server, tiny_library, long_song, data_root):
    from django.contrib.auth.models import User

    services.moves_import(path=tiny_library)
    page = browser.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_up(page, live_server.url, "rosa")
    song, _ = services.song_add(path=long_song, title="Larga")
    task = services.choreography_create(
        user=User.objects.get(username="rosa"),
        song=song,
        difficulty="beginner",
        energy_level="medium",
        style="modern",
        seed=5,
        output_config=OutputConfig(resolution="256x144"),
    )
    _work_queue(data_root)
    moves = task.blueprint.blueprint_json["moves"]
    t0 = moves[0]["start_time"]
    starts = [m["start_time"] - t0 for m in moves]
    ends = [m["end_time"] - t0 for m in moves]
    assert ends[-1] > 31, "the choreography must be long enough to seek to 30 s"

    # No page scrolls sideways on a phone, and the menu folds behind one button.
    from django.contrib.auth.models import Group

    rosa = User.objects.get(username="rosa")
    rosa.groups.add(Group.objects.get_or_create(name="instructors")[0])
    User.objects.filter(pk=rosa.pk).update(is_staff=True)  # to see every page
    plan = services.class_plan_create(user=rosa, title="Martes")
    problems: list[str] = []
    pages = ["/", "/songs/", f"/songs/{song.pk}/", "/choreographies/new/", "/choreographies/"]
    pages += ["/collection/", "/preferences/", "/class-plans/", f"/class-plans/{plan.pk}/"]
    for path in [*pages, "/analytics/", f"/choreographies/{task.task_id}/blueprint/"]:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        problems.extend(f"{path}: {p}" for p in accessibility_problems(page))
    visitor = browser.new_page(viewport=PHONE)
    for path in ["/", "/login/", "/signup/"]:
        visitor.goto(f"{live_server.url}{path}")
        assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        problems.extend(f"{path} (logged out): {p}" for p in accessibility_problems(visitor))
    assert problems == []
    assert not page.is_visible("#nav >> text=History")
    page.tap("#menu-toggle")
    assert page.is_visible("#nav >> text=History")
    assert page.get_attribute("#menu-toggle", "aria-expanded") == "true"

    page.goto(f"{live_server.url}/choreographies/{task.task_id}/")
    page.wait_for_function("document.getElementById('video').readyState >= 1")
    page.eval_on_selector("#video", "v => { v.muted = true; }")
    assert accessibility_problems(page) == []

    # The video and every control fit one phone screen, with 44 px targets.
    page.eval_on_selector("#practice", "el => el.scrollIntoView({block: 'start'})")
    for selector in ["#video", "#seek", *CONTROLS]:
        box = page.locator(selector).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], selector
        if selector in CONTROLS:
            assert box["width"] >= 44 and box["height"] >= 44, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "10-practice-phone")

    # Next and previous land on a move's start, within one frame.
    assert abs(_video_time(page, "document.getElementById('next').click()") - starts[1]) <= FRAME
    assert abs(_video_time(page, "document.getElementById('next').click()") - starts[2]) <= FRAME
    assert abs(_video_time(page, "document.getElementById('prev').click()") - starts[1]) <= FRAME

    # Loop move 3 (index 2): over two repetitions the time stays inside it.
    _video_time(page, "document.getElementById('next').click()")
    page.tap("#loop-move")
    assert page.get_attribute("#loop-move", "aria-pressed") == "true"
    assert page.is_visible("#seek-loop")
    for _ in range(5):
        page.tap("#faster")  # 150 %: two repetitions sooner
    assert page.text_content("#speed") == "150%"
    times = page.eval_on_selector(
        "#video",
        """v => new Promise(done => {
            const seen = [];
            const box = document.getElementById('practice');
            const sample = () => {
                seen.push(v.currentTime);
                if (+box.dataset.loops >= 2) done(seen); else requestAnimationFrame(sample);
            };
            v.play().then(() => requestAnimationFrame(sample));
        })""",
    )
    page.eval_on_selector("#video", "v => v.pause()")
    assert len(times) > 30
    assert min(times) >= starts[2] - FRAME
    assert max(times) <= ends[2] + 2 * FRAME, (max(times), ends[2])
    assert page.eval_on_selector("#video", "v => [v.playbackRate, v.preservesPitch]") == [1.5, True]
    page.tap("#loop-off")
    assert not page.is_visible("#seek-loop") and not page.is_visible("#loop-edit")

    # A 30 s seek lands at 30 s (the seek bar, as a drag ends there).
    landed = _video_time(
        page,
        """const seek = document.getElementById('seek');
           seek.value = '30'; seek.dispatchEvent(new Event('input'));
           seek.dispatchEvent(new Event('change'));""",
    )
    assert abs(landed - 30) <= FRAME

    # Shortcuts work with a button focused: space plays, and does not press the button.
    page.focus("#faster")
    page.keyboard.press("Space")
    page.wait_for_function("!document.getElementById('video').paused")
    assert page.text_content("#speed") == "150%"
    page.keyboard.press("Space")
    page.wait_for_function("document.getElementById('video').paused")
    page.keyboard.press("[")
    assert page.text_content("#speed") == "140%"

    # Mirror flips the picture only: the seek bar and the count stay as they are.
    page.keyboard.press("m")
    assert page.eval_on_selector("#video", "v => getComputedStyle(v).transform") != "none"
    assert page.eval_on_selector("#count", "c => getComputedStyle(c).transform") == "none"
    assert page.is_visible("#seek") and page.get_attribute("#mirror", "aria-pressed") == "true"

    page.keyboard.press("?")
    assert page.is_visible("#help") and "loop this move" in page.inner_text("#help")
    shot(page, "11-practice-mirror-help")

    # Full screen takes the whole player, so the count overlay is still there.
    page.tap("#fullscreen")
    page.wait_for_function("document.fullscreenElement !== null")
    assert page.evaluate("document.fullscreenElement.id") == "practice"
    assert page.is_visible("#count") and page.is_visible("#seek")
