"""The blueprint contract: typed model, validation, JSON Schema, vocabulary."""

from bachata.blueprint.base import MAX_BLUEPRINT_BYTES, BlueprintInvalid
from bachata.blueprint.model import (
    Blueprint,
    Combo,
    GenerationParameters,
    MoveSlot,
    SongInfo,
    blueprint_json_schema,
    parse_blueprint,
)
from bachata.blueprint.output import OutputConfig
from bachata.blueprint.paths import PathPolicy, check_location
from bachata.blueprint.quality import QualityReport
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
