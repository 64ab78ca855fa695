"""The blueprint contract: typed model, validation, JSON Schema, vocabulary."""

from bachata.blueprint.model import (
    MAX_BLUEPRINT_BYTES,
    Blueprint,
    BlueprintInvalid,
    Combo,
    GenerationParameters,
    MoveSlot,
    OutputConfig,
    QualityReport,
    SongInfo,
    blueprint_json_schema,
    parse_blueprint,
)
from bachata.blueprint.paths import PathPolicy, check_location
from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES

__all__ = [
    "DIFFICULTIES",
    "ENERGY_LEVELS",
    "MAX_BLUEPRINT_BYTES",
    "STYLES",
    "Blueprint",
    "BlueprintInvalid",
    "Combo",
    "GenerationParameters",
    "MoveSlot",
    "OutputConfig",
    "PathPolicy",
    "QualityReport",
    "SongInfo",
    "blueprint_json_schema",
    "check_location",
    "parse_blueprint",
]
