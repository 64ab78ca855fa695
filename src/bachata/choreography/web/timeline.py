"""The blueprint timeline as an SVG: moves as coloured blocks over the song's 8-count grid."""

from __future__ import annotations

from dataclasses import dataclass

from bachata.blueprint import Blueprint
from bachata.planner.combos import SheetCombo

ENERGY_COLOURS = {"low": "#4f8fba", "medium": "#d9a13b", "high": "#d9534f"}
DIFFICULTY_OPACITY = {"beginner": 0.55, "intermediate": 0.78, "advanced": 1.0}


@dataclass(frozen=True)
class Block:
    """One move on the timeline (x and width in SVG units), numbered from 1, with its
    times in the video (which starts at the first move)."""

    number: int
    x: float
    width: float
    colour: str
    opacity: float
    name: str
    start: float
    end: float
    level: str
    title: str

    @property
    def start_clock(self) -> str:
        """Where the move starts in the video, as m:ss.s."""
        return clock(self.start)

    @property
    def end_clock(self) -> str:
        """Where the move ends in the video, as m:ss.s."""
        return clock(self.end)


@dataclass(frozen=True)
class ComboRow:
    """A combo of the routine (:class:`~bachata.planner.combos.SheetCombo`) with the
    video times (s) of its first whole play."""

    combo: SheetCombo
    start: float
    end: float

    @property
    def span_clock(self) -> str:
        """Where to watch it, as m:ss.s-m:ss.s."""
        return f"{clock(self.start)}-{clock(self.end)}"

    @property
    def move_names(self) -> str:
        """The moves in order, for a table cell."""
        return " · ".join(m.name for m in self.combo.moves)


def combo_rows(sheet: list[SheetCombo], t0: float) -> list[ComboRow]:
    """The combos with times in the video (which starts at the first move, ``t0``)."""
    return [ComboRow(c, round(c.start - t0, 3), round(c.end - t0, 3)) for c in sheet]


def clock(seconds: float) -> str:
    """Video time as m:ss.s, e.g. ``1:03.5``."""
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def timeline(blueprint: Blueprint, eight_counts: list[float], width: float = 1000.0):
    """Blocks for each move and x positions of the 8-count grid lines."""
    moves = blueprint.moves
    t0, t1 = moves[0].start_time, moves[-1].end_time
    span = max(t1 - t0, 1e-6)

    def x(t: float) -> float:
        return round((t - t0) / span * width, 2)

    blocks = []
    for i, m in enumerate(moves, start=1):
        start, end = m.start_time - t0, m.end_time - t0
        blocks.append(
            Block(
                number=i,
                x=x(m.start_time),
                width=max(1.0, x(m.end_time) - x(m.start_time) - 1),
                colour=ENERGY_COLOURS.get(m.energy_level, "#888"),
                opacity=DIFFICULTY_OPACITY.get(m.difficulty, 0.8),
                name=m.move_name,
                start=round(start, 3),
                end=round(end, 3),
                level=f"{m.difficulty} · {m.energy_level} energy",
                title=(
                    f"{i}. {m.move_name}: {clock(start)}-{clock(end)}, {m.difficulty}, "
                    f"{m.energy_level} energy. Click to play it."
                ),
            )
        )
    grid = [x(t) for t in eight_counts if t0 - 1e-3 <= t <= t1 + 1e-3]
    return blocks, grid
