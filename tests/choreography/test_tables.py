"""The seed's tables and SQL, checked on the real PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from bachata.choreography import services
from bachata.choreography.models import BlueprintRecord, ChoreographyTask
from bachata.choreography.selectors import SEED_STATS_SQL
from tests.factories import blueprint_dict

pytestmark = pytest.mark.django_db


def _columns(table: str) -> dict[str, tuple[str, str, int | None]]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name, data_type, is_nullable, character_maximum_length "
            "FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return {name: (dtype, nullable, length) for name, dtype, nullable, length in cur.fetchall()}


def test_blueprints_table_is_the_seeds():
    cols = _columns("blueprints")
    assert set(cols) == {"task_id", "blueprint_json", "created_at", "updated_at"}
    assert cols["task_id"] == ("character varying", "NO", 36)
    assert cols["blueprint_json"][:2] == ("jsonb", "NO")
    assert cols["created_at"][0].startswith("timestamp") and cols["created_at"][1] == "NO"
    assert cols["updated_at"][0].startswith("timestamp") and cols["updated_at"][1] == "NO"
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = 'blueprints'::regclass AND c.contype IN ('p', 'f')
            ORDER BY c.contype
            """
        )
        defs = [row[0] for row in cur.fetchall()]
    assert defs == [
        "FOREIGN KEY (task_id) REFERENCES choreography_tasks(task_id) ON DELETE CASCADE",
        "PRIMARY KEY (task_id)",
    ]


def test_choreography_tasks_table_has_the_task_columns():
    cols = _columns("choreography_tasks")
    assert cols["task_id"] == ("character varying", "NO", 36)
    for name in [
        "user_id",
        "song_id",
        "difficulty",
        "energy_level",
        "style",
        "status",
        "stage",
        "progress",
        "error_message",
        "attempts",
        "output_video_uri",
        "created_at",
        "started_at",
        "finished_at",
    ]:
        assert name in cols, name
    assert "songs" in connection.introspection.table_names()
    assert "moves" in connection.introspection.table_names()


def test_raw_sql_delete_of_a_task_removes_its_blueprint(user):
    task = services.task_create(user=user, song=None, blueprint=_doc(user))
    with connection.cursor() as cur:
        cur.execute("DELETE FROM choreography_tasks WHERE task_id = %s", [task.task_id])
    assert not BlueprintRecord.objects.filter(task_id=task.task_id).exists()


def test_database_rejects_a_blueprint_without_a_task():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO blueprints (task_id, blueprint_json) VALUES (%s, %s)",
            ["00000000-0000-4000-8000-000000000000", json.dumps(blueprint_dict())],
        )


def test_database_rejects_progress_outside_0_100(user):
    from django.db import IntegrityError

    task = services.task_create(user=user, song=None, blueprint=_doc(user))
    with pytest.raises(IntegrityError):
        ChoreographyTask.objects.filter(pk=task.pk).update(progress=101)


def _doc(user, **kwargs):
    from bachata.blueprint import parse_blueprint

    return parse_blueprint(blueprint_dict(user_id=user.pk, **kwargs))


def test_seed_queries_run_verbatim(user, other_user):
    first = services.task_create(user=user, song=None, blueprint=_doc(user, moves=2))
    second = services.task_create(user=user, song=None, blueprint=_doc(user, moves=4))
    services.task_create(user=other_user, song=None, blueprint=_doc(other_user, moves=6))
    # Known creation times, so "newest first" is observable.
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE blueprints SET created_at = now() - interval '1 hour' WHERE task_id = %s",
            [first.task_id],
        )

        cur.execute(f"""
SELECT blueprint_json
FROM blueprints
WHERE task_id = '{second.task_id}';
""")
        (found,) = cur.fetchone()
        found = json.loads(found) if isinstance(found, str) else found
        assert found["task_id"] == second.task_id and len(found["moves"]) == 4

        cur.execute(f"""
SELECT b.task_id, b.blueprint_json, b.created_at
FROM blueprints b
JOIN choreography_tasks t ON b.task_id = t.task_id
WHERE t.user_id = {user.pk}
ORDER BY b.created_at DESC;
""")
        assert [row[0] for row in cur.fetchall()] == [second.task_id, first.task_id]

        cur.execute(SEED_STATS_SQL)
        total, avg_moves, avg_duration = cur.fetchone()
    assert total == 3
    assert float(avg_moves) == pytest.approx(4.0)
    assert avg_duration == pytest.approx((2 + 4 + 6) * 5.2 / 3)


SEED_STATS_TEXT = """
SELECT
    COUNT(*) as total_blueprints,
    AVG(jsonb_array_length(blueprint_json->'moves')) as avg_moves,
    AVG((blueprint_json->>'total_duration')::float) as avg_duration
FROM blueprints;"""


def test_stats_sql_is_the_seeds_text():
    assert SEED_STATS_SQL.split() == SEED_STATS_TEXT.split()


def test_blueprint_facts_follow_every_write_including_raw_sql(user):
    from bachata.choreography.selectors import blueprint_analytics, blueprint_stats

    a = services.task_create(user=user, song=None, blueprint=_doc(user, moves=2))
    services.task_create(user=user, song=None, blueprint=_doc(user, moves=5))
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE blueprints SET blueprint_json = jsonb_set(blueprint_json, "
            "'{total_duration}', '99.5') WHERE task_id = %s",
            [a.task_id],
        )
        cur.execute(
            "SELECT moves_count, total_duration, move_ids FROM blueprint_facts WHERE task_id = %s",
            [a.task_id],
        )
        assert cur.fetchone() == (2, 99.5, ["move_001", "move_002"])
        cur.execute("DELETE FROM choreography_tasks WHERE task_id = %s", [a.task_id])
        cur.execute("SELECT COUNT(*) FROM blueprint_facts")
        assert cur.fetchone() == (1,)
    analytics, seed = blueprint_analytics(), blueprint_stats()
    assert analytics["total_blueprints"] == seed.total_blueprints == 1
    assert analytics["avg_moves"] == pytest.approx(seed.avg_moves)
    assert analytics["avg_duration"] == pytest.approx(seed.avg_duration)
    assert analytics["popular_moves"][0] == {
        "move_id": "move_001",
        "move_name": "move_001",
        "count": 1,
    }


def test_truncating_blueprints_clears_the_facts(user):
    from bachata.choreography.selectors import blueprint_analytics

    services.task_create(user=user, song=None, blueprint=_doc(user, moves=3))
    with connection.cursor() as cur:
        cur.execute("TRUNCATE blueprints")
    analytics = blueprint_analytics()
    assert analytics["total_blueprints"] == 0 and analytics["popular_moves"] == []


def test_analytics_equal_the_seed_query_before_and_after_compaction(user):
    from bachata.choreography.selectors import blueprint_analytics, blueprint_stats

    tasks = [
        services.task_create(user=user, song=None, blueprint=_doc(user, moves=n)) for n in (2, 3, 5)
    ]
    seen = []
    for step in ("before", "compacted", "deleted", "compacted again"):
        if step == "deleted":
            tasks[0].delete()
        elif step.startswith("compacted"):
            assert services.analytics_compact() > 0
        analytics, seed = blueprint_analytics(), blueprint_stats()
        assert analytics["total_blueprints"] == seed.total_blueprints, step
        assert analytics["avg_moves"] == pytest.approx(seed.avg_moves), step
        assert analytics["avg_duration"] == pytest.approx(seed.avg_duration), step
        seen.append((analytics["popular_moves"][0], analytics["per_day"]))
    assert seen[0] == seen[1] and seen[2] == seen[3]
    assert seen[0][0] == {"move_id": "move_001", "move_name": "move_001", "count": 3}
    assert seen[2][0]["count"] == 2 and seen[2][1][0]["count"] == 2
    assert services.analytics_compact() == 0


def test_a_new_blueprint_changes_no_shared_analytics_row(user):
    """No hot row: a generate appends its analytics; it never updates a row that other
    generates also update (which made them wait on each other's locks)."""
    services.task_create(user=user, song=None, blueprint=_doc(user, moves=3))
    services.analytics_compact()
    shared = (
        "SELECT 'usage', move_id, xmin::text FROM blueprint_move_usage "
        "UNION ALL SELECT 'rollup', day::text, xmin::text FROM blueprint_rollup ORDER BY 1, 2"
    )
    with connection.cursor() as cur:
        cur.execute(shared)
        before = cur.fetchall()
        assert before
        services.task_create(user=user, song=None, blueprint=_doc(user, moves=3))
        cur.execute(shared)
        assert cur.fetchall() == before


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    """Every change to the models has its migration (``makemigrations --check`` exits 1)."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
