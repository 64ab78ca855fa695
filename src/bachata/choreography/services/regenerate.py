"""Re-render, edit and A/B: new tasks from a stored blueprint, never re-analysing the song."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from bachata.blueprint import Blueprint
from bachata.choreography.blueprints import validated_blueprint
from bachata.choreography.dispatch import dispatch_render
from bachata.choreography.models import ChoreographyTask, Move, Song, new_task_id
from bachata.choreography.selectors import blueprint_get, library_move
from bachata.choreography.services.choreographies import (
    render_quota_check,
    task_create,
)
from bachata.choreography.services.songs import song_analysis
from bachata.errors import BachataError
from bachata.planner import place_move, quality_report


def _substitute(doc: Blueprint, substitutions: list[dict[str, Any]]) -> Blueprint:
    """``doc`` with moves swapped in place (``[{"slot": i, "move_id": ...}]``); each new
    move is placed by the planner's rule (its speed and clip points fit the slot) and
    keeps the slot's section and combo id. The planned combos' move lists no longer
    describe the routine, so they are dropped."""
    moves = list(doc.moves)
    for change in substitutions:
        slot = change.get("slot")
        if not isinstance(slot, int) or not 0 <= slot < len(moves):
            raise BachataError(f"slot {slot!r} does not exist: slots are 0-{len(moves) - 1}")
        move = Move.objects.filter(move_id=str(change.get("move_id", ""))).first()
        if move is None:
            raise BachataError(f"unknown move {change.get('move_id')!r}; see GET /api/moves/")
        old = moves[slot]
        counts = old.eight_counts or 1
        if move.eight_counts != counts:
            raise BachataError(
                f"{move.move_id} lasts {move.eight_counts} 8-count(s) "
                f"but slot {slot} lasts {counts}"
            )
        moves[slot] = place_move(
            library_move(move),
            start=old.start_time,
            end=old.end_time,
            eight_counts=counts,
            section=old.section,
            combo=old.combo,
        )
    return validated_blueprint(doc.model_copy(update={"moves": moves, "combos": None}))


#: Playback speeds an edited blueprint may ask of a clip (the planner keeps to 0.8-1.25).
SPEED_RANGE = (0.5, 2.0)
#: How far a clip may be asked to run past its end (the render holds the last frame).
CLIP_SLACK_S = 0.25


def _check_against_library(doc: Blueprint, song: Song | None, why_gone: str = "") -> None:
    """Every move is a library clip used inside its length, and the song is the stored one.

    An edited blueprint cannot ask for more than the song and its clips hold: times
    inside the stored song, ``clip_start``/``clip_end`` inside the clip, the speed in
    :data:`SPEED_RANGE` — so the frames to render are bounded by the song's length.
    ``why_gone`` explains unknown moves (the source's library was removed).
    """
    known = {m.move_id: m for m in Move.objects.filter(move_id__in={m.move_id for m in doc.moves})}
    for index, slot in enumerate(doc.moves):
        move = known.get(slot.move_id)
        if move is None:
            because = f": {why_gone}; swap it for a move of the library" if why_gone else ""
            raise BachataError(f"moves[{index}]: unknown move {slot.move_id!r}{because}")
        if slot.video_path != move.video_path:
            raise BachataError(
                f"moves[{index}].video_path must be the library's {move.video_path!r}"
            )
        speed = slot.speed or 1.0
        if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
            raise BachataError(
                f"moves[{index}].speed {speed:g} is outside {SPEED_RANGE[0]}-{SPEED_RANGE[1]}"
            )
        start = slot.clip_start or 0.0
        end = slot.clip_end if slot.clip_end is not None else start + slot.duration * speed
        if not 0.0 <= start < move.duration or end > move.duration + CLIP_SLACK_S:
            raise BachataError(
                f"moves[{index}] plays {slot.move_id} from {start:.2f} s to {end:.2f} s, "
                f"but the clip is {move.duration:.2f} s long"
            )
        if abs((end - start) - slot.duration * speed) > CLIP_SLACK_S:
            raise BachataError(
                f"moves[{index}]: clip_end - clip_start must be duration x speed "
                f"({slot.duration * speed:.2f} s)"
            )
    if song is None:
        return
    if doc.song.id != song.pk or doc.song.audio_path != song.audio_path:
        raise BachataError("the blueprint's song block does not match the stored song")
    if song.duration is not None and (
        abs(doc.song.duration - song.duration) > 0.5
        or doc.moves[-1].end_time > song.duration + 0.05
    ):
        raise BachataError(
            f"the blueprint must stay inside the {song.duration:.1f} s song "
            f"(its song.duration and every move's end_time)"
        )


@transaction.atomic
def choreography_regenerate(
    *,
    user: AbstractBaseUser,
    source_task_id: str,
    blueprint: dict[str, Any] | None = None,
    substitutions: list[dict[str, Any]] | None = None,
    output_config: dict[str, Any] | None = None,
) -> ChoreographyTask:
    """A new task from the user's stored blueprint of ``source_task_id``.

    With nothing else given it re-renders the same plan; ``blueprint`` replaces it with an
    edited one; ``substitutions`` (``[{"slot": i, "move_id": ...}]``) swap moves; and
    ``output_config`` changes the video format (A/B). The result is validated against
    the move library and the song, stored as a new task that records its source, and
    queued for rendering, in one transaction.
    """
    render_quota_check(user=user)
    source = blueprint_get(task_id=source_task_id, user=user)
    task = source.task
    doc = dict(blueprint) if blueprint is not None else dict(source.blueprint_json)
    if output_config:
        doc["output_config"] = {**doc.get("output_config", {}), **output_config}
    doc["task_id"] = new_task_id()
    doc["source_task_id"] = task.task_id
    doc["generation_parameters"] = {**doc.get("generation_parameters", {}), "user_id": user.pk}
    parsed = validated_blueprint(doc)
    if substitutions:
        parsed = _substitute(parsed, substitutions)
    _check_against_library(parsed, task.song, task.unrenderable_reason)
    if (blueprint is not None or substitutions) and task.song is not None:
        quality = quality_report(list(parsed.moves), song_analysis(song=task.song))
        parsed = parsed.model_copy(update={"quality": quality})
    new = task_create(user=user, song=task.song, blueprint=parsed)
    ChoreographyTask.objects.filter(pk=new.pk).update(source_task=task)
    new.source_task = task
    dispatch_render(new)
    return new
