"""A dancer's correction of a song's grid: stored with the song, used by new plans,
the stored analysis untouched; through the service, the API, the CLI and the web page."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rest_framework.test import APIClient

from bachata.choreography import services
from bachata.choreography.models import Song
from bachata.choreography.services import songs as song_services
from bachata.cli import cli
from bachata.errors import Forbidden
from bachata.music import SongAnalysis
from bachata.music.grid import GridError

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_song(library, audio_dir, user):
    song, _ = services.song_add(path=audio_dir / "song.flac", title="Mine", user=user)
    return song


def _no_analysis(*args, **kwargs):
    raise AssertionError("a grid correction must not re-analyse the song")


def _plan(song):
    return services.choreography_plan(
        song=song, difficulty="beginner", energy_level="medium", style="modern", seed=1
    )


def test_a_correction_is_stored_and_new_plans_use_it(own_song, user, monkeypatch):
    monkeypatch.setattr(song_services, "analyse", _no_analysis)
    raw = dict(own_song.analysis.result)
    before = _plan(own_song)
    grid = services.song_grid_correct(song=own_song, user=user, shift_beats=2)
    own_song.refresh_from_db()
    assert own_song.grid_correction == {"shift_beats": 2, "tempo": None}
    assert own_song.analysis.result == raw  # the stored analysis never changes
    beat = 60 / own_song.bpm
    assert grid.eight_counts[0] == pytest.approx(raw["eight_counts"][0] + 2 * beat, abs=0.02)
    after = _plan(own_song)
    assert after.moves[0].start_time in grid.eight_counts
    assert after.moves[0].start_time != before.moves[0].start_time
    assert after.quality.grid_source == "corrected"
    assert before.quality.grid_source == "analysed"
    assert before.quality.downbeat_confidence == raw["downbeat_confidence"]
    services.song_grid_correct(song=own_song, user=user, reset=True)
    own_song.refresh_from_db()
    assert own_song.grid_correction is None
    assert _plan(own_song).moves[0].start_time == before.moves[0].start_time


def test_only_the_uploader_or_staff_may_correct(own_song, library_song, other_user, user):
    with pytest.raises(Forbidden):
        services.song_grid_correct(song=own_song, user=other_user, shift_beats=1)
    with pytest.raises(Forbidden):  # the shared library
        services.song_grid_correct(song=library_song, user=user, shift_beats=1)
    user.is_staff = True
    services.song_grid_correct(song=library_song, user=user, shift_beats=1)
    assert Song.objects.get(pk=library_song.pk).grid_correction["shift_beats"] == 1


def test_a_bad_correction_stores_nothing(own_song, user):
    with pytest.raises(GridError):
        services.song_grid_correct(song=own_song, user=user, taps=[3.0])
    own_song.refresh_from_db()
    assert own_song.grid_correction is None


def test_api_shows_and_corrects_the_grid(own_song, user, other_user):
    client = APIClient()
    client.force_authenticate(user)
    url = f"/api/songs/{own_song.pk}/grid/"
    shown = client.get(url).json()
    assert shown["song_id"] == own_song.pk and shown["correction"] is None
    assert {"bpm", "beats", "downbeats", "eight_counts", "downbeat_confidence"} <= set(shown)
    assert shown["check_the_one"] == (shown["downbeat_confidence"] < 0.6)
    one = shown["beats"].index(shown["eight_counts"][0])
    taps = [shown["beats"][one + 3 + 4 * k] for k in range(4)]  # the dancer hears it on 4
    fixed = client.post(url, {"taps": taps}, format="json").json()
    assert fixed["correction"] == {"shift_beats": -1, "tempo": None}
    beats = shown["beats"]
    old_ones = {beats.index(t) for t in shown["eight_counts"]}
    assert all(beats.index(t) + 1 in old_ones for t in fixed["eight_counts"][:-1])
    assert fixed["check_the_one"] is False and fixed["downbeat_confidence"] == 1.0
    doubled = client.post(url, {"tempo": "double"}, format="json")
    assert doubled.status_code == 200
    assert doubled.json()["bpm"] == pytest.approx(2 * shown["bpm"], rel=0.01)
    bad = client.post(url, {"tempo": "triple"}, format="json")
    assert bad.status_code == 400
    one_tap = client.post(url, {"taps": [2.0]}, format="json")
    assert one_tap.status_code == 400 and "twice" in one_tap.json()["error"]

    stranger = APIClient()
    stranger.force_authenticate(other_user)
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"shift_beats": 1}, format="json").status_code == 404


def test_cli_song_grid(own_song):
    runner = CliRunner()
    shown = json.loads(runner.invoke(cli, ["song", "grid", str(own_song.pk), "--json"]).stdout)
    moved = runner.invoke(cli, ["song", "grid", str(own_song.pk), "--shift-beats", "1", "--json"])
    assert moved.exit_code == 0, moved.output
    moved = json.loads(moved.stdout)
    assert moved["correction"] == {"shift_beats": 1, "tempo": None}
    assert moved["eight_counts"][0] > shown["eight_counts"][0]
    text = runner.invoke(cli, ["song", "grid", str(own_song.pk), "--reset"])
    assert "correction: none" in text.stdout
    missing = runner.invoke(cli, ["song", "grid", "999999"])
    assert missing.exit_code == 1 and "no song 999999" in missing.output


def test_web_song_page_corrects_by_buttons_and_taps(client, own_song, user, other_user):
    client.force_login(user)
    page = client.get(f"/songs/{own_song.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="grid-data"' in body and "Click on each 1" in body and "Tap on the 1" in body
    moved = client.post(f"/songs/{own_song.pk}/", {"shift_beats": "-1"}, follow=True)
    assert "Grid saved" in moved.content.decode()
    assert Song.objects.get(pk=own_song.pk).grid_correction == {"shift_beats": -1, "tempo": None}
    refused = client.post(f"/songs/{own_song.pk}/", {"taps": "4.2"}, follow=True)
    assert "at least twice" in refused.content.decode()
    audio = client.get(f"/songs/{own_song.pk}/audio", HTTP_RANGE="bytes=0-99")
    assert audio.status_code == 206 and audio["Content-Range"].startswith("bytes 0-99/")
    client.force_login(other_user)
    assert client.get(f"/songs/{own_song.pk}/").status_code == 404
    assert client.get(f"/songs/{own_song.pk}/audio").status_code == 404


def test_the_analysis_records_its_confidence(own_song):
    stored = SongAnalysis.from_dict(own_song.analysis.result)
    assert 0.0 <= stored.downbeat_confidence <= 1.0


def test_the_practice_player_counts_on_the_corrected_grid(own_song, user):
    """The player's counts follow the dancer's correction, as new plans do (it read the
    raw analysis before)."""
    from bachata.choreography import selectors

    task = services.choreography_create(
        user=user, song=own_song, difficulty="beginner", energy_level="medium",
        style="modern", seed=1, render=False,
    )  # fmt: skip
    before = selectors.practice_timeline(task=task)
    ones = [t for t, n in before.counts if n == 1]
    assert len(ones) >= 2 and before.moves[0][1] == 0.0
    services.song_grid_correct(song=own_song, user=user, shift_beats=1)
    after = selectors.practice_timeline(task=task)
    moved = [t for t, n in after.counts if n == 1]
    beat = 60.0 / own_song.bpm
    # The 1 is now where count 2 was: one beat later (the first may fall off the start).
    assert any(abs(moved[0] - (t + beat)) < 0.05 for t in ones[:2])
    assert after.moves == before.moves and after.duration == before.duration
    assert after.to_json()["counts"] == after.counts
