"""Collections: choreographies a dancer saves under their own titles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from bachata.choreography.models import CollectionItem
from bachata.choreography.selectors import task_get
from bachata.errors import BachataError, NotFound


def collection_save(*, user: AbstractBaseUser, task_id: str, title: str) -> CollectionItem:
    """Save one of the user's choreographies (saving it again renames it)."""
    title = title.strip()
    if not title or len(title) > 200:
        raise BachataError("a title of 1-200 characters, please")
    task = task_get(task_id=task_id, user=user)
    item, _ = CollectionItem.objects.update_or_create(
        user=user, task=task, defaults={"title": title}
    )
    return item


def collection_delete(*, user: AbstractBaseUser, item_id: int) -> None:
    """Remove one saved choreography from the collection (the choreography stays)."""
    deleted, _ = CollectionItem.objects.filter(pk=item_id, user=user).delete()
    if not deleted:
        raise NotFound(f"no collection item {item_id}")


@transaction.atomic
def collection_clear(*, user: AbstractBaseUser) -> int:
    """Empty the user's collection; returns how many items were removed."""
    return CollectionItem.objects.filter(user=user).delete()[0]
