"""The move library as the planner sees it, and where a move goes in a plan."""

from __future__ import annotations

from dataclasses import dataclass

from bachata.blueprint import MoveSlot


@dataclass(frozen=True)
class LibraryMove:
    """A move of the library as the planner sees it (all times in clip seconds)."""

    move_id: str
    move_name: str
    video_path: str
    duration: float
    difficulty: str
    energy_level: str
    style: str
    eight_counts: int
    tempo: float
    count1_offset: float
    entry: str = "closed"
    exit: str = "closed"
    family: str = ""
    role: str = "basic"


def clip_speed(move: LibraryMove, slot_seconds: float, counts: int) -> float:
    """Clip seconds per song second that put ``counts`` of the clip's beats on a slot
    of ``slot_seconds``."""
    return (counts * 60.0 / move.tempo) / slot_seconds


def place_move(
    move: LibraryMove,
    *,
    start: float,
    end: float,
    eight_counts: int,
    section: str | None = None,
    combo: str | None = None,
) -> MoveSlot:
    """``move`` played from its count 1 over the song's ``[start, end)`` (seconds), at the
    speed that lays its ``8 * eight_counts`` beats on the slot; the one place where a
    slot's speed and clip in- and out-points (clip seconds) are worked out.

    >>> m = LibraryMove("m", "M", "m.mp4", 10.0, "beginner", "low", "modern", 1, 120.0, 0.5)
    >>> slot = place_move(m, start=2.0, end=6.0, eight_counts=1)
    >>> slot.speed, slot.clip_start, slot.clip_end
    (1.0, 0.5, 4.5)
    """
    start, end = round(start, 6), round(end, 6)
    duration = round(end - start, 6)
    speed = round(clip_speed(move, duration, 8 * eight_counts), 6)
    clip_start = round(move.count1_offset, 6)
    return MoveSlot(
        move_id=move.move_id,
        move_name=move.move_name,
        video_path=move.video_path,
        start_time=start,
        end_time=end,
        duration=duration,
        difficulty=move.difficulty,
        energy_level=move.energy_level,
        style=move.style,
        clip_start=clip_start,
        clip_end=round(clip_start + duration * speed, 6),
        speed=speed,
        eight_counts=eight_counts,
        section=section,
        role=move.role,
        combo=combo,
    )
