"""Services: one transaction per write; blueprints never rewritten silently."""

from __future__ import annotations

import pytest
from django.db import connection

from bachata.blueprint import BlueprintInvalid, parse_blueprint
from bachata.choreography import services
from bachata.choreography.models import BlueprintRecord, ChoreographyTask
from bachata.errors import BachataError, Conflict
from tests.factories import blueprint_dict

pytestmark = pytest.mark.django_db


def test_task_create_stores_task_and_blueprint(user, song):
    doc = parse_blueprint(blueprint_dict(user_id=user.pk, song_id=song.pk))
    task = services.task_create(user=user, song=song, blueprint=doc)
    task.refresh_from_db()
    assert task.task_id == doc.task_id
    assert (task.status, task.progress, task.attempts) == ("pending", 0, 0)
    assert (task.difficulty, task.energy_level, task.style) == ("advanced", "high", "modern")
    assert parse_blueprint(task.blueprint.blueprint_json) == doc
    assert task.blueprint.created_at == task.blueprint.updated_at


def test_task_create_is_all_or_nothing(user, song):
    doc = parse_blueprint(blueprint_dict(user_id=user.pk, song_id=song.pk))
    services.task_create(user=user, song=song, blueprint=doc)
    with pytest.raises(Conflict):
        services.task_create(user=user, song=song, blueprint=doc)
    assert ChoreographyTask.objects.count() == 1 and BlueprintRecord.objects.count() == 1


def test_task_create_refuses_a_blueprint_of_another_user(user, other_user):
    doc = parse_blueprint(blueprint_dict(user_id=other_user.pk))
    with pytest.raises(BachataError, match="user_id"):
        services.task_create(user=user, song=None, blueprint=doc)
    assert not ChoreographyTask.objects.exists()


def test_task_create_refuses_a_blueprint_of_another_song(user, song):
    doc = parse_blueprint(blueprint_dict(user_id=user.pk, song_id=song.pk + 1))
    with pytest.raises(BachataError, match="song"):
        services.task_create(user=user, song=song, blueprint=doc)


def test_task_create_rolls_back_when_the_blueprint_insert_fails(user, monkeypatch):
    doc = parse_blueprint(blueprint_dict(user_id=user.pk))

    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(BlueprintRecord.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.task_create(user=user, song=None, blueprint=doc)
    assert not ChoreographyTask.objects.filter(task_id=doc.task_id).exists()


def test_updated_at_moves_only_on_an_explicit_update(user):
    doc = parse_blueprint(blueprint_dict(user_id=user.pk, moves=2))
    task = services.task_create(user=user, song=None, blueprint=doc)
    with connection.cursor() as cur:  # make "before" clearly in the past
        cur.execute(
            "UPDATE blueprints SET created_at = now() - interval '1 day', "
            "updated_at = now() - interval '1 day' WHERE task_id = %s",
            [task.task_id],
        )
    before = BlueprintRecord.objects.get(pk=task.pk)

    ChoreographyTask.objects.filter(pk=task.pk).update(status="completed", progress=100)
    task.refresh_from_db()
    task.stage = "done"
    task.save()
    assert BlueprintRecord.objects.get(pk=task.pk).updated_at == before.updated_at

    edited = blueprint_dict(task_id=task.task_id, user_id=user.pk, moves=3)
    row = services.blueprint_update(task=task, blueprint=parse_blueprint(edited))
    assert row.updated_at > before.updated_at
    assert row.created_at == before.created_at
    assert len(BlueprintRecord.objects.get(pk=task.pk).blueprint_json["moves"]) == 3


def test_blueprint_update_refuses_invalid_or_foreign_documents(user):
    task = services.task_create(
        user=user, song=None, blueprint=parse_blueprint(blueprint_dict(user_id=user.pk))
    )
    stored = BlueprintRecord.objects.get(pk=task.pk).blueprint_json
    bad = blueprint_dict(task_id=task.task_id, user_id=user.pk)
    bad["output_config"]["fps"] = 0
    with pytest.raises(BlueprintInvalid, match="fps"):
        services.blueprint_update(task=task, blueprint=bad)
    other = parse_blueprint(blueprint_dict(user_id=user.pk))
    with pytest.raises(BachataError, match="does not match"):
        services.blueprint_update(task=task, blueprint=other)
    assert BlueprintRecord.objects.get(pk=task.pk).blueprint_json == stored


def test_blueprint_update_waits_for_a_running_render(user):
    doc = parse_blueprint(blueprint_dict(user_id=user.pk))
    task = services.task_create(user=user, song=None, blueprint=doc)
    ChoreographyTask.objects.filter(pk=task.pk).update(status="running")
    with pytest.raises(Conflict, match="rendering"):
        services.blueprint_update(task=task, blueprint=doc)
