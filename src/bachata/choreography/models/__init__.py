"""Tables of the seed document: ``choreography_tasks`` and ``blueprints``, plus songs,
moves and the dancers' own things, one module per kind.

Models hold data and database constraints only; every write goes through ``services``
and every non-trivial read through ``selectors``.
"""

from bachata.choreography.models.library import Move, Song, SongAnalysisRecord
from bachata.choreography.models.people import (
    QUALITY_PRESETS,
    ClassPlan,
    ClassPlanItem,
    CollectionItem,
    Preferences,
)
from bachata.choreography.models.tasks import (
    BlueprintRecord,
    ChoreographyTask,
    TaskStatus,
    new_task_id,
)

__all__ = [
    "QUALITY_PRESETS",
    "BlueprintRecord",
    "ChoreographyTask",
    "ClassPlan",
    "ClassPlanItem",
    "CollectionItem",
    "Move",
    "Preferences",
    "Song",
    "SongAnalysisRecord",
    "TaskStatus",
    "new_task_id",
]
