"""Adding songs: validation, content-addressed storage, analysis computed once."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from bachata.choreography import selectors, services
from bachata.choreography.models import Song, SongAnalysisRecord
from bachata.choreography.services import songs as song_services
from bachata.music import ANALYSER_VERSION, AudioError

pytestmark = pytest.mark.django_db


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("ext", ["wav", "mp3", "ogg", "flac", "m4a"])
def test_add_stores_the_file_by_content_and_the_analysis(audio_dir, data_root, ext):
    source = audio_dir / f"song.{ext}"
    song, created = services.song_add(path=source, title="Synthetic", artist="Band")
    assert created
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    assert song.audio_path == f"songs/{sha}.{ext}"
    assert (data_root / song.audio_path).read_bytes() == source.read_bytes()
    assert abs(song.bpm - 126) < 1.26 and 33 < song.duration < 35
    record = song.analysis
    assert (record.audio_sha256, record.analyser_version) == (sha, ANALYSER_VERSION)
    for key in (
        "bpm",
        "duration",
        "beats",
        "downbeats",
        "eight_counts",
        "count_grid",
        "phrases",
        "sections",
        "energy",
        "confidence",
        "downbeat_confidence",
    ):
        assert key in record.result
    info = selectors.song_info(song=song)
    assert (info.id, info.title, info.artist, info.audio_path) == (
        song.pk,
        "Synthetic",
        "Band",
        song.audio_path,
    )


def test_adding_the_same_audio_twice_returns_the_existing_song(audio_dir, data_root, monkeypatch):
    first, _ = services.song_add(path=audio_dir / "song.wav")
    monkeypatch.setattr(song_services, "analyse", _must_not_analyse)
    again, created = services.song_add(path=audio_dir / "song.wav", title="Other title")
    assert not created and again.pk == first.pk and again.title == first.title
    assert Song.objects.count() == 1 and SongAnalysisRecord.objects.count() == 1
    assert services.song_analysis(song=again).bpm == first.bpm


def _must_not_analyse(*args, **kwargs):
    raise AssertionError("analysed twice")


def test_analysis_is_shared_by_audio_hash(audio_dir, data_root, monkeypatch):
    song, _ = services.song_add(path=audio_dir / "song.wav")
    Song.objects.filter(pk=song.pk).delete()
    monkeypatch.setattr(song_services, "analyse", _must_not_analyse)
    again, created = services.song_add(path=audio_dir / "song.wav")
    assert created and again.analysis_id == song.analysis_id


def test_bumping_the_analyser_version_reanalyses(audio_dir, data_root, monkeypatch):
    song, _ = services.song_add(path=audio_dir / "song.wav")
    calls = []
    real = song_services.analyse

    def counting(samples, sr):
        calls.append(sr)
        return real(samples, sr)

    monkeypatch.setattr(song_services, "analyse", counting)
    services.song_analysis(song=song)
    assert calls == []
    monkeypatch.setattr(song_services, "ANALYSER_VERSION", ANALYSER_VERSION + "-next")
    services.song_analysis(song=song)
    assert len(calls) == 1
    song.refresh_from_db()
    assert song.analysis.analyser_version == ANALYSER_VERSION + "-next"
    assert SongAnalysisRecord.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("short.wav", "too short"),
        ("silent.wav", "silent"),
        ("empty.mp3", "empty"),
        ("notes.mp3", "not a readable audio file"),
        ("picture.mp3", "not a"),
        ("truncated.mp3", "too short"),
    ],
)
def test_bad_songs_are_rejected_and_leave_nothing_behind(audio_dir, data_root, name, message):
    with pytest.raises(AudioError, match=message):
        services.song_add(path=audio_dir / name)
    assert not Song.objects.exists() and not SongAnalysisRecord.objects.exists()
    assert _files(data_root) == []


def test_too_long_songs_are_rejected_before_decoding(data_root, tmp_path, monkeypatch):
    from bachata.demo.synth import write_wav

    long_wav = tmp_path / "long.wav"
    write_wav(str(long_wav), np.zeros(16 * 60 * 8000, dtype=np.float32), 8000)
    monkeypatch.setattr(song_services, "decode_audio", _must_not_analyse)
    with pytest.raises(AudioError, match="too long"):
        services.song_add(path=long_wav)
    assert _files(data_root) == []


def test_a_failed_insert_removes_the_stored_file(audio_dir, data_root, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Song.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.song_add(path=audio_dir / "song.wav")
    assert [f for f in _files(data_root) if f.startswith("songs/")] == []


def test_the_same_audio_gives_each_user_their_own_song(audio_dir, data_root, user, other_user):
    """Uploading audio somebody else has must not hand back their song (id, title, artist)."""
    mine, created = services.song_add(
        path=audio_dir / "song.wav", title="Private title", artist="Me", user=user
    )
    assert created
    theirs, created = services.song_add(
        path=audio_dir / "song.wav", title="Their title", user=other_user
    )
    assert created and theirs.pk != mine.pk
    assert (theirs.title, theirs.artist, theirs.uploaded_by) == ("Their title", "", other_user)
    # The stored file and the analysis are shared by content.
    assert (theirs.audio_path, theirs.analysis_id) == (mine.audio_path, mine.analysis_id)
    assert SongAnalysisRecord.objects.count() == 1
    again, created = services.song_add(path=audio_dir / "song.wav", user=user)
    assert (again.pk, created) == (mine.pk, False)
    shared, created = services.song_add(path=audio_dir / "song.wav", title="Library")
    assert created and shared.uploaded_by is None
    assert services.song_add(path=audio_dir / "song.wav")[0].pk == shared.pk
    assert Song.objects.filter(audio_sha256=mine.audio_sha256).count() == 3
