"""The blueprint timeline as an SVG: moves as coloured blocks over the song's 8-count grid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ENERGY_COLOURS = {"low": "#4f8fba", "medium": "#d9a13b", "high": "#d9534f"}
DIFFICULTY_OPACITY = {"beginner": 0.55, "intermediate": 0.78, "advanced": 1.0}


@dataclass(frozen=True)
class Block:
    """One move on the timeline (x and width in SVG units)."""

    index: int
    x: float
    width: float
    colour: str
    opacity: float
    name: str
    title: str

    @property
    def label_x(self) -> float:
        """Where the block's number is written."""
        return round(self.x + 3, 2)


def timeline(blueprint: dict[str, Any], eight_counts: list[float], width: float = 1000.0):
    """Blocks for each move and x positions of the 8-count grid lines."""
    moves = blueprint["moves"]
    t0, t1 = moves[0]["start_time"], moves[-1]["end_time"]
    span = max(t1 - t0, 1e-6)

    def x(t: float) -> float:
        return round((t - t0) / span * width, 2)

    blocks = [
        Block(
            index=i,
            x=x(m["start_time"]),
            width=max(1.0, x(m["end_time"]) - x(m["start_time"]) - 1),
            colour=ENERGY_COLOURS.get(m["energy_level"], "#888"),
            opacity=DIFFICULTY_OPACITY.get(m["difficulty"], 0.8),
            name=m["move_name"],
            title=(
                f"{i}: {m['move_name']} — {m['start_time']:.2f}-{m['end_time']:.2f} s, "
                f"{m['difficulty']}, {m['energy_level']} energy, x{m.get('speed') or 1:.3f}"
            ),
        )
        for i, m in enumerate(moves)
    ]
    grid = [x(t) for t in eight_counts if t0 - 1e-3 <= t <= t1 + 1e-3]
    return blocks, grid
