"""The REST API: accounts, songs, moves, generate, status, blueprint, history, regenerate."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from bachata.choreography.models import BlueprintRecord, ChoreographyTask

pytestmark = pytest.mark.django_db


def _jobs(task_id=None):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT args->>'task_id' FROM procrastinate_jobs "
            "WHERE task_name = 'render_choreography' AND queue_name = 'renders' ORDER BY id"
        )
        return [row[0] for row in cur.fetchall()]


@pytest.mark.parametrize("username", ["two words", "semi;colon", "<script>", "a/b"])
def test_sign_up_refuses_the_usernames_the_web_form_refuses(db, client, username):
    password = "salsa-bachata-77"
    api = APIClient().post("/api/auth/register/", {"username": username, "password": password})
    assert api.status_code == 400 and "username" in api.json()["error"]
    web = client.post(
        "/signup/", {"username": username, "password1": password, "password2": password}
    )
    assert web.status_code == 200 and "username" in web.content.decode().lower()
    from django.contrib.auth.models import User

    assert not User.objects.filter(username=username).exists()


def test_register_login_and_token(db):
    client = APIClient()
    weak = client.post("/api/auth/register/", {"username": "ana", "password": "123"})
    assert weak.status_code == 400 and "password" in weak.json()["error"]
    made = client.post(
        "/api/auth/register/",
        {"username": "ana", "password": "salsa-bachata-77", "is_staff": True, "is_superuser": True},
    )
    assert made.status_code == 201
    from django.contrib.auth.models import User

    ana = User.objects.get(username="ana")
    assert not ana.is_staff and not ana.is_superuser
    taken = client.post("/api/auth/register/", {"username": "ANA", "password": "x-salsa-bachata"})
    assert taken.status_code == 409
    bad = client.post("/api/auth/login/", {"username": "ana", "password": "wrong"})
    assert bad.status_code == 401 and bad.json()["error"] == "wrong username or password"
    token = client.post("/api/auth/login/", {"username": "ana", "password": "salsa-bachata-77"})
    assert token.json()["token"] == made.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/moves/").status_code == 200


def test_everything_but_signup_login_and_health_needs_authentication(db):
    client = APIClient()
    assert client.get("/api/health/").json() == {"status": "ok"}
    for url in [
        "/api/songs/",
        "/api/moves/",
        "/api/choreographies/",
        "/api/choreographies/x/",
        "/api/choreographies/x/blueprint/",
        "/api/choreographies/x/video/",
        "/api/blueprints/stats/",
    ]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert "error" in response.json()


def test_song_upload_and_list(api, other_api, audio_dir, data_root, library):
    with open(audio_dir / "song.ogg", "rb") as f:
        created = api.post(
            "/api/songs/", {"file": f, "title": "Mía", "artist": "Yo"}, format="multipart"
        )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["title"] == "Mía" and abs(body["bpm"] - 126) < 1.3
    with open(audio_dir / "song.ogg", "rb") as f:
        again = api.post("/api/songs/", {"file": f}, format="multipart")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert [s["id"] for s in api.get("/api/songs/").json()] == [body["id"]]
    assert other_api.get("/api/songs/").json() == []  # uploads are private
    # The same bytes from another user: their own song, nothing of the first user's.
    with open(audio_dir / "song.ogg", "rb") as f:
        theirs = other_api.post("/api/songs/", {"file": f, "title": "Otra"}, format="multipart")
    assert theirs.status_code == 201
    assert theirs.json()["id"] != body["id"] and theirs.json()["title"] == "Otra"
    assert theirs.json()["artist"] == ""
    generate = other_api.post(
        "/api/choreographies/", {"song_id": theirs.json()["id"]}, format="json"
    )
    assert generate.status_code == 202, generate.content
    with open(audio_dir / "picture.mp3", "rb") as f:
        bad = api.post("/api/songs/", {"file": f}, format="multipart")
    assert bad.status_code == 422 and "picture.mp3" in bad.json()["error"]


def test_moves_with_filters(api, library):
    everything = api.get("/api/moves/").json()
    sensual = api.get("/api/moves/", {"style": "sensual", "difficulty": "beginner"}).json()
    assert len(everything) > len(sensual) > 0
    assert {(m["style"], m["difficulty"]) for m in sensual} == {("sensual", "beginner")}
    assert api.get("/api/moves/", {"style": "salsa"}).status_code == 400


def test_generate_stores_task_blueprint_and_job_together(api, generated, user):
    task = ChoreographyTask.objects.get(pk=generated["task_id"])
    assert task.user == user and task.status == "pending"
    assert BlueprintRecord.objects.filter(task=task).exists()
    assert _jobs() == [task.task_id]
    assert generated["status_url"].endswith(f"/api/choreographies/{task.task_id}/")
    assert generated["blueprint"]["moves"] > 0 and generated["blueprint"]["quality"]


def test_failed_planning_stores_nothing(api, library_song):
    response = api.post(
        "/api/choreographies/",
        {
            "song_id": library_song.pk,
            "difficulty": "beginner",
            "energy_level": "low",
            "style": "bolero",
        },
        format="json",
    )
    assert response.status_code == 400 and "bolero" in response.json()["error"]
    assert not ChoreographyTask.objects.exists() and _jobs() == []


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({}, 400),
        ({"song_id": "x"}, 400),
        ({"song_id": 1, "difficulty": "pro", "energy_level": "low", "style": "modern"}, 400),
        (
            {"song_id": 10**6, "difficulty": "beginner", "energy_level": "low", "style": "modern"},
            404,  # well-formed, but no such song
        ),
    ],
)
def test_bad_generate_requests_are_clear_json(api, library_song, payload, status):
    response = api.post("/api/choreographies/", payload, format="json")
    assert response.status_code == status
    assert response.json()["error"]


def test_status_blueprint_and_history_are_owner_only(api, other_api, generated):
    task_id = generated["task_id"]
    status = api.get(f"/api/choreographies/{task_id}/").json()
    assert status["status"] == "pending" and status["video_url"] is None
    seed = api.get(f"/api/choreographies/{task_id}/blueprint/").json()
    assert set(seed) == {"task_id", "blueprint", "created_at"}
    assert seed["blueprint"]["task_id"] == task_id
    assert api.get(f"/api/blueprints/{task_id}/").json()["task_id"] == task_id
    for url in [
        f"/api/choreographies/{task_id}/",
        f"/api/choreographies/{task_id}/blueprint/",
        f"/api/choreographies/{task_id}/video/",
        f"/api/blueprints/{task_id}/",
    ]:
        assert other_api.get(url).status_code == 404
    assert (
        other_api.post(f"/api/choreographies/{task_id}/regenerate/", {}, format="json").status_code
        == 404
    )
    history = api.get("/api/choreographies/").json()
    assert history["count"] == 1 and history["results"][0]["task_id"] == task_id
    assert other_api.get("/api/choreographies/").json()["count"] == 0


def test_blueprint_missing_is_404(api, generated):
    BlueprintRecord.objects.filter(task_id=generated["task_id"]).delete()
    response = api.get(f"/api/choreographies/{generated['task_id']}/blueprint/")
    assert response.status_code == 404 and "no blueprint" in response.json()["error"]


def test_regenerate_same_blueprint_other_output(api, generated):
    source = generated["task_id"]
    response = api.post(
        f"/api/choreographies/{source}/regenerate/",
        {"output_config": {"resolution": "320x180", "fps": 24}},
        format="json",
    )
    assert response.status_code == 202, response.content
    new_id = response.json()["task_id"]
    new = BlueprintRecord.objects.get(task_id=new_id).blueprint_json
    old = BlueprintRecord.objects.get(task_id=source).blueprint_json
    assert new["moves"] == old["moves"] and new["source_task_id"] == source
    assert (new["output_config"]["resolution"], new["output_config"]["fps"]) == ("320x180", 24)
    assert ChoreographyTask.objects.get(pk=new_id).source_task_id == source
    assert _jobs() == [source, new_id]


def test_regenerate_with_a_move_substitution(api, generated, library):
    old = api.get(f"/api/choreographies/{generated['task_id']}/blueprint/").json()["blueprint"]
    slot = next(i for i, m in enumerate(old["moves"]) if m["eight_counts"] == 1)
    replacement = next(
        m
        for m in api.get("/api/moves/").json()
        if m["length_counts"] == 8 and m["move_id"] != old["moves"][slot]["move_id"]
    )
    response = api.post(
        f"/api/choreographies/{generated['task_id']}/regenerate/",
        {"substitutions": [{"slot": slot, "move_id": replacement["move_id"]}]},
        format="json",
    )
    assert response.status_code == 202, response.content
    new = api.get(f"/api/choreographies/{response.json()['task_id']}/blueprint/").json()
    move = new["blueprint"]["moves"][slot]
    assert move["move_id"] == replacement["move_id"]
    assert move["start_time"] == old["moves"][slot]["start_time"]
    assert move["speed"] == pytest.approx(
        8 * 60 / replacement["tempo"] / move["duration"], rel=1e-5
    )
    # The swapped move keeps its place in its combo, with its own role; the planned
    # combos' move lists no longer describe the routine, so they are not kept.
    assert move["combo"] == old["moves"][slot]["combo"] and move["role"] == replacement["role"]
    assert old["combos"] and "combos" not in new["blueprint"]
    # The edit is scored again, on the same grid and with its confidence (an edit's
    # report once came without them: a bare share of moves "on the 1").
    quality = new["blueprint"]["quality"]
    assert quality["grid_source"] == old["quality"]["grid_source"] == "analysed"
    assert quality["downbeat_confidence"] == old["quality"]["downbeat_confidence"] is not None
    long_move = next(m for m in api.get("/api/moves/").json() if m["length_counts"] == 16)
    for bad, message in [
        ([{"slot": slot, "move_id": "no_such_move"}], "unknown move"),
        ([{"slot": 999, "move_id": replacement["move_id"]}], "does not exist"),
        ([{"slot": slot, "move_id": long_move["move_id"]}], "8-count"),
    ]:
        refused = api.post(
            f"/api/choreographies/{generated['task_id']}/regenerate/",
            {"substitutions": bad},
            format="json",
        )
        assert refused.status_code == 400 and message in refused.json()["error"]


def test_regenerate_with_an_edited_blueprint_is_validated(api, generated):
    old = api.get(f"/api/choreographies/{generated['task_id']}/blueprint/").json()["blueprint"]
    edited = dict(old)
    edited["moves"] = [dict(m) for m in old["moves"]]
    edited["moves"][0]["video_path"] = "../../etc/passwd"
    response = api.post(
        f"/api/choreographies/{generated['task_id']}/regenerate/",
        {"blueprint": edited},
        format="json",
    )
    assert response.status_code == 400 and "video_path" in response.json()["error"]
    edited["moves"][0] = {**old["moves"][0], "move_id": "invented"}
    response = api.post(
        f"/api/choreographies/{generated['task_id']}/regenerate/",
        {"blueprint": edited},
        format="json",
    )
    assert response.status_code == 400 and "unknown move" in response.json()["error"]
    assert ChoreographyTask.objects.count() == 1


def test_stats_are_for_staff(api, generated, admin_client):
    assert api.get("/api/blueprints/stats/").status_code == 403
    stats = admin_client.get("/api/blueprints/stats/").json()
    assert stats["total_blueprints"] == 1
    assert stats["distribution"]["style"] == {"modern": 1}
    assert stats["popular_moves"] and stats["per_day"][0]["count"] == 1


def test_openapi_schema_and_docs(api):
    schema = api.get("/api/schema/?format=json").json()
    assert "/api/choreographies/{task_id}/blueprint/" in schema["paths"]
    assert api.get("/api/docs/").status_code == 200


def test_login_and_generate_are_rate_limited(api, library_song, db):
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    codes = [
        client.post("/api/auth/login/", {"username": "x", "password": "y"}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5 and codes[5] == 429  # the account is locked out
    assert "error" in client.post("/api/auth/login/", {"username": "x", "password": "y"}).json()
    cache.clear()
    payload = {
        "song_id": library_song.pk,
        "difficulty": "beginner",
        "energy_level": "low",
        "style": "bolero",
    }  # refused by the planner: cheap, still counted
    codes = [
        api.post("/api/choreographies/", payload, format="json").status_code for _ in range(31)
    ]
    assert codes[:30] == [400] * 30 and codes[30] == 429
    cache.clear()


def _regenerate(api, task_id, blueprint):
    return api.post(
        f"/api/choreographies/{task_id}/regenerate/", {"blueprint": blueprint}, format="json"
    )


def test_an_edited_blueprint_cannot_ask_for_more_than_the_song_and_clips_hold(api, generated):
    """One request must not start hours of rendering (a forged song length, a huge move)."""
    source = generated["task_id"]
    old = api.get(f"/api/choreographies/{source}/blueprint/").json()["blueprint"]

    def edited(change):
        doc = {**old, "song": dict(old["song"]), "moves": [dict(m) for m in old["moves"]]}
        change(doc)
        return doc

    def endless(doc):
        doc["song"]["duration"] = 86_400.0
        last = doc["moves"][-1]
        last["duration"] = 86_000.0
        last["end_time"] = last["start_time"] + 86_000.0
        last.pop("clip_end", None)
        doc["total_duration"] = last["end_time"] - doc["moves"][0]["start_time"]

    def forged_song(doc):
        doc["song"]["duration"] = 86_400.0

    def slow_motion(doc):
        doc["moves"][0]["speed"] = 0.05

    def past_the_clip(doc):
        first = doc["moves"][0]
        first["clip_start"] = 500.0
        first["clip_end"] = 500.0 + first["duration"] * first["speed"]

    for change, message in [
        (endless, "the clip is"),
        (forged_song, "inside the"),
        (slow_motion, "speed"),
        (past_the_clip, "the clip is"),
    ]:
        response = _regenerate(api, source, edited(change))
        assert response.status_code == 400, (change.__name__, response.content)
        assert message in response.json()["error"], response.json()
    assert ChoreographyTask.objects.count() == 1 and _jobs() == [source]


def test_output_limits_and_bad_configs_are_400_not_500(api, library_song):
    for output, field in [
        ({"resolution": "7680x4320"}, "resolution"),
        ({"resolution": "35x79"}, "resolution"),
        ({"fps": 120}, "fps"),
        ({"video_format": "webm"}, "webm"),
    ]:
        response = api.post(
            "/api/choreographies/",
            {"song_id": library_song.pk, "output_config": output},
            format="json",
        )
        assert response.status_code == 400, (output, response.content)
        assert field in json.dumps(response.json()), response.json()
    assert ChoreographyTask.objects.count() == 0


def test_nul_bytes_are_refused_or_not_found(api, generated):
    source = generated["task_id"]
    for url in [
        "/api/choreographies/%00/",
        f"/api/choreographies/{source}%00/blueprint/",
        "/api/blueprints/a%00b/",
    ]:
        assert api.get(url).status_code == 404, url
    old = api.get(f"/api/choreographies/{source}/blueprint/").json()["blueprint"]
    doc = {**old, "song": {**old["song"], "title": "Mi\x00Bachata"}}
    response = _regenerate(api, source, doc)
    assert response.status_code == 400 and "NUL" in response.json()["error"]


def test_render_quota_per_user(api, library_song, user):
    from bachata.choreography.services.choreographies import MAX_ACTIVE_RENDERS

    body = {"song_id": library_song.pk, "output_config": {"resolution": "256x144"}}
    codes = [
        api.post("/api/choreographies/", body, format="json").status_code
        for _ in range(MAX_ACTIVE_RENDERS + 1)
    ]
    assert codes == [202] * MAX_ACTIVE_RENDERS + [429]
    refused = api.post("/api/choreographies/", body, format="json").json()
    assert "videos being made" in refused["error"]
    first = ChoreographyTask.objects.filter(user=user).order_by("created_at").first()
    assert (
        api.post(f"/api/choreographies/{first.task_id}/regenerate/", {}, format="json").status_code
        == 429
    )
    ChoreographyTask.objects.filter(pk=first.pk).update(status="completed")
    assert api.post("/api/choreographies/", body, format="json").status_code == 202
