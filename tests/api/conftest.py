from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from bachata.choreography import services


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def other_api(other_user):
    client = APIClient()
    client.force_authenticate(other_user)
    return client


@pytest.fixture
def library(tiny_library, data_root):
    services.moves_import(path=tiny_library)


@pytest.fixture
def api_song(library, audio_dir):
    song, _ = services.song_add(path=audio_dir / "song.wav", title="Shared")
    return song


@pytest.fixture
def generated(api, api_song):
    response = api.post(
        "/api/choreographies/",
        {
            "song_id": api_song.pk,
            "difficulty": "intermediate",
            "energy_level": "medium",
            "style": "modern",
            "seed": 3,
            "output_config": {"resolution": "256x144"},
        },
        format="json",
    )
    assert response.status_code == 202, response.content
    return response.json()
