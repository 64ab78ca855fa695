"""Selectors: owner-only blueprint fetch, history newest first, statistics."""

from __future__ import annotations

import pytest
from django.db import connection

from bachata.blueprint import parse_blueprint
from bachata.choreography import selectors, services
from bachata.errors import NotFound
from tests.factories import blueprint_dict

pytestmark = pytest.mark.django_db


def _create(user, **kwargs):
    return services.task_create(
        user=user, song=None, blueprint=parse_blueprint(blueprint_dict(user_id=user.pk, **kwargs))
    )


def test_owner_gets_the_blueprint_and_nobody_else_does(user, other_user):
    task = _create(user)
    assert selectors.blueprint_get(task_id=task.task_id, user=user).task_id == task.task_id
    with pytest.raises(NotFound):
        selectors.blueprint_get(task_id=task.task_id, user=other_user)
    with pytest.raises(NotFound):
        selectors.blueprint_get(task_id="00000000-0000-4000-8000-000000000000", user=user)


def test_task_without_blueprint_is_not_found(user):
    task = _create(user)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM blueprints WHERE task_id = %s", [task.task_id])
    with pytest.raises(NotFound):
        selectors.blueprint_get(task_id=task.task_id, user=user)


def test_history_is_the_users_newest_first(user, other_user):
    tasks = [_create(user) for _ in range(3)]
    _create(other_user)
    with connection.cursor() as cur:
        for age, task in enumerate(tasks):  # tasks[0] newest
            cur.execute(
                "UPDATE choreography_tasks SET created_at = now() - %s * interval '1 min' "
                "WHERE task_id = %s",
                [age, task.task_id],
            )
    history = list(selectors.task_history(user=user))
    assert [t.task_id for t in history] == [t.task_id for t in tasks]
    assert all(t.blueprint.blueprint_json["task_id"] == t.task_id for t in history)


def test_stats_on_known_rows(user):
    assert selectors.blueprint_stats() == selectors.BlueprintStats(0, None, None)
    _create(user, moves=1, move_seconds=10.0)
    _create(user, moves=3, move_seconds=10.0)
    stats = selectors.blueprint_stats()
    assert stats.total_blueprints == 2
    assert stats.avg_moves == pytest.approx(2.0)
    assert stats.avg_duration == pytest.approx(20.0)


def test_render_eta_from_measured_speed_and_own_progress(user, song):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from bachata.blueprint import parse_blueprint
    from bachata.choreography import services
    from bachata.choreography.models import ChoreographyTask
    from tests.factories import blueprint_dict

    cache.delete("bachata:render-speed")
    doc = parse_blueprint(blueprint_dict(user_id=user.pk, song_id=song.pk))
    waiting = services.task_create(user=user, song=song, blueprint=doc)
    assert selectors.render_eta(task=waiting) is None  # nothing measured yet
    done = services.task_create(
        user=user,
        song=song,
        blueprint=doc.model_copy(update={"task_id": "00000000-0000-4000-8000-00000000000d"}),
    )
    ChoreographyTask.objects.filter(pk=done.pk).update(
        status="completed",
        finished_at=timezone.now(),
        render_stats={"seconds": 20.0, "duration": 40.0},
    )
    cache.delete("bachata:render-speed")
    assert selectors.render_eta(task=waiting) == round(0.5 * doc.total_duration, 1)
    ChoreographyTask.objects.filter(pk=waiting.pk).update(
        status="running", progress=25, started_at=timezone.now() - timedelta(seconds=10)
    )
    waiting.refresh_from_db()
    assert selectors.render_eta(task=waiting) == pytest.approx(30, abs=0.5)
    done.refresh_from_db()
    assert selectors.render_eta(task=done) is None
