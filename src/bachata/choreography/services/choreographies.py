"""Choreographies: the knobs of a generate, the plan, and the task stored with its
blueprint (and its render queued) in one transaction; render quotas; describe mode.

Plain functions with keyword-only arguments (HackSoft-style services).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Required, TypedDict, Unpack

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone

from bachata.blueprint import Blueprint, OutputConfig
from bachata.blueprint.vocabulary import normalise_difficulty, normalise_energy, normalise_style
from bachata.choreography.blueprints import validated_blueprint
from bachata.choreography.dispatch import dispatch_render
from bachata.choreography.models import BlueprintRecord, ChoreographyTask, Song, new_task_id
from bachata.errors import BachataError, Conflict
from bachata.planner import PlanRequest, plan_choreography
from bachata.planner.describe import Description, read_description

#: Renders one user may have waiting or running at once, and start in 24 hours.
MAX_ACTIVE_RENDERS = 3
MAX_DAILY_RENDERS = 100


class RenderQuota(BachataError, code="rate_limited"):
    """The user's render quota is used up for now."""


def render_quota_check(*, user: AbstractBaseUser) -> None:
    """Refuse a new render past the user's quotas (staff have none).

    Raises
    ------
    RenderQuota
        With :data:`MAX_ACTIVE_RENDERS` renders pending or running, or
        :data:`MAX_DAILY_RENDERS` started in the last 24 hours.
    """
    if user.is_staff:
        return
    mine = ChoreographyTask.objects.filter(user=user)
    if mine.filter(status__in=("pending", "running")).count() >= MAX_ACTIVE_RENDERS:
        raise RenderQuota(
            f"you have {MAX_ACTIVE_RENDERS} videos being made: wait for one to finish"
        )
    since = timezone.now() - timedelta(hours=24)
    if mine.filter(created_at__gte=since).count() >= MAX_DAILY_RENDERS:
        raise RenderQuota(f"you made {MAX_DAILY_RENDERS} videos today: try again tomorrow")


@transaction.atomic
def task_create(
    *, user: AbstractBaseUser, song: Song | None, blueprint: Blueprint
) -> ChoreographyTask:
    """Create a choreography task and its blueprint in one transaction.

    The task takes its id and generation parameters from the blueprint, which must name
    ``user`` (or nobody) in ``generation_parameters.user_id`` and ``song`` in its song block.

    Raises
    ------
    BachataError
        When the blueprint is invalid or names another user or song.
    Conflict
        When a task with the blueprint's task_id exists already.
    """
    doc = validated_blueprint(blueprint)
    params = doc.generation_parameters
    if params.user_id is not None and params.user_id != user.pk:
        raise BachataError(
            f"blueprint generation_parameters.user_id is {params.user_id}, "
            f"not this user ({user.pk})"
        )
    if song is not None and doc.song.id != song.pk:
        raise BachataError(f"blueprint song.id is {doc.song.id}, not song {song.pk}")
    if ChoreographyTask.objects.filter(task_id=doc.task_id).exists():
        raise Conflict(f"a task with id {doc.task_id} exists already")
    task = ChoreographyTask.objects.create(
        task_id=doc.task_id,
        user=user,
        song=song,
        difficulty=params.difficulty_level,
        energy_level=params.energy_level,
        style=params.style,
    )
    BlueprintRecord.objects.create(task=task, blueprint_json=doc.to_json_dict())
    return task


@transaction.atomic
def blueprint_update(*, task: ChoreographyTask, blueprint: Blueprint) -> BlueprintRecord:
    """Replace a task's blueprint explicitly; the only write that moves ``updated_at``.

    Raises
    ------
    BachataError
        When the new blueprint is invalid or belongs to another task.
    Conflict
        While the task is being rendered.
    """
    doc = validated_blueprint(blueprint)
    if doc.task_id != task.task_id:
        raise BachataError(f"blueprint task_id {doc.task_id} does not match task {task.task_id}")
    locked = ChoreographyTask.objects.select_for_update().get(pk=task.pk)
    if locked.status == "running":
        raise Conflict(f"task {task.task_id} is rendering; update its blueprint when it is done")
    row = BlueprintRecord.objects.select_for_update().get(task=locked)
    row.blueprint_json = doc.to_json_dict()
    row.updated_at = Now()
    row.save(update_fields=["blueprint_json", "updated_at"])
    row.refresh_from_db(fields=["updated_at"])
    return row


def description_read(*, text: str) -> Description:
    """Describe mode with this deployment's settings (Gemini if a key is set).

    The same words give the same answer for an hour: reading them to show the knobs and
    again to plan (API generate, or the web page's confirm step) costs one hosted call,
    and the knobs and the prefer/avoid lists always come from the same answer.
    """
    import hashlib

    from django.core.cache import cache

    model = settings.GEMINI_MODEL if settings.GEMINI_API_KEY else "rules"
    key = f"bachata:describe:{model}:{hashlib.sha256(text.strip().encode()).hexdigest()}"
    known = cache.get(key)
    if isinstance(known, Description):
        return known
    wishes = read_description(text, api_key=settings.GEMINI_API_KEY, model=settings.GEMINI_MODEL)
    cache.set(key, wishes, 3600)
    return wishes


#: The three knobs of a choreography.
KNOBS = ("difficulty", "energy_level", "style")


@dataclass(frozen=True)
class Knobs:
    """What a generate uses: each knob as the dancer set it, else as their words ask,
    else their preference; and the video size of their quality preference."""

    difficulty: str
    energy_level: str
    style: str
    resolution: str
    #: The words read (their move wishes), if any.
    wishes: Description | None = None

    @property
    def from_text(self) -> list[str]:
        """The knobs the words chose."""
        return [k for k in KNOBS if self.wishes is not None and getattr(self.wishes, k)]


class GivenKnobs(TypedDict, total=False):
    """The knobs a generate was given (each may be missing or ``None``)."""

    difficulty: str | None
    energy_level: str | None
    style: str | None


def generation_knobs(
    *, user: AbstractBaseUser, description: str | None = None, **given: Unpack[GivenKnobs]
) -> Knobs:
    """The one rule that fills the knobs of a generate (API, describe mode and web form):
    what was ``given`` wins, then what the ``description`` asks for, then the user's
    preferences. The words are read once (see :func:`description_read`)."""
    from bachata.choreography.selectors import preferences_get

    prefs = preferences_get(user=user)
    wishes = description_read(text=description) if description else None
    chosen = {
        k: given.get(k) or (wishes and getattr(wishes, k)) or getattr(prefs, k) for k in KNOBS
    }
    return Knobs(**chosen, resolution=prefs.resolution, wishes=wishes)


class PlanArgs(TypedDict, total=False):
    """What a dancer asks a plan of: the song, the three knobs, and the options — a
    ``seed`` (same seed, same plan), the video's ``output_config``, a ``description``
    (describe mode) and the move ``library`` to plan from."""

    song: Required[Song]
    difficulty: Required[str]
    energy_level: Required[str]
    style: Required[str]
    seed: int | None
    output_config: OutputConfig | None
    description: str | None
    library: str | None


def choreography_plan(
    *, task_id: str | None = None, user_id: int | None = None, **args: Unpack[PlanArgs]
) -> Blueprint:
    """Plan a blueprint of what ``args`` ask (see :class:`PlanArgs`) for a stored song, from
    its stored analysis (nothing is written except a re-analysis after an analyser
    upgrade).

    With a ``description`` (describe mode) its move wishes are honoured and the blueprint
    records ``ai_mode`` and the text; the knobs given here are the confirmed ones. With a
    ``library`` only its moves are used; without one, the default library's
    (:func:`~bachata.choreography.selectors.default_library`): a video never mixes
    libraries unless ``library`` is ``"all"``.

    Raises
    ------
    BachataError
        For a ``library`` that has no moves.
    """
    from bachata.choreography.selectors import (
        ALL_LIBRARIES,
        default_library,
        planner_library,
        song_info,
    )
    from bachata.choreography.services.songs import song_analysis

    song, description = args["song"], args.get("description")
    library = args.get("library") or default_library()
    request = PlanRequest(
        difficulty=normalise_difficulty(args["difficulty"]),
        energy_level=normalise_energy(args["energy_level"]),
        style=normalise_style(args["style"]),
        seed=args.get("seed") or 0,
    )
    if description is not None:
        wishes = description_read(text=description)
        request = replace(
            request, prefer=wishes.prefer, avoid=wishes.avoid, description=wishes.text
        )
    moves = planner_library(library=None if library == ALL_LIBRARIES else library)
    if library and library != ALL_LIBRARIES and not moves:
        raise BachataError(f"no move library {library!r}: see GET /api/moves/")
    analysis = song_analysis(song=song)
    return plan_choreography(
        analysis=analysis,
        song=song_info(song=song),
        library=moves,
        request=request,
        task_id=task_id or new_task_id(),
        user_id=user_id,
        output_config=args.get("output_config"),
    )


def choreography_create(
    *, user: AbstractBaseUser, render: bool = True, **args: Unpack[PlanArgs]
) -> ChoreographyTask:
    """Plan a choreography; store the task and its blueprint and queue its render, all in
    one transaction (``render=False`` stores without rendering).

    Raises
    ------
    RenderQuota
        When the user has too many renders waiting or made too many today.
    """
    if render:
        render_quota_check(user=user)
    seed = args.get("seed")
    args["seed"] = seed if seed is not None else secrets.randbelow(2**31)
    blueprint = choreography_plan(user_id=user.pk, **args)
    with transaction.atomic():
        task = task_create(user=user, song=args["song"], blueprint=blueprint)
        if render:
            dispatch_render(task)
    return task
