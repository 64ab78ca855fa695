"""Every write (HackSoft-style services), one module per kind of thing written."""

from bachata.choreography.blueprints import validated_blueprint
from bachata.choreography.services.accounts import (
    AuthFailed,
    TooManyAttempts,
    login_check,
    login_failed,
    login_succeeded,
    user_delete,
    user_export,
    user_register,
    user_token,
)
from bachata.choreography.services.choreographies import (
    KNOBS,
    Knobs,
    blueprint_update,
    choreography_create,
    choreography_plan,
    description_read,
    generation_knobs,
    task_create,
)
from bachata.choreography.services.class_plans import (
    class_plan_add,
    class_plan_create,
    class_plan_get,
    class_plan_move,
    class_plan_remove,
    class_plan_reorder,
)
from bachata.choreography.services.collection import (
    collection_clear,
    collection_delete,
    collection_save,
)
from bachata.choreography.services.moves import (
    ImportReport,
    RemoveReport,
    move_timing_set,
    moves_import,
    moves_remove,
)
from bachata.choreography.services.preferences import preferences_update
from bachata.choreography.services.regenerate import choreography_regenerate
from bachata.choreography.services.retention import (
    PruneReport,
    analytics_compact,
    blueprints_prune,
)
from bachata.choreography.services.songs import (
    song_add,
    song_add_upload,
    song_analysis,
    song_grid_correct,
    song_grid_document,
)

__all__ = [
    "KNOBS",
    "AuthFailed",
    "ImportReport",
    "Knobs",
    "PruneReport",
    "RemoveReport",
    "TooManyAttempts",
    "analytics_compact",
    "blueprint_update",
    "blueprints_prune",
    "choreography_create",
    "choreography_plan",
    "choreography_regenerate",
    "class_plan_add",
    "class_plan_create",
    "class_plan_get",
    "class_plan_move",
    "class_plan_remove",
    "class_plan_reorder",
    "collection_clear",
    "collection_delete",
    "collection_save",
    "description_read",
    "generation_knobs",
    "login_check",
    "login_failed",
    "login_succeeded",
    "move_timing_set",
    "moves_import",
    "moves_remove",
    "preferences_update",
    "song_add",
    "song_add_upload",
    "song_analysis",
    "song_grid_correct",
    "song_grid_document",
    "task_create",
    "user_delete",
    "user_export",
    "user_register",
    "user_token",
    "validated_blueprint",
]
