"""Retention: indefinite by default, pruning never touches pending or running tasks."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.db import connection

from bachata.blueprint import parse_blueprint
from bachata.choreography import services
from bachata.choreography.models import BlueprintRecord, ChoreographyTask
from bachata.cli import cli
from tests.factories import blueprint_dict

pytestmark = pytest.mark.django_db


def _task(user, *, age_days, status):
    task = services.task_create(
        user=user, song=None, blueprint=parse_blueprint(blueprint_dict(user_id=user.pk))
    )
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE blueprints SET created_at = now() - %s * interval '1 day' WHERE task_id = %s",
            [age_days, task.task_id],
        )
    ChoreographyTask.objects.filter(pk=task.pk).update(status=status)
    return task


def test_prune_removes_old_blueprints_but_not_active_ones(user):
    old_done = _task(user, age_days=120, status="completed")
    old_failed = _task(user, age_days=95, status="failed")
    old_running = _task(user, age_days=200, status="running")
    old_pending = _task(user, age_days=100, status="pending")
    recent = _task(user, age_days=10, status="completed")

    dry = services.blueprints_prune(older_than=timedelta(days=90), dry_run=True)
    assert (dry.deleted, dry.kept_active, dry.dry_run) == (2, 2, True)
    assert BlueprintRecord.objects.count() == 5

    report = services.blueprints_prune(older_than=timedelta(days=90))
    assert (report.deleted, report.kept_active) == (2, 2)
    left = set(BlueprintRecord.objects.values_list("task_id", flat=True))
    assert left == {old_running.task_id, old_pending.task_id, recent.task_id}
    assert ChoreographyTask.objects.filter(pk__in=[old_done.pk, old_failed.pk]).count() == 2


def test_prune_cli(user):
    _task(user, age_days=100, status="completed")
    runner = CliRunner()
    dry = runner.invoke(cli, ["blueprints", "prune", "--older-than", "90d", "--dry-run"])
    assert dry.exit_code == 0 and "would delete 1 blueprints" in dry.stdout
    assert BlueprintRecord.objects.count() == 1
    done = runner.invoke(cli, ["blueprints", "prune", "--older-than", "12w"])
    assert "deleted 1 blueprints" in done.stdout and BlueprintRecord.objects.count() == 0
    bad = runner.invoke(cli, ["blueprints", "prune", "--older-than", "soon"])
    assert bad.exit_code == 2 and "90d" in bad.output


def _session_ends(pid: int) -> bool:
    """Whether the server session ``pid`` is gone within a few seconds (a backend leaves
    pg_stat_activity shortly after its client disconnects, not at once)."""
    for _ in range(100):
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cur.fetchone()[0] == 0:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_scheduled_prune_only_when_configured(user, settings):
    """The worker runs the task in a thread of its own: it prunes, and leaves no
    database session open behind it."""
    from django.db import connections

    from bachata.choreography.tasks import prune_blueprints

    def in_a_worker_thread() -> tuple[int, int]:
        result, kept = [], []

        def work() -> None:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                result.append(cur.fetchone()[0])
            kept.append(connections["default"])  # not closed by garbage collection
            result.append(prune_blueprints(timestamp=0))

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        return result[1], result[0]

    _task(user, age_days=100, status="completed")
    settings.BLUEPRINT_RETENTION_DAYS = 0
    assert in_a_worker_thread()[0] == 0 and BlueprintRecord.objects.count() == 1
    settings.BLUEPRINT_RETENTION_DAYS = 90
    pruned, session = in_a_worker_thread()
    assert pruned == 1 and BlueprintRecord.objects.count() == 0
    # Another test's server thread may come and go meanwhile: this session is the one.
    assert _session_ends(session)
