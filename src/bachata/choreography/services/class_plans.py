"""Class plans for instructors: ordered choreographies with notes and minutes.

The instructor role is the ``instructors`` group, which only staff can grant (Django
admin); staff are instructors too.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max

from bachata.choreography.blueprints import validated_blueprint
from bachata.choreography.models import ClassPlan, ClassPlanItem
from bachata.choreography.selectors import task_get
from bachata.choreography.selectors.people import instructor_check
from bachata.errors import BachataError, NotFound


def _own_plan(user: AbstractBaseUser, plan_id: int) -> ClassPlan:
    instructor_check(user)
    plan = ClassPlan.objects.filter(pk=plan_id, owner=user).first()
    if plan is None:
        raise NotFound(f"no class plan {plan_id}")
    return plan


def class_plan_create(*, user: AbstractBaseUser, title: str, notes: str = "") -> ClassPlan:
    """A new, empty class plan."""
    instructor_check(user)
    if not title.strip() or len(title) > 200:
        raise BachataError("a title of 1-200 characters, please")
    return ClassPlan.objects.create(owner=user, title=title.strip(), notes=notes)


@transaction.atomic
def class_plan_add(
    *,
    user: AbstractBaseUser,
    plan_id: int,
    task_id: str,
    combo: str = "",
    notes: str = "",
    minutes: int = 10,
) -> ClassPlanItem:
    """Append one of the instructor's choreographies to the plan, or just one of its
    combos (``combo``: its id in the blueprint, e.g. ``A``)."""
    plan = _own_plan(user, plan_id)
    task = task_get(task_id=task_id, user=user)
    if not 1 <= int(minutes) <= 240:
        raise BachataError("minutes must be 1-240")
    if combo:
        record = getattr(task, "blueprint", None)
        planned = validated_blueprint(record.blueprint_json).combos if record else None
        have = [c.id for c in planned or []]
        if combo not in have:
            named = ", ".join(have) if have else "none (planned before combos)"
            raise BachataError(f"this choreography has no combo {combo!r}; its combos: {named}")
    last = plan.items.aggregate(m=Max("position"))["m"]
    return ClassPlanItem.objects.create(
        plan=plan,
        task=task,
        combo=combo,
        notes=notes,
        minutes=minutes,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def class_plan_reorder(*, user: AbstractBaseUser, plan_id: int, item_ids: list[int]) -> None:
    """Put the plan's items in the order of ``item_ids`` (all of them, each once)."""
    plan = _own_plan(user, plan_id)
    current = set(plan.items.values_list("pk", flat=True))
    if sorted(item_ids) != sorted(current):
        raise BachataError("give every item of the plan exactly once")
    for position, item_id in enumerate(item_ids):
        ClassPlanItem.objects.filter(pk=item_id, plan=plan).update(position=position)


def class_plan_move(*, user: AbstractBaseUser, plan_id: int, item_id: int, step: int) -> None:
    """Move one item up (-1) or down (+1)."""
    plan = _own_plan(user, plan_id)
    ids = list(plan.items.values_list("pk", flat=True))
    if item_id not in ids:
        raise NotFound(f"no item {item_id} in this plan")
    i = ids.index(item_id)
    j = max(0, min(len(ids) - 1, i + step))
    ids[i], ids[j] = ids[j], ids[i]
    class_plan_reorder(user=user, plan_id=plan_id, item_ids=ids)


def class_plan_remove(*, user: AbstractBaseUser, plan_id: int, item_id: int) -> None:
    """Take one item out of the plan."""
    plan = _own_plan(user, plan_id)
    if not ClassPlanItem.objects.filter(pk=item_id, plan=plan).delete()[0]:
        raise NotFound(f"no item {item_id} in this plan")


def class_plan_get(*, user: AbstractBaseUser, plan_id: int) -> ClassPlan:
    """One of the instructor's plans."""
    return _own_plan(user, plan_id)
