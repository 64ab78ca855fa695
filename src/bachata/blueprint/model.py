"""The blueprint: one typed model of the seed's JSON, shared by DB, API, job and planner.

Every field of the seed document keeps its name and type. Extensions are optional,
documented in the JSON Schema (``bachata blueprint schema``) and left out of the JSON
when unset, so a seed-shaped document round-trips unchanged.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bachata.blueprint.base import (
    MAX_BLUEPRINT_BYTES,
    MAX_MOVES,
    TIME_TOLERANCE_S,
    BlueprintInvalid,
    Part,
    format_errors,
    has_nul,
    path_policy_of,
)
from bachata.blueprint.output import OutputConfig
from bachata.blueprint.paths import DEFAULT_POLICY, PathPolicy, check_location
from bachata.blueprint.quality import QualityReport
from bachata.blueprint.vocabulary import Difficulty, EnergyLevel, Style


class SongInfo(Part):
    """The song block: which song, its tempo and length."""

    id: int = Field(ge=0, description="Primary key of the song in the songs table.")
    title: str = Field(max_length=300)
    artist: str = Field(max_length=300)
    audio_path: str = Field(
        max_length=1024,
        description="Relative path under the data root, absolute path inside it, or gs:// URI.",
    )
    bpm: float = Field(gt=20, lt=400, description="Tempo in beats per minute.")
    duration: float = Field(gt=0, le=24 * 3600, description="Length of the song in seconds.")

    @field_validator("audio_path")
    @classmethod
    def _location(cls, value: str, info: ValidationInfo) -> str:
        return check_location(value, path_policy_of(info))


class MoveSlot(Part):
    """One move of the choreography, placed on the song's time line.

    ``start_time``, ``end_time`` and ``duration`` are song times in seconds. The
    extensions ``clip_start``, ``clip_end`` and ``speed`` say which part of the clip
    plays and how fast: ``(clip_end - clip_start) / speed == duration``.
    """

    _extensions: ClassVar[frozenset[str]] = frozenset(
        {"clip_start", "clip_end", "speed", "eight_counts", "section", "role", "combo"}
    )

    move_id: str = Field(
        min_length=1,
        max_length=160,
        pattern=r"^(?:[a-z0-9][a-z0-9_\-]{0,39}:)?[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="The move's id: <library>:<id>, or a bare id in the demo library.",
    )
    move_name: str = Field(min_length=1, max_length=200)
    video_path: str = Field(max_length=1024)
    start_time: float = Field(ge=0, description="Song time where the move starts (s).")
    end_time: float = Field(gt=0, description="Song time where the move ends (s).")
    duration: float = Field(gt=0, description="end_time - start_time (s).")
    difficulty: Difficulty
    energy_level: EnergyLevel
    style: Style
    clip_start: float | None = Field(
        default=None, ge=0, description="Extension: in-point in the clip (clip seconds)."
    )
    clip_end: float | None = Field(
        default=None, gt=0, description="Extension: out-point in the clip (clip seconds)."
    )
    speed: float | None = Field(
        default=None,
        gt=0.25,
        le=4.0,
        description="Extension: playback speed of the clip (1.0 = as filmed).",
    )
    eight_counts: int | None = Field(
        default=None, ge=1, le=64, description="Extension: how many 8-counts the move lasts."
    )
    section: str | None = Field(
        default=None, max_length=40, description="Extension: song section the move sits in."
    )
    role: str | None = Field(
        default=None,
        max_length=20,
        description="Extension: what the move does in a routine (basic, turn, travel, "
        "styling, dip, intro, outro, footwork).",
    )
    combo: str | None = Field(
        default=None,
        max_length=20,
        description="Extension: id of the combo (see Blueprint.combos) the move belongs to.",
    )

    @field_validator("video_path")
    @classmethod
    def _location(cls, value: str, info: ValidationInfo) -> str:
        return check_location(value, path_policy_of(info))

    @model_validator(mode="after")
    def _timing(self) -> MoveSlot:
        if abs(self.start_time + self.duration - self.end_time) > TIME_TOLERANCE_S:
            raise ValueError(
                f"end_time ({self.end_time}) must equal start_time + duration "
                f"({self.start_time} + {self.duration}) within 1 ms"
            )
        if self.clip_start is not None and self.clip_end is not None:
            if self.clip_end <= self.clip_start:
                raise ValueError("clip_end must be after clip_start")
            played = (self.clip_end - self.clip_start) / (self.speed or 1.0)
            if abs(played - self.duration) > TIME_TOLERANCE_S:
                raise ValueError(
                    f"(clip_end - clip_start) / speed = {played:.4f} s must equal "
                    f"duration ({self.duration}) within 1 ms"
                )
        return self


class GenerationParameters(Part):
    """The knobs the choreography was generated with."""

    _extensions: ClassVar[frozenset[str]] = frozenset(
        {"seed", "description", "fallbacks", "prefer", "avoid"}
    )

    difficulty_level: Difficulty
    energy_level: EnergyLevel
    style: Style
    ai_mode: bool = False
    user_id: int | None = Field(default=None, ge=0)
    seed: int | None = Field(default=None, description="Extension: planner random seed.")
    description: str | None = Field(
        default=None, max_length=2000, description="Extension: the user's words (ai_mode)."
    )
    fallbacks: list[str] | None = Field(
        default=None,
        max_length=50,
        description="Extension: where the planner relaxed the request, in words.",
    )
    prefer: list[str] | None = Field(
        default=None, max_length=20, description="Extension: move kinds asked for (describe mode)."
    )
    avoid: list[str] | None = Field(
        default=None, max_length=20, description="Extension: move kinds to leave out."
    )


class Combo(Part):
    """Extension: a combination of moves a teacher would teach as one piece."""

    id: str = Field(
        min_length=1,
        max_length=20,
        description="What the moves' ``combo`` field names: a letter for the music it "
        "belongs to (A, B, ...: the same letter where that music returns), ``break``, "
        "``intro``, ``finish``, or ``<letter>+`` for a short tag that completes a section.",
    )
    name: str = Field(min_length=1, max_length=60, description="Shown to dancers.")
    eight_counts: int = Field(ge=1, le=64, description="Length of one repetition.")
    moves: list[str] = Field(min_length=1, max_length=64, description="Move ids, in order.")
    repeats: int = Field(ge=1, description="How many times the routine starts it.")


class Blueprint(Part):
    """The complete plan of one choreography video (the seed's JSON structure)."""

    _extensions: ClassVar[frozenset[str]] = frozenset({"quality", "source_task_id", "combos"})

    task_id: str = Field(description="UUID of the choreography task, lower-case with dashes.")
    song: SongInfo
    moves: list[MoveSlot] = Field(min_length=1, max_length=MAX_MOVES)
    generation_parameters: GenerationParameters
    total_duration: float = Field(
        gt=0, description="Length of the video: last move's end_time - first move's start_time."
    )
    output_config: OutputConfig = Field(default_factory=OutputConfig)
    quality: QualityReport | None = Field(
        default=None, description="Extension: the planner's quality report."
    )
    source_task_id: str | None = Field(
        default=None,
        max_length=36,
        description="Extension: the task this blueprint was derived from (regenerate/edit).",
    )
    combos: list[Combo] | None = Field(
        default=None,
        max_length=MAX_MOVES,
        description="Extension: the routine's combos, in order of first appearance.",
    )

    @field_validator("task_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        try:
            canonical = str(uuid.UUID(value))
        except ValueError:
            raise ValueError(f"task_id {value!r} is not a UUID") from None
        if canonical != value:
            raise ValueError(f"task_id must be written as {canonical!r}")
        return value

    @model_validator(mode="after")
    def _sequence(self) -> Blueprint:
        previous: MoveSlot | None = None
        for index, move in enumerate(self.moves):
            if previous is not None and move.start_time < previous.end_time - TIME_TOLERANCE_S:
                raise ValueError(
                    f"moves[{index}].start_time ({move.start_time}) is before the end of "
                    f"moves[{index - 1}] ({previous.end_time}): moves must be in order "
                    "and must not overlap"
                )
            previous = move
        last_end = self.moves[-1].end_time
        if last_end > self.song.duration + TIME_TOLERANCE_S:
            raise ValueError(
                f"moves[{len(self.moves) - 1}].end_time ({last_end}) is after the end of "
                f"the song ({self.song.duration})"
            )
        span = last_end - self.moves[0].start_time
        if abs(span - self.total_duration) > TIME_TOLERANCE_S:
            raise ValueError(
                f"total_duration ({self.total_duration}) must equal the last move's end_time "
                f"minus the first move's start_time ({span:.3f})"
            )
        return self

    def to_json_dict(self) -> dict[str, Any]:
        """The blueprint as JSON-ready data (what is stored in ``blueprints.blueprint_json``)."""
        return self.model_dump(mode="json")

    def to_json(self, *, indent: int | None = None) -> str:
        """The blueprint as a JSON string."""
        return json.dumps(self.to_json_dict(), indent=indent, ensure_ascii=False)

    def summary(self) -> dict[str, Any]:
        """A short description for lists and API answers."""
        return {
            "task_id": self.task_id,
            "song": {"id": self.song.id, "title": self.song.title, "artist": self.song.artist},
            "moves": len(self.moves),
            "total_duration": self.total_duration,
            "difficulty_level": self.generation_parameters.difficulty_level,
            "energy_level": self.generation_parameters.energy_level,
            "style": self.generation_parameters.style,
        }


def parse_blueprint(
    raw: str | bytes | dict[str, Any] | Blueprint,
    *,
    path_policy: PathPolicy = DEFAULT_POLICY,
    max_bytes: int = MAX_BLUEPRINT_BYTES,
) -> Blueprint:
    """Parse and validate a blueprint from JSON text, bytes or already-decoded data.

    Parameters
    ----------
    raw
        The document. Text and bytes are size-checked before decoding.
    path_policy
        Allowed roots and buckets (a deployment's: ``PathPolicy.from_config``); by
        default relative paths and ``gs://`` URIs only.
    max_bytes
        Largest accepted document, measured on its compact JSON encoding.

    Returns
    -------
    Blueprint
        The validated model.

    Raises
    ------
    BlueprintInvalid
        With a message naming every bad field.
    """
    if isinstance(raw, Blueprint):
        raw = raw.to_json_dict()
    if isinstance(raw, str | bytes):
        size = len(raw.encode() if isinstance(raw, str) else raw)
        if size > max_bytes:
            raise BlueprintInvalid(f"blueprint is {size} bytes, over the {max_bytes}-byte limit")
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BlueprintInvalid(f"blueprint is not valid JSON: {exc}") from None
    else:
        data = raw
        size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
        if size > max_bytes:
            raise BlueprintInvalid(f"blueprint is {size} bytes, over the {max_bytes}-byte limit")
    if not isinstance(data, dict):
        raise BlueprintInvalid("blueprint must be a JSON object")
    if has_nul(data):  # PostgreSQL text and JSONB cannot store NUL
        raise BlueprintInvalid("blueprint text must not contain NUL characters (\\u0000)")
    try:
        return Blueprint.model_validate(data, context={"path_policy": path_policy})
    except ValidationError as exc:
        raise BlueprintInvalid(f"blueprint is invalid: {format_errors(exc)}") from None


def blueprint_json_schema() -> dict[str, Any]:
    """The JSON Schema of the blueprint document (draft 2020-12)."""
    schema = Blueprint.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Bachata Buddy blueprint"
    return schema
