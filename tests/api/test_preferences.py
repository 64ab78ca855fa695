"""Preferences prefill the generate form and are the API's defaults."""

from __future__ import annotations

import re

import pytest

from bachata.choreography.models import BlueprintRecord, ChoreographyTask
from bachata.errors import BachataError

pytestmark = pytest.mark.django_db


def test_defaults_then_saved_preferences(api, user):
    assert api.get("/api/preferences/").json() == {
        "difficulty": "beginner",
        "energy_level": "medium",
        "style": "modern",
        "quality": "720p",
    }
    saved = api.put(
        "/api/preferences/",
        {"difficulty": "intermediate", "style": "sensual", "quality": "480p"},
        format="json",
    )
    assert saved.status_code == 200 and saved.json()["style"] == "sensual"
    assert api.put("/api/preferences/", {"quality": "8k"}, format="json").status_code == 400


def test_generate_uses_preferences_for_what_is_missing(api, library_song):
    api.put(
        "/api/preferences/",
        {
            "difficulty": "intermediate",
            "energy_level": "high",
            "style": "modern",
            "quality": "360p",
        },
        format="json",
    )
    response = api.post("/api/choreographies/", {"song_id": library_song.pk}, format="json")
    assert response.status_code == 202, response.content
    task = ChoreographyTask.objects.get(pk=response.json()["task_id"])
    assert (task.difficulty, task.energy_level, task.style) == ("intermediate", "high", "modern")
    config = BlueprintRecord.objects.get(task=task).blueprint_json["output_config"]
    assert config["resolution"] == "640x360"
    explicit = api.post(
        "/api/choreographies/",
        {
            "song_id": library_song.pk,
            "difficulty": "beginner",
            "output_config": {"resolution": "320x180"},
        },
        format="json",
    ).json()
    blueprint = BlueprintRecord.objects.get(task_id=explicit["task_id"]).blueprint_json
    assert blueprint["generation_parameters"]["difficulty_level"] == "beginner"
    assert blueprint["output_config"]["resolution"] == "320x180"


def test_generate_form_is_prefilled(client, user, library_song):
    from bachata.choreography.services import preferences_update

    preferences_update(user=user, difficulty="advanced", style="dominican")
    client.force_login(user)
    page = client.get("/choreographies/new/").content.decode()
    assert re.search(r'name="difficulty" value="advanced"[^>]* checked', page)
    assert re.search(r'name="style" value="dominican"[^>]* checked', page)
    saved = client.post(
        "/preferences/",
        {"difficulty": "beginner", "energy_level": "low", "style": "modern", "quality": "1080p"},
        follow=True,
    )
    assert b"Preferences saved" in saved.content


def test_unknown_preferences_are_refused(user):
    from bachata.choreography.services import preferences_update

    with pytest.raises(BachataError, match="unknown style"):
        preferences_update(user=user, style="salsa")
    with pytest.raises(BachataError, match="unknown preference"):
        preferences_update(user=user, is_staff=True)


def test_describe_then_generate(api, library_song):
    described = api.post(
        "/api/describe/",
        {"text": "fast modern routine for beginners, lots of turns"},
        format="json",
    )
    assert described.status_code == 200
    body = described.json()
    assert (body["difficulty"], body["energy_level"], body["style"]) == (
        "beginner",
        "high",
        "modern",
    )
    assert body["prefer"] == ["turn"] and body["from_text"] == [
        "difficulty",
        "energy_level",
        "style",
    ]
    refused = api.post(
        "/api/describe/", {"text": "bachata rapida para principiantes"}, format="json"
    )
    assert refused.status_code == 422 and "could not understand" in refused.json()["error"]
    text = "fast modern routine for beginners, lots of turns"
    response = api.post(
        "/api/choreographies/", {"song_id": library_song.pk, "description": text}, format="json"
    )
    assert response.status_code == 202, response.content
    params = BlueprintRecord.objects.get(task_id=response.json()["task_id"]).blueprint_json[
        "generation_parameters"
    ]
    assert params["ai_mode"] is True and params["description"] == text
    assert (params["difficulty_level"], params["energy_level"], params["prefer"]) == (
        "beginner",
        "high",
        ["turn"],
    )


def test_a_description_is_read_once_per_generate(api, library_song, monkeypatch):
    """With Gemini each reading is a hosted call: the view's reading (for the knobs) and
    the planner's (for the move wishes) must be one call, and so one answer."""
    from django.core.cache import cache

    from bachata.choreography.services import choreographies
    from bachata.planner.describe import read_description

    calls = []

    def counted(text, **kwargs):
        calls.append(text)
        return read_description(text, **kwargs)

    monkeypatch.setattr(choreographies, "read_description", counted)
    cache.clear()
    text = "slow sensual routine for beginners, lots of body waves"
    response = api.post(
        "/api/choreographies/", {"song_id": library_song.pk, "description": text}, format="json"
    )
    assert response.status_code == 202, response.content
    assert calls == [text]
