"""Reads of a dancer's things: preferences, collection, class plans and roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import QuerySet

from bachata.blueprint import Blueprint
from bachata.choreography.blueprints import validated_blueprint
from bachata.choreography.models import (
    ClassPlan,
    ClassPlanItem,
    Preferences,
)
from bachata.errors import Forbidden
from bachata.planner.combos import SheetCombo, breakdown


@dataclass(frozen=True)
class PlanItem:
    """A class plan's item with what to teach from it: its combos (only the chosen one
    when the item is a combo), moves and counts."""

    item: ClassPlanItem
    combos: list[SheetCombo]


@dataclass(frozen=True)
class ClassSheet:
    """A class plan as it is taught: its items in order, each with its combos, and the
    minutes they add up to (the web page, its print view and the API show this)."""

    plan: ClassPlan
    items: list[PlanItem]

    @property
    def minutes(self) -> int:
        """The class's length: the items' minutes added up."""
        return sum(row.item.minutes for row in self.items)


def class_plan_sheet(*, plan: ClassPlan) -> ClassSheet:
    """The plan with its items in order, each with its class sheet."""
    items = plan.items.select_related("task", "task__song", "task__blueprint")
    return ClassSheet(
        plan,
        [
            PlanItem(
                item,
                combo_sheet(
                    blueprint=validated_blueprint(item.task.blueprint.blueprint_json),
                    combo=item.combo,
                )
                if hasattr(item.task, "blueprint")
                else [],
            )
            for item in items
        ],
    )


def combo_sheet(*, blueprint: Blueprint, combo: str = "") -> list[SheetCombo]:
    """A blueprint's combos as a class sheet (moves with their counts), or only
    ``combo``'s; empty for plans made before combos."""
    return [c for c in breakdown(blueprint) if not combo or c.id == combo]


def collection_list(*, user: AbstractBaseUser, difficulty: str | None = None):
    """The user's saved choreographies, newest first, optionally of one difficulty."""
    from bachata.choreography.models import CollectionItem

    items = CollectionItem.objects.filter(user=user).select_related("task", "task__song")
    if difficulty:
        items = items.filter(task__difficulty=difficulty)
    return items.order_by("-created_at", "-pk")


def collection_stats(*, user: AbstractBaseUser) -> dict[str, object]:
    """How many saved, by difficulty and style, and how many minutes of dancing."""
    from django.db.models import Count

    items = collection_list(user=user)
    # Durations from blueprint_facts (kept by the database), not every blueprint's JSON.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(total_duration), 0) FROM blueprint_facts WHERE task_id = ANY(%s)",
            [list(items.values_list("task__task_id", flat=True))],
        )
        minutes = float(cursor.fetchone()[0]) / 60
    return {
        "total": items.count(),
        "by_difficulty": dict(items.values_list("task__difficulty").annotate(n=Count("pk"))),
        "by_style": dict(items.values_list("task__style").annotate(n=Count("pk"))),
        "minutes": round(minutes, 1),
    }


#: The group that grants the instructor role (only staff can grant it, in the admin).
INSTRUCTORS = "instructors"


def preferences_get(*, user: AbstractBaseUser) -> Preferences:
    """The user's preferences (the built-in defaults until they save their own)."""
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


def is_instructor(user: AbstractBaseUser) -> bool:
    """Whether the user may make class plans: staff, and the ``instructors`` group."""
    return bool(
        user.is_authenticated and (user.is_staff or user.groups.filter(name=INSTRUCTORS).exists())
    )


def instructor_check(user: AbstractBaseUser) -> None:
    """The one answer to "not an instructor", wherever class plans are asked for.

    Raises
    ------
    Forbidden
        When the user does not have the instructor role.
    """
    if not is_instructor(user):
        raise Forbidden("class plans are for instructors; ask staff for the instructor role")


def class_plans_list(*, user: AbstractBaseUser) -> QuerySet[ClassPlan]:
    """The instructor's class plans, with their items.

    Raises
    ------
    Forbidden
        When the user does not have the instructor role.
    """
    instructor_check(user)
    return ClassPlan.objects.filter(owner=user).prefetch_related("items")


def user_find(*, username: str) -> AbstractBaseUser | None:
    """The user called ``username`` (for operators), or None."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()
