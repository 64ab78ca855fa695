"""Collections for dancers and class plans for instructors: API and pages."""

from __future__ import annotations

import itertools
import re

import pytest
from django.contrib.auth.models import Group

from bachata.choreography import services
from bachata.choreography.models import ChoreographyTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tasks(user, library_song):
    return [
        services.choreography_create(
            user=user,
            song=library_song,
            difficulty=d,
            energy_level="medium",
            style="modern",
            seed=1,
        )
        for d in ("beginner", "intermediate")
    ]


def test_collection_save_filter_stats_delete(api, other_api, two_tasks):
    first, second = two_tasks
    saved = api.post(
        "/api/collection/", {"task_id": first.task_id, "title": "Para Ana"}, format="json"
    )
    assert saved.status_code == 201 and saved.json()["title"] == "Para Ana"
    api.post("/api/collection/", {"task_id": second.task_id, "title": "Reto"}, format="json")
    api.post(
        "/api/collection/", {"task_id": first.task_id, "title": "Para Ana 2"}, format="json"
    )  # saving again renames
    items = api.get("/api/collection/").json()
    assert [i["title"] for i in items] == ["Reto", "Para Ana 2"]
    assert [i["title"] for i in api.get("/api/collection/", {"difficulty": "beginner"}).json()] == [
        "Para Ana 2"
    ]
    stats = api.get("/api/collection/stats/").json()
    assert stats["total"] == 2 and stats["by_difficulty"] == {"beginner": 1, "intermediate": 1}
    seconds = sum(t.blueprint.blueprint_json["total_duration"] for t in (first, second))
    assert stats["minutes"] == round(seconds / 60, 1) > 0
    assert other_api.get("/api/collection/").json() == []
    assert (
        other_api.post(
            "/api/collection/", {"task_id": first.task_id, "title": "mine"}, format="json"
        ).status_code
        == 404
    )
    assert other_api.delete(f"/api/collection/{items[0]['id']}/").status_code == 404
    assert api.delete(f"/api/collection/{items[0]['id']}/").status_code == 204
    assert api.delete("/api/collection/").json() == {"deleted": 1}
    assert ChoreographyTask.objects.count() == 2  # the choreographies stay


def test_class_plans_need_the_instructor_role(api, user, two_tasks):
    refused = api.post("/api/class-plans/", {"title": "Lunes"}, format="json")
    assert refused.status_code == 403 and "instructor" in refused.json()["error"]
    user.groups.add(Group.objects.get_or_create(name="instructors")[0])
    plan = api.post(
        "/api/class-plans/", {"title": "Lunes", "notes": "nivel 1"}, format="json"
    ).json()
    for task, minutes in zip(two_tasks, (15, 20), strict=True):
        response = api.post(
            f"/api/class-plans/{plan['id']}/items/",
            {"task_id": task.task_id, "minutes": minutes, "notes": "warm up"},
            format="json",
        )
        assert response.status_code == 201
    body = api.get(f"/api/class-plans/{plan['id']}/").json()
    assert body["minutes"] == 35 and [i["minutes"] for i in body["items"]] == [15, 20]
    assert (body["title"], body["notes"]) == ("Lunes", "nivel 1")
    first = body["items"][0]
    assert {k: v for k, v in first.items() if k != "combos"} == {
        "id": first["id"],
        "position": 0,
        "task_id": two_tasks[0].task_id,
        "song": two_tasks[0].song.title,
        "combo": None,  # the whole choreography, not one of its combos
        "notes": "warm up",
        "minutes": 15,
    }
    ids = [i["id"] for i in body["items"]]
    reordered = api.put(
        f"/api/class-plans/{plan['id']}/order/", {"item_ids": ids[::-1]}, format="json"
    ).json()
    assert [i["id"] for i in reordered["items"]] == ids[::-1]
    assert (
        api.put(
            f"/api/class-plans/{plan['id']}/order/", {"item_ids": ids[:1]}, format="json"
        ).status_code
        == 400
    )


def test_users_cannot_make_themselves_instructors(api, user):
    response = api.post(
        "/api/auth/register/",
        {"username": "sneaky", "password": "Bachata-99x", "groups": ["instructors"]},
        format="json",
    )
    assert response.status_code == 201
    from django.contrib.auth.models import User

    assert not User.objects.get(username="sneaky").groups.exists()


def test_collection_and_class_plan_pages(client, user, other_user, two_tasks):
    client.force_login(user)
    task = two_tasks[0]
    assert b'id="save"' not in client.get(f"/choreographies/{task.task_id}/").content
    ChoreographyTask.objects.filter(pk=task.pk).update(status="completed")  # the video exists
    assert b'id="save"' in client.get(f"/choreographies/{task.task_id}/").content
    client.post("/collection/", {"action": "save", "task_id": task.task_id, "title": "Boda"})
    page = client.get("/collection/").content.decode()
    assert "Boda" in page and "1 saved" in page
    assert client.get("/class-plans/").status_code == 403  # not an instructor, as in the API
    user.groups.add(Group.objects.get_or_create(name="instructors")[0])
    created = client.post("/class-plans/", {"title": "Martes", "notes": ""})
    plan_url = created["Location"]
    ChoreographyTask.objects.filter(pk__in=[t.pk for t in two_tasks]).update(status="completed")
    for t in two_tasks:
        client.post(plan_url, {"action": "add", "task_id": t.task_id, "minutes": "12"})
    page = client.get(plan_url).content.decode()
    assert "24 minutes" in page
    # Each row's buttons sit in that row (a form straight in a <tr> floats out of it).
    assert page.count('<td class="plan-actions"><form method="post">') == 2
    assert re.search(r"</td>\s*<form", page) is None
    first_item = services.class_plan_get(
        user=user, plan_id=int(plan_url.rstrip("/").split("/")[-1])
    ).items.first()
    client.post(plan_url, {"action": "down", "item": first_item.pk})
    first_item.refresh_from_db()
    assert first_item.position == 1
    printable = client.get(plan_url + "?print=1").content.decode()
    assert "<tfoot>" in printable and "24" in printable
    client.force_login(other_user)
    other_user.groups.add(Group.objects.get(name="instructors"))
    assert client.get(plan_url).status_code == 404


def test_a_class_plan_teaches_one_combo_at_a_time(api, client, user, two_tasks):
    """ "Week 1: combo A": an item can be one combo; the plan, its printable sheet and
    the API list that combo's moves with their counts."""
    user.groups.add(Group.objects.get_or_create(name="instructors")[0])
    task = two_tasks[0]
    blueprint = task.blueprint.blueprint_json
    combo = next(c for c in blueprint["combos"] if c["id"] == "A")
    plan = api.post("/api/class-plans/", {"title": "Semana 1"}, format="json").json()
    added = api.post(
        f"/api/class-plans/{plan['id']}/items/",
        {"task_id": task.task_id, "combo": "A", "minutes": 15},
        format="json",
    )
    assert added.status_code == 201, added.content
    item = api.get(f"/api/class-plans/{plan['id']}/").json()["items"][0]
    assert item["combo"] == "A" and [c["id"] for c in item["combos"]] == ["A"]
    sheet = item["combos"][0]
    assert [m["name"] for m in sheet["moves"]] == [
        next(m["move_name"] for m in blueprint["moves"] if m["move_id"] == x)
        for x in combo["moves"]
    ]
    counts = [m["counts"] for m in sheet["moves"]]
    assert counts[0][0] == 1 and counts[-1][1] == 8 * combo["eight_counts"]
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(counts))  # back to back
    refused = api.post(
        f"/api/class-plans/{plan['id']}/items/",
        {"task_id": task.task_id, "combo": "Z"},
        format="json",
    )
    assert refused.status_code == 400 and "no combo 'Z'" in refused.json()["error"]
    # A choreography whose blueprint is gone has no combos to teach (a clear 400, not 500).
    two_tasks[1].blueprint.delete()
    gone = api.post(
        f"/api/class-plans/{plan['id']}/items/",
        {"task_id": two_tasks[1].task_id, "combo": "A"},
        format="json",
    )
    assert gone.status_code == 400 and "its combos: none" in gone.json()["error"]

    # On the web: add combo B from the blueprint page, then print the plan.
    client.force_login(user)
    page = client.get(f"/choreographies/{task.task_id}/blueprint/").content.decode()
    assert 'name="combo" value="B"' in page and "Semana 1" in page
    answer = client.post(
        "/class-plans/add/", {"plan": plan["id"], "task_id": task.task_id, "combo": "B"}
    )
    assert answer.status_code == 302 and answer["Location"] == f"/class-plans/{plan['id']}/"
    printable = client.get(f"/class-plans/{plan['id']}/?print=1").content.decode()
    assert "Combo A" in printable and "Combo B" in printable
    opening = next(m for m in blueprint["moves"] if m["move_id"] == combo["moves"][0])
    assert f"<td>1-{8 * opening['eight_counts']}</td><td>{opening['move_name']}</td>" in printable
    whole = client.post(f"/class-plans/{plan['id']}/", {"action": "add", "task_id": task.task_id})
    assert whole.status_code == 302
    items = api.get(f"/api/class-plans/{plan['id']}/").json()["items"]
    assert [i["combo"] for i in items] == ["A", "B", None]
    assert len(items[2]["combos"]) == len(blueprint["combos"])  # the whole routine
