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
