"""A user's data: exported as a zip (CLI and web), and deleted with the account, keeping
nothing of theirs and touching nobody else's."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User

from bachata.blueprint import parse_blueprint
from bachata.choreography import services
from bachata.choreography.models import (
    BlueprintRecord,
    ChoreographyTask,
    Preferences,
    Song,
    SongAnalysisRecord,
)
from bachata.cli import cli
from tests.factories import blueprint_dict

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(user, other_user, audio_dir, data_root):
    mine, _ = services.song_add(path=audio_dir / "song.flac", title="Mine", user=user)
    shared_audio, _ = services.song_add(path=audio_dir / "song.wav", title="Mine too", user=user)
    theirs, _ = services.song_add(path=audio_dir / "song.wav", title="Theirs", user=other_user)
    tasks = []
    for song in (mine, shared_audio):
        doc = parse_blueprint(blueprint_dict(user_id=user.pk, song_id=song.pk))
        tasks.append(services.task_create(user=user, song=song, blueprint=doc))
    video = data_root / "choreographies" / f"{tasks[0].task_id}.mp4"
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(b"video")
    ChoreographyTask.objects.filter(pk=tasks[0].pk).update(
        output_video_uri=f"choreographies/{tasks[0].task_id}.mp4", status="completed"
    )
    other_doc = parse_blueprint(blueprint_dict(user_id=other_user.pk, song_id=theirs.pk))
    services.task_create(user=other_user, song=theirs, blueprint=other_doc)
    services.preferences_update(user=user, difficulty="advanced")
    return {"mine": mine, "shared": shared_audio, "theirs": theirs, "tasks": tasks, "video": video}


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_export_holds_every_blueprint_and_nothing_of_others(owned, user, tmp_path):
    archive = _zip(services.user_export(user=user))
    names = set(archive.namelist())
    expected = {f"blueprints/{t.task_id}.json" for t in owned["tasks"]}
    assert expected <= names
    assert {"account.json", "tasks.json", "songs.json", "preferences.json"} <= names
    assert len([n for n in names if n.startswith("blueprints/")]) == 2
    one = json.loads(archive.read(f"blueprints/{owned['tasks'][0].task_id}.json"))
    stored = BlueprintRecord.objects.get(task_id=owned["tasks"][0].task_id)
    assert one["blueprint"] == stored.blueprint_json and one["task_id"] == stored.task_id
    titles = {s["title"] for s in json.loads(archive.read("songs.json"))}
    assert titles == {"Mine", "Mine too"}

    out = tmp_path / "dancer.zip"
    done = CliRunner().invoke(cli, ["blueprints", "export", "--user", "dancer", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert set(_zip(out.read_bytes()).namelist()) == names
    missing = CliRunner().invoke(cli, ["blueprints", "export", "--user", "nobody"])
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output


def test_deleting_the_account_keeps_nothing_of_the_user(owned, user, other_user, data_root):
    mine_audio = data_root / owned["mine"].audio_path
    shared_audio = data_root / owned["shared"].audio_path
    assert mine_audio.exists() and shared_audio.exists() and owned["video"].exists()
    services.user_delete(user=user)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not ChoreographyTask.objects.filter(user_id=user.pk).exists()
    assert BlueprintRecord.objects.count() == 1  # the other user's
    assert not Song.objects.filter(title__in=["Mine", "Mine too"]).exists()
    assert not Song.objects.filter(uploaded_by__isnull=True).exists()  # not made "shared"
    assert not Preferences.objects.filter(user_id=user.pk).exists()
    assert not owned["video"].exists() and not mine_audio.exists()
    # The other user's song shares the second file and its analysis: both stay.
    assert shared_audio.exists()
    assert Song.objects.get(pk=owned["theirs"].pk).analysis is not None
    assert SongAnalysisRecord.objects.filter(audio_sha256=owned["mine"].audio_sha256).count() == 0


def test_web_download_and_delete(client, owned, user):
    client.force_login(user)
    page = client.get("/preferences/").content.decode()
    assert "Download my data" in page and "Delete my account" in page
    download = client.get("/account/export.zip")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert len([n for n in _zip(download.content).namelist() if n.startswith("blueprints/")]) == 2
    wrong = client.post("/account/delete/", {"password": "nope"}, follow=True)
    assert "nothing was deleted" in wrong.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    gone = client.post("/account/delete/", {"password": "bachata-1234!"}, follow=True)
    assert "is deleted" in gone.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert client.get("/account/delete/").status_code == 302  # logged out now
