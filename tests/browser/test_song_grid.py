"""Checking and fixing the "1" on a phone: hear a click on each 1, seek, move it, tap it."""

from __future__ import annotations

import pytest

from bachata.choreography import services
from bachata.choreography.models import Song
from tests.browser.pages import shot, sign_up

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dancer_checks_and_fixes_the_one_on_a_phone(browser, live_server, audio_dir, data_root):
    from django.contrib.auth.models import User

    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    sign_up(page, base, "rosa")
    song, _ = services.song_add(
        path=audio_dir / "song.ogg", title="Mi Ritmo", user=User.objects.get(username="rosa")
    )
    page.goto(f"{base}/songs/")
    page.click("#songs >> text=Check the 1")
    page.wait_for_url(f"{base}/songs/{song.pk}/")
    shot(page, "10-song-grid-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    # The audio answers byte ranges: the player can seek anywhere.
    landed = page.eval_on_selector(
        "#song-audio",
        """a => new Promise(done => {
            const go = () => { a.currentTime = 20; a.addEventListener('seeked',
                () => done([a.currentTime, a.seekable.length ? a.seekable.end(0) : 0]),
                {once: true}); };
            a.readyState >= 1 ? go() : a.addEventListener('loadedmetadata', go, {once: true});
        })""",
    )
    assert abs(landed[0] - 20) < 0.1 and landed[1] > 30

    # Playing with "click on each 1" schedules a click for every 1 that passes.
    page.eval_on_selector("#song-audio", "a => { a.currentTime = 2; a.play(); }")
    page.wait_for_function("+document.getElementById('grid-card').dataset.clicks >= 2")
    page.eval_on_selector("#song-audio", "a => a.pause()")

    # "1 beat later": stored, and the page says the dancer set the 1.
    page.click("text=1 beat later")
    page.wait_for_selector("#grid-corrected")
    song.refresh_from_db()
    assert song.grid_correction == {"shift_beats": 1, "tempo": None}

    # Tap along on beat 3 of each bar of the corrected grid: the 1 moves there.
    grid = services.song_grid_document(song=song)
    beats, ones = grid["beats"], grid["eight_counts"]
    first = beats.index(ones[1])
    targets = [beats[first + 2 + 4 * k] for k in range(4)]
    page.eval_on_selector("#song-audio", "a => { a.muted = true; return a.play(); }")
    for t in targets:
        page.eval_on_selector("#song-audio", f"a => {{ a.currentTime = {t + 0.02}; }}")
        page.tap("#tap")
    assert page.text_content("#tap-count") == "4"
    page.click("#save-taps")
    page.wait_for_selector("text=Grid saved")
    song.refresh_from_db()
    assert song.grid_correction == {"shift_beats": 3, "tempo": None}
    shot(page, "11-song-grid-tapped")
    assert Song.objects.get(pk=song.pk).analysis.result["eight_counts"] != grid["eight_counts"]
