"""The built-in demo library as the planner sees it (for benchmarks, tests and demos)."""

from __future__ import annotations

from bachata.demo.clips import DEMO_MOVES, LEAD_IN_S, TAIL_S
from bachata.moves.manifest import role_for_label
from bachata.planner.library import LibraryMove


def demo_library(*, folder: str = "Bachata_steps") -> list[LibraryMove]:
    """The demo moves, their clips at ``<folder>/<family>/<move_id>.mp4``.

    >>> len(demo_library()) >= 12
    True
    """
    return [
        LibraryMove(
            move_id=m.move_id,
            move_name=m.move_name,
            video_path=f"{folder}/{m.family}/{m.move_id}.mp4",
            duration=LEAD_IN_S + m.counts * 60 / m.tempo + TAIL_S,
            difficulty=m.difficulty,
            energy_level=m.energy_level,
            style=m.style,
            eight_counts=m.counts // 8,
            tempo=m.tempo,
            count1_offset=LEAD_IN_S,
            entry=m.entry,
            exit=m.exit,
            family=m.family,
            role=role_for_label(m.move_name, m.move_id),
        )
        for m in DEMO_MOVES
    ]
