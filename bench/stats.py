"""Blueprint statistics at 1,000,000 blueprints (`make bench`).

Fills a database of its own (``bachata_bench_1m`` on the embedded server, kept between
runs) in chunks of 250k, printing each chunk's rate (a bulk load must stay linear), folds
the analytics deltas as the every-minute job does, then times ``GET
/api/blueprints/stats/`` with everything folded and with 1,000 fresh deltas, and the
seed's statistics SQL for comparison. Targets: <= 50 ms at 100k (see api.py), <= 100 ms
at 1M.
"""

from __future__ import annotations

import json
import os
import time

N_BLUEPRINTS = 1_000_000
CHUNK = 250_000


def _template() -> str:
    """A real blueprint cut to 6 moves: statistics do not depend on a blueprint's size,
    and 1M full blueprints would take 7 GB."""
    from planner import bench_blueprint

    doc = bench_blueprint().to_json_dict()
    doc["moves"] = doc["moves"][:6]
    return json.dumps(doc)


def main() -> None:
    os.environ["BACHATA_DB_NAME"] = "bachata_bench_1m"
    from bachata.cli.root import setup_django

    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from rest_framework.test import APIClient

    from api import compact_timed, fill_blueprints, timed
    from bachata.choreography.models import BlueprintRecord

    print(f"== statistics with {N_BLUEPRINTS:,} blueprints")
    have = BlueprintRecord.objects.count()
    while have < N_BLUEPRINTS:
        fill_blueprints(min(CHUNK, N_BLUEPRINTS - have), _template())
        have = BlueprintRecord.objects.count()
    compact_timed()

    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    admin = APIClient(SERVER_NAME="localhost")
    admin.force_authenticate(staff)
    timed("GET stats (all folded)", lambda i: admin.get("/api/blueprints/stats/"), 20)

    # Generates since the last compaction (they stay: the next run folds them).
    fill_blueprints(1_000, _template())
    timed("GET stats (1,000 unfolded)", lambda i: admin.get("/api/blueprints/stats/"), 20)

    from bachata.choreography.selectors import SEED_STATS_SQL

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(SEED_STATS_SQL)
        cur.fetchone()
    print(f"  seed statistics SQL (verbatim)   {(time.perf_counter() - started) * 1000:7.1f} ms")
