"""``bachata db backup`` and ``restore``: every blueprint comes back in a fresh data dir,
and the analytics the triggers keep are restored as they were, not counted twice."""

from __future__ import annotations

import os

import psycopg
import pytest
from django.db import connection

from bachata.blueprint import parse_blueprint
from bachata.choreography import services
from bachata.database import url_from_django
from tests.cli import bachata
from tests.factories import blueprint_dict

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot(url: str) -> dict[str, object]:
    with psycopg.connect(url) as conn:
        return {
            "blueprints": conn.execute(
                "SELECT task_id, blueprint_json FROM blueprints ORDER BY task_id"
            ).fetchall(),
            "facts": conn.execute("SELECT count(*) FROM blueprint_facts").fetchone()[0],
            "usage": conn.execute(
                "SELECT move_id, sum(uses) FROM blueprint_move_usage GROUP BY move_id "
                "ORDER BY move_id"
            ).fetchall(),
            "deltas": conn.execute(
                "SELECT day, move_ids, blueprints FROM blueprint_deltas ORDER BY id"
            ).fetchall(),
            "rollup": conn.execute("SELECT * FROM blueprint_rollup ORDER BY 1, 2, 3, 4").fetchall(),
            "users": conn.execute("SELECT username FROM auth_user ORDER BY 1").fetchall(),
        }


def test_backup_then_restore_into_a_fresh_data_dir(user, song, tmp_path):
    for n in range(3):
        doc = parse_blueprint(blueprint_dict(user_id=user.pk, song_id=song.pk))
        services.task_create(user=user, song=song, blueprint=doc)
        if n == 1:  # two blueprints in the rollups, one still a delta
            services.analytics_compact()
    source_url = url_from_django(connection.settings_dict)
    before = _snapshot(source_url)
    assert before["rollup"] and len(before["deltas"]) == 1
    assert len(before["blueprints"]) == 3 and before["facts"] == 3

    dump = tmp_path / "bachata.dump"
    made = bachata(
        "db", "backup", "--out", str(dump), env={**os.environ, "DATABASE_URL": source_url}
    )
    assert made.returncode == 0, made.stderr
    assert dump.stat().st_size > 0

    fresh = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    fresh["BACHATA_DATA_DIR"] = str(tmp_path / "fresh-data")
    try:
        restored = bachata("db", "restore", str(dump), env=fresh)
        assert restored.returncode == 0, restored.stderr
        url = bachata("db", "url", env=fresh).stdout.strip()
        assert _snapshot(url) == before
        again = bachata("db", "restore", str(dump), env=fresh)
        assert again.returncode == 1 and "not empty" in again.stderr
    finally:
        bachata("db", "stop", env=fresh)
