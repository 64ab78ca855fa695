"""The plan's quality report: how well the moves fit the analysed music, said honestly."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from bachata.blueprint.base import (
    MAX_MOVES,
    Part,
)

#: A share or a confidence: 0 to 1.
Share = Annotated[float, Field(ge=0, le=1)]


class QualityReport(Part):
    """Extension: how well the plan sits on the music (written by the planner)."""

    _extensions: ClassVar[frozenset[str]] = frozenset(
        {
            "grid_source",
            "downbeat_confidence",
            "boundaries_on_combo",
            "repeats_same_combo",
            "roles_in_place",
            "ends_on_finish",
            "moves_per_combo",
        }
    )

    on_one_share: Share = Field(
        description="Share of moves starting on a count 1 of the song's grid: the grid as "
        "analysed (see downbeat_confidence for how sure that 1 is) or as a dancer corrected "
        "it (grid_source). It grades the plan against that grid, not the music itself.",
    )
    grid_source: Literal["analysed", "corrected"] | None = Field(
        default=None, description="Whose grid on_one_share is measured on."
    )
    downbeat_confidence: Share | None = Field(
        default=None, description="How sure the analysis is of the song's 1 (1.0 once corrected)."
    )
    tempo_mismatch: list[float] = Field(
        max_length=MAX_MOVES, description="Per move, |speed - 1|: how far the clip is sped up."
    )
    max_tempo_mismatch: float = Field(ge=0)
    back_to_back_repeats: int = Field(ge=0)
    energy_correlation: float | None = Field(
        default=None, ge=-1, le=1, description="Pearson r of move energy vs. song energy."
    )
    transition_mismatches: int = Field(
        default=0, ge=0, description="Consecutive moves whose exit/entry positions differ."
    )
    distinct_moves: int = Field(default=0, ge=0)
    boundaries_on_combo: Share | None = Field(
        default=None, description="Share of section changes where a combo starts."
    )
    repeats_same_combo: Share | None = Field(
        default=None,
        description="Share of returning sections (same music) that got the same combo.",
    )
    roles_in_place: Share | None = Field(
        default=None,
        description="Share of intro and outro moves placed at the ends of the routine.",
    )
    ends_on_finish: bool | None = Field(
        default=None, description="Whether the routine ends on a dip/pose or outro move."
    )
    moves_per_combo: float | None = Field(
        default=None, ge=0, description="Distinct moves per combo, on average."
    )
