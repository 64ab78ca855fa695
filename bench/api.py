"""API timings with 100,000 stored blueprints (`make bench`).

Fills a separate database (``bachata_bench`` on the embedded server, kept between runs)
with 100k tasks and blueprints shaped like real ones, then times GET blueprint, GET
history and GET stats through the API in-process, and the seed's statistics SQL.
"""

from __future__ import annotations

import os
import statistics
import time

N_BLUEPRINTS = 100_000
N_USERS = 500


def _bench_song():
    """A 5-minute song with a stored analysis and the demo library's move rows."""
    from bachata.choreography.models import Move, Song, SongAnalysisRecord
    from bachata.demo.library import demo_library
    from bachata.demo.synth import synth_bachata
    from bachata.music import ANALYSER_VERSION, analyse
    from planner import STRUCTURE

    song = Song.objects.filter(audio_sha256="b" * 64).first()
    if song is None:
        audio = synth_bachata(bpm=128, structure=STRUCTURE, seed=3)
        result = analyse(audio.audio, audio.sr)
        record = SongAnalysisRecord.objects.create(
            audio_sha256="b" * 64, analyser_version=ANALYSER_VERSION, result=result.to_dict()
        )
        song = Song.objects.create(
            title="Bench",
            audio_path="songs/bench.mp3",
            audio_sha256="b" * 64,
            bpm=result.bpm,
            duration=result.duration,
            analysis=record,
        )
    for m in demo_library():
        Move.objects.update_or_create(
            move_id=m.move_id,
            defaults={
                "move_name": m.move_name,
                "video_path": m.video_path,
                "duration": m.duration,
                "difficulty": m.difficulty,
                "energy_level": m.energy_level,
                "style": m.style,
                "length_counts": 8 * m.eight_counts,
                "tempo_bpm": m.tempo,
                "count1_offset": m.count1_offset,
                "checksum": "0" * 64,
            },
        )
    return song


def fill_blueprints(count: int, template: str) -> None:
    """Add ``count`` tasks and blueprints (copies of ``template`` with their own task id,
    user, knobs and creation time over 90 days) in one statement, and print the rate.

    Every trigger runs as for real generates (facts, analytics deltas), so the rate shows
    whether a bulk load stays linear.
    """
    from django.contrib.auth.models import User
    from django.db import connection

    User.objects.bulk_create(
        [User(username=f"bench{i}") for i in range(N_USERS)], ignore_conflicts=True
    )
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            """
            WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM auth_user
                        WHERE username LIKE 'bench%%'),
            new AS (
              INSERT INTO choreography_tasks
                (task_id, user_id, difficulty, energy_level, style, status, stage, progress,
                 error_message, attempts, output_video_uri, render_stats, created_at)
              SELECT gen_random_uuid()::text, u.ids[1 + (i %% array_length(u.ids, 1))],
                     (ARRAY['beginner','intermediate','advanced'])[1 + i %% 3],
                     (ARRAY['low','medium','high'])[1 + (i / 3) %% 3],
                     (ARRAY['modern','sensual','dominican'])[1 + (i / 9) %% 3],
                     'completed', 'done', 100, '', 1, '', '{}',
                     now() - (i %% 90) * interval '1 day' - random() * interval '1 day'
                FROM generate_series(1, %s) i, u
              RETURNING task_id, user_id, created_at, difficulty, energy_level, style)
            INSERT INTO blueprints (task_id, blueprint_json, created_at, updated_at)
            SELECT task_id,
                   jsonb_set(jsonb_set(jsonb_set(%s::jsonb, '{task_id}', to_jsonb(task_id)),
                             '{generation_parameters,user_id}', to_jsonb(user_id)),
                             '{generation_parameters,style}', to_jsonb(style)),
                   created_at, created_at
              FROM new
            """,
            [count, template],
        )
        seconds = time.perf_counter() - started
        cur.execute("ANALYZE")
    print(
        f"  filled {count:,} blueprints in one statement: {seconds:.0f} s "
        f"({seconds / count * 1000:.2f} ms each)"
    )


def timed(label: str, call, repeat: int, expect: int = 200) -> None:
    """Call ``call(i)`` ``repeat`` times; print the first (cold) call's time, and the
    median and p95 of the others."""
    seconds = []
    for i in range(repeat + 1):
        started = time.perf_counter()
        response = call(i)
        seconds.append(time.perf_counter() - started)
        assert response.status_code == expect, response.content[:200]
    cold, warm = seconds[0], sorted(seconds[1:])
    p95 = warm[min(len(warm) - 1, int(len(warm) * 0.95))]
    print(
        f"  {label:<28} median {statistics.median(warm) * 1000:7.1f} ms   "
        f"p95 {p95 * 1000:7.1f} ms   (first call {cold * 1000:.1f} ms)"
    )


def compact_timed() -> None:
    """Fold the analytics deltas (as the every-minute job does) and print how long it took."""
    from bachata.choreography.services import analytics_compact

    started = time.perf_counter()
    folded = analytics_compact()
    if folded:
        print(
            f"  analytics compaction: {folded:,} deltas folded in "
            f"{time.perf_counter() - started:.1f} s"
        )


def main() -> None:
    os.environ["BACHATA_DB_NAME"] = "bachata_bench"
    from bachata.cli.root import setup_django

    setup_django()
    import json

    from django.contrib.auth.models import User
    from django.db import connection
    from rest_framework.test import APIClient

    from bachata.choreography.models import BlueprintRecord
    from planner import bench_blueprint

    have = BlueprintRecord.objects.count()
    if have < N_BLUEPRINTS:
        fill_blueprints(N_BLUEPRINTS - have, json.dumps(bench_blueprint().to_json_dict()))
    compact_timed()

    user = User.objects.filter(username="bench1").first()
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    client, admin = APIClient(SERVER_NAME="localhost"), APIClient(SERVER_NAME="localhost")
    client.force_authenticate(user)
    admin.force_authenticate(staff)
    task_ids = list(user.choreography_tasks.values_list("task_id", flat=True)[:50])

    print(f"== API with {N_BLUEPRINTS:,} blueprints (user with {len(task_ids)}+ tasks)")
    timed(
        "GET blueprint",
        lambda i: client.get(f"/api/choreographies/{task_ids[i % len(task_ids)]}/blueprint/"),
        100,
    )
    timed("GET history (page 1)", lambda i: client.get("/api/choreographies/"), 50)
    timed("GET stats (staff)", lambda i: admin.get("/api/blueprints/stats/"), 20)

    song = _bench_song()
    from bachata.choreography.models import ChoreographyTask

    ChoreographyTask.objects.filter(song=song).delete()  # left by an interrupted run
    # One user per call: a dancer may have 3 renders waiting at once (the render quota).
    dancers = list(User.objects.filter(username__startswith="bench").order_by("pk")[:21])

    def generate(i: int):
        client.force_authenticate(dancers[i])
        return client.post(
            "/api/choreographies/",
            {
                "song_id": song.pk,
                "difficulty": "intermediate",
                "energy_level": "medium",
                "style": "modern",
                "seed": i,
            },
            format="json",
        )

    timed("POST generate (202)", generate, 20, expect=202)

    ChoreographyTask.objects.filter(song=song).delete()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM procrastinate_jobs WHERE status = 'todo'")

    from bachata.choreography.selectors import SEED_STATS_SQL

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(SEED_STATS_SQL)
        cur.fetchone()
    print(f"  seed statistics SQL (verbatim)   {(time.perf_counter() - started) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
