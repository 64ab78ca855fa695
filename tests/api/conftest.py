from __future__ import annotations

import pytest
from rest_framework.test import APIClient


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
def generated(api, library_song):
    response = api.post(
        "/api/choreographies/",
        {
            "song_id": library_song.pk,
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
