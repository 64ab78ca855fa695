"""Reads of tasks, blueprints, videos and streams, and the blueprint analytics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.db.models import QuerySet

from bachata.blueprint import Blueprint
from bachata.choreography.blueprints import validated_blueprint
from bachata.choreography.models import (
    BlueprintRecord,
    ChoreographyTask,
)
from bachata.demo import DEMO_USER
from bachata.errors import NotFound

_Row = TypeVar("_Row", bound=models.Model)

#: What a task id can look like (a UUID); anything else is simply not found.
_TASK_ID = re.compile(r"^[0-9A-Za-z-]{1,36}$")


def blueprint_get(*, task_id: str, user: AbstractBaseUser) -> BlueprintRecord:
    """The blueprint of ``task_id`` if ``user`` owns the task.

    Raises
    ------
    NotFound
        When there is no such task, it belongs to someone else, or it has no blueprint:
        all three look the same to the caller.
    """
    rows = BlueprintRecord.objects.select_related("task").filter(task__user=user)
    return _one_of(rows, task_id, f"no blueprint for task {task_id}")


def blueprint_document(*, task_id: str, user: AbstractBaseUser) -> Blueprint:
    """The typed blueprint of the user's task ``task_id`` (see :func:`blueprint_get`)."""
    return validated_blueprint(blueprint_get(task_id=task_id, user=user).blueprint_json)


def blueprint_find(*, task_id: str) -> BlueprintRecord:
    """Any user's stored blueprint, for operators (the CLI); NotFound if none."""
    return _one_of(BlueprintRecord.objects.all(), task_id, f"no blueprint for task {task_id}")


def task_get(*, task_id: str, user: AbstractBaseUser) -> ChoreographyTask:
    """The user's task (with its song), or NotFound — also for anybody else's task."""
    tasks = ChoreographyTask.objects.select_related("song").filter(user=user)
    return _one_of(tasks, task_id, f"no task {task_id}")


def _one_of(rows: QuerySet[_Row], task_id: str, missing: str) -> _Row:
    """The row of ``task_id`` among ``rows``; NotFound (``missing``) when there is none,
    and for anything that is not a task id at all."""
    row = rows.filter(task_id=task_id).first() if _TASK_ID.match(task_id) else None
    if row is None:
        raise NotFound(missing)
    return row


def task_video_location(*, task: ChoreographyTask) -> str:
    """Where the task's finished video is stored (NotFound while there is none)."""
    if task.status != "completed" or not task.output_video_uri:
        raise NotFound(f"task {task.task_id} has no video yet (status: {task.status})")
    return task.output_video_uri


def task_video_path(*, task: ChoreographyTask) -> Path:
    """A readable local file of the task's video (a cached copy for gs:// videos)."""
    from django.conf import settings

    from bachata.storage import storage_for

    return storage_for(settings.BACHATA).local_path(task_video_location(task=task))


def task_stream_path(*, task: ChoreographyTask, name: str) -> Path:
    """A readable local file of the running task's preview stream: its playlist
    (``index.m3u8``) or a segment. NotFound once the render has ended (the MP4 is then
    the video) and for any other name."""
    from bachata.render.stream import is_stream_file

    if task.status != "running" or not task.stream_uri or not is_stream_file(name):
        raise NotFound(f"task {task.task_id} has no stream file {name!r}")
    from django.conf import settings

    from bachata.storage import storage_for

    folder = task.stream_uri.rsplit("/", 1)[0]
    return storage_for(settings.BACHATA).local_path(f"{folder}/{name}")


def sample_task() -> ChoreographyTask | None:
    """The newest finished choreography of the demo account (the home page's sample)."""
    return (
        ChoreographyTask.objects.filter(user__username=DEMO_USER, status="completed")
        .exclude(output_video_uri="")
        .order_by("-finished_at")
        .first()
    )


def render_eta(*, task: ChoreographyTask) -> float | None:
    """Seconds until the task's video is ready, from measured render speed; None when
    it is not waiting or nothing has been measured yet.

    A running render extrapolates its own progress; a waiting one takes the median
    speed (render seconds per video second) of the last 20 finished renders, measured
    at most once a minute (status pages poll every second).
    """
    from django.core.cache import cache
    from django.utils import timezone

    if task.status == "running" and task.started_at is not None and task.progress >= 5:
        elapsed = (timezone.now() - task.started_at).total_seconds()
        return round(elapsed * (100 - task.progress) / task.progress, 1)
    if task.status not in ("pending", "running"):
        return None
    speed = cache.get_or_set("bachata:render-speed", _render_speed, 60)
    # The narrow facts row, not the blueprint's JSON.
    rows = _rows("SELECT total_duration FROM blueprint_facts WHERE task_id = %s", [task.task_id])
    length = rows[0][0] if rows else None
    if not speed or not length:
        return None
    return round(speed * float(length), 1)


def _render_speed() -> float:
    """Median render seconds per video second of the last 20 finished renders (0: none)."""
    from statistics import median

    recent = (
        ChoreographyTask.objects.filter(status="completed", finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("render_stats", flat=True)[:20]
    )
    speeds = [
        r["seconds"] / r["duration"] for r in recent if r.get("seconds") and r.get("duration")
    ]
    return median(speeds) if speeds else 0.0


def task_history(*, user: AbstractBaseUser) -> QuerySet[ChoreographyTask]:
    """The user's tasks, newest first, with their blueprint and song joined in."""
    return (
        ChoreographyTask.objects.filter(user=user)
        .select_related("blueprint", "song")
        .order_by("-created_at", "-task_id")
    )


@dataclass(frozen=True)
class BlueprintStats:
    """The seed's blueprint statistics."""

    total_blueprints: int
    avg_moves: float | None
    avg_duration: float | None


# The seed's statistics query, verbatim.
SEED_STATS_SQL = """
SELECT
    COUNT(*) as total_blueprints,
    AVG(jsonb_array_length(blueprint_json->'moves')) as avg_moves,
    AVG((blueprint_json->>'total_duration')::float) as avg_duration
FROM blueprints;
"""


def blueprint_stats() -> BlueprintStats:
    """Count of blueprints, average number of moves, average total duration (seconds)."""
    with connection.cursor() as cursor:
        cursor.execute(SEED_STATS_SQL)
        total, avg_moves, avg_duration = cursor.fetchone()
    return BlueprintStats(
        total_blueprints=int(total),
        avg_moves=float(avg_moves) if avg_moves is not None else None,
        avg_duration=float(avg_duration) if avg_duration is not None else None,
    )


def _rows(sql: str, params: list[object] | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def blueprint_analytics(*, top: int = 10, days: int = 30) -> dict[str, object]:
    """Staff analytics: the seed's statistics, most popular moves, the distribution of
    difficulty, energy and style, and generations per day over the last ``days`` days
    (today included, UTC).

    Reads the rollups (one row per day and knob combination, one per move) plus the
    deltas the scheduled compaction has not folded in yet (migration 0015), so it costs
    the same with a thousand blueprints or a million, and equals the seed's query over
    ``blueprints`` at any moment.
    """
    groups = _rows(
        """
        SELECT day, difficulty, energy_level, style, SUM(blueprints), SUM(moves),
               SUM(duration), SUM(durations)
          FROM (SELECT day, difficulty, energy_level, style, blueprints, moves, duration,
                       durations FROM blueprint_rollup
                UNION ALL
                SELECT day, difficulty, energy_level, style, blueprints, moves,
                       COALESCE(duration, 0),
                       CASE WHEN duration IS NULL THEN 0 ELSE blueprints END
                  FROM blueprint_deltas) t
         GROUP BY 1, 2, 3, 4 HAVING SUM(blueprints) <> 0
        """
    )
    popular = _rows(
        """
        SELECT u.move_id, COALESCE(m.move_name, u.move_id), u.uses
          FROM (SELECT move_id, SUM(uses) AS uses
                  FROM (SELECT move_id, uses FROM blueprint_move_usage
                        UNION ALL
                        SELECT m, blueprints FROM blueprint_deltas, unnest(move_ids) m) a
                 GROUP BY 1) u
          LEFT JOIN moves m ON m.move_id = u.move_id
         WHERE u.uses > 0
         ORDER BY u.uses DESC, u.move_id LIMIT %s
        """,
        [top],
    )
    total = int(sum(g[4] for g in groups))
    with_duration = int(sum(g[7] for g in groups))
    distribution: dict[str, dict[str, int]] = {}
    for index, column in enumerate(("difficulty", "energy_level", "style"), start=1):
        counts: dict[str, int] = {}
        for g in groups:
            if g[index]:
                counts[g[index]] = counts.get(g[index], 0) + int(g[4])
        distribution[column] = dict(sorted(counts.items()))
    first_day = datetime.now(UTC).date() - timedelta(days=days - 1)
    per_day: dict[str, int] = {}
    for g in groups:
        if g[0] >= first_day:
            per_day[g[0].isoformat()] = per_day.get(g[0].isoformat(), 0) + int(g[4])
    return {
        "total_blueprints": total,
        "avg_moves": float(sum(g[5] for g in groups)) / total if total else None,
        "avg_duration": float(sum(g[6] for g in groups)) / with_duration if with_duration else None,
        "popular_moves": [{"move_id": m, "move_name": n, "count": int(c)} for m, n, c in popular],
        "distribution": distribution,
        "per_day": [{"day": d, "count": c} for d, c in sorted(per_day.items())],
    }


@dataclass(frozen=True)
class PracticeTimeline:
    """What the practice player needs, in video time (seconds from the first move).

    Attributes
    ----------
    moves
        ``(name, start, end)`` of every move.
    counts
        ``(time, count)`` of every count 1-8 of the song's (corrected) grid in the video.
    duration
        Length of the video.
    """

    moves: list[tuple[str, float, float]]
    counts: list[tuple[float, int]]
    duration: float

    def to_json(self) -> dict[str, object]:
        """The player's data (``practice.js``)."""
        return {
            "moves": [{"name": n, "start": a, "end": b} for n, a, b in self.moves],
            "counts": self.counts,
            "duration": self.duration,
        }


def practice_timeline(*, task: ChoreographyTask) -> PracticeTimeline | None:
    """The practice player's moves and counts for a task's blueprint; None without one."""
    from bachata.choreography.selectors.library import song_grid

    row = BlueprintRecord.objects.filter(task=task).first()
    if row is None:
        return None
    moves = validated_blueprint(row.blueprint_json).moves
    t0, t1 = moves[0].start_time, moves[-1].end_time
    grid = song_grid(song=task.song)
    counts = [
        (round(t - t0, 3), i + 1)
        for eight in (grid.count_grid if grid is not None else [])
        for i, t in enumerate(eight)
        if t0 <= t < t1
    ]
    return PracticeTimeline(
        moves=[
            (m.move_name, round(m.start_time - t0, 3), round(m.end_time - t0, 3)) for m in moves
        ],
        counts=counts,
        duration=round(t1 - t0, 3),
    )


def task_thumbnail(*, task: ChoreographyTask) -> Path:
    """A frame of the task's video (1 s in, 320 px wide), extracted once into the cache.

    Raises
    ------
    NotFound
        When the task has no video (yet).
    """
    from django.conf import settings

    from bachata.media import run_ffmpeg

    target = settings.BACHATA.cache_dir / "thumbnails" / f"{task.task_id}.jpg"
    if not target.exists():
        source = task_video_path(task=task)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial.jpg")
        run_ffmpeg(
            ["-ss", "1", "-i", str(source), "-frames:v", "1", "-vf", "scale=320:-2", str(partial)]
        )
        partial.replace(target)
    return target
