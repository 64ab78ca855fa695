"""Test-wide fixtures. The database is the real PostgreSQL (embedded unless DATABASE_URL)."""

from __future__ import annotations

import pytest


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="dancer", password="bachata-1234!")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="other", password="bachata-1234!")


@pytest.fixture
def song(db):
    from bachata.choreography.models import Song

    return Song.objects.create(
        title="Este_secreto",
        artist="Melvin War",
        audio_path="songs/este_secreto.mp3",
        audio_sha256="0" * 64,
        bpm=134,
        duration=265.3,
    )


@pytest.fixture
def data_root(tmp_path, settings):
    """A fresh data root for files written during the test."""
    from dataclasses import replace

    root = tmp_path / "data"
    root.mkdir()
    settings.BACHATA = replace(settings.BACHATA, data_dir=root)
    return root


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory):
    """A synthetic 40 s bachata in every accepted format, plus bad files."""
    import numpy as np

    from bachata.demo.synth import synth_bachata, write_wav
    from bachata.media import encode_audio

    folder = tmp_path_factory.mktemp("audio")
    song = synth_bachata(bpm=126, structure=(("derecho", 8), ("majao", 8)), intro_s=2.0, seed=4)
    wav = folder / "song.wav"
    write_wav(str(wav), song.audio, song.sr)
    for ext in ("mp3", "ogg", "flac", "m4a"):
        encode_audio(wav, folder / f"song.{ext}")
    write_wav(str(folder / "short.wav"), song.audio[: 10 * song.sr], song.sr)
    write_wav(str(folder / "silent.wav"), np.zeros(30 * song.sr, dtype=np.float32), song.sr)
    (folder / "empty.mp3").write_bytes(b"")
    (folder / "notes.mp3").write_text("these are not the droids you are looking for\n" * 50)
    mp3 = (folder / "song.mp3").read_bytes()
    (folder / "truncated.mp3").write_bytes(mp3[: len(mp3) // 20])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
    (folder / "picture.mp3").write_bytes(png)
    return folder


@pytest.fixture(scope="session")
def tiny_library(tmp_path_factory):
    """The demo library as tiny clips (256x144, 30 fps) with its moves.json manifest."""
    from bachata.demo.clips import build_demo_library

    folder = tmp_path_factory.mktemp("library")
    return build_demo_library(folder, size=(256, 144), fps=30)


@pytest.fixture(scope="session")
def render_root(tmp_path_factory, tiny_library, audio_dir):
    """A data root holding the tiny library (Bachata_steps/) and a song (songs/)."""
    import shutil

    root = tmp_path_factory.mktemp("render_data")
    shutil.copytree(tiny_library.parent, root / "Bachata_steps")
    (root / "songs").mkdir()
    shutil.copy(audio_dir / "song.mp3", root / "songs" / "song.mp3")
    return root


def make_blueprint(
    render_root,
    *,
    task_id=None,
    output=None,
    seed=0,
    user_id=None,
    difficulty="intermediate",
    style="modern",
):
    """A planned blueprint over the tiny library and the test song (paths relative)."""
    import uuid

    from bachata.blueprint import OutputConfig, SongInfo
    from bachata.demo.library import demo_library
    from bachata.music import analyse, decode_audio
    from bachata.music.analysis import SR
    from bachata.planner import PlanRequest, plan_choreography

    library = demo_library()
    analysis = analyse(decode_audio(render_root / "songs" / "song.mp3", sr=SR), SR)
    song = SongInfo(
        id=1,
        title="Test",
        artist="",
        audio_path="songs/song.mp3",
        bpm=analysis.bpm,
        duration=analysis.duration,
    )
    return plan_choreography(
        analysis=analysis,
        song=song,
        library=library,
        request=PlanRequest(difficulty, "medium", style, seed),
        task_id=task_id or str(uuid.uuid4()),
        user_id=user_id,
        output_config=output or OutputConfig(resolution="256x144", fps=30),
    )


@pytest.fixture(autouse=True, scope="session")
def _no_persistent_connections():
    """Server threads (live_server, WSGI) close their connections after each request, so
    none outlives its thread and the test database can be dropped at the end."""
    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0
    for conn in connections.all(initialized_only=True):
        conn.settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture
def library(tiny_library, data_root):
    """The tiny demo library imported into the test's data root."""
    from bachata.choreography import services

    services.moves_import(path=tiny_library)


@pytest.fixture
def library_song(library, audio_dir):
    """The test song added to the library (analysed once)."""
    from bachata.choreography import services

    song, _ = services.song_add(path=audio_dir / "song.wav", title="Shared")
    return song


@pytest.fixture(scope="session")
def upstream_clips():
    """Real clips of the original project with reference beats: the curated copy the
    tests carry (``tests/data/upstream-clips``, 34 clips; the whole set is for ``make
    bench``)."""
    from pathlib import Path

    return Path(__file__).parent / "data" / "upstream-clips"
