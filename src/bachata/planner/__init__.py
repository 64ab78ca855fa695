"""The choreography planner: a blueprint from a song analysis and a move library."""

from bachata.planner.library import LibraryMove, place_move
from bachata.planner.plan import (
    MAX_SPEED,
    MIN_SPEED,
    PlanError,
    PlanRequest,
    plan_choreography,
)
from bachata.planner.quality import quality_report

__all__ = [
    "MAX_SPEED",
    "MIN_SPEED",
    "LibraryMove",
    "PlanError",
    "PlanRequest",
    "place_move",
    "plan_choreography",
    "quality_report",
]
