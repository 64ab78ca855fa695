"""The move library as the planner sees it."""

from __future__ import annotations

from dataclasses import dataclass


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
