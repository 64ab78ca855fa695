"""Blueprint upkeep: retention (indefinite by default; pruning on request or on a
schedule) and folding the analytics deltas into their rollups."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from bachata.choreography.models import BlueprintRecord, TaskStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PruneReport:
    """What a prune removed (or would remove, on a dry run)."""

    cutoff: str
    deleted: int
    kept_active: int
    dry_run: bool


@transaction.atomic
def blueprints_prune(*, older_than: timedelta, dry_run: bool = False) -> PruneReport:
    """Delete blueprints created before now - ``older_than`` (the seed's cleanup).

    The blueprint of a pending or running task is never removed. Tasks themselves stay,
    so a user's history still lists them (without a blueprint).
    """
    cutoff = timezone.now() - older_than
    old = BlueprintRecord.objects.filter(created_at__lt=cutoff)
    active = old.filter(task__status__in=[TaskStatus.PENDING, TaskStatus.RUNNING])
    removable = old.exclude(task__status__in=[TaskStatus.PENDING, TaskStatus.RUNNING])
    kept = active.count()
    deleted = removable.count() if dry_run else removable.delete()[0]
    report = PruneReport(
        cutoff=cutoff.isoformat(), deleted=deleted, kept_active=kept, dry_run=dry_run
    )
    log.info("blueprints pruned", extra=report.__dict__)
    return report


#: Above this size the emptied deltas table is rewritten (a minute of generates is a few
#: hundred kB; a bulk load leaves hundreds of MB).
DELTAS_REWRITE_BYTES = 8 * 2**20


def analytics_compact() -> int:
    """Fold the analytics deltas into their rollups (the scheduled ``compact_analytics``
    job, every minute); return how many deltas were folded. Analytics are exact whether
    or not this has run; it keeps their reads small.

    Outside a transaction the emptied deltas table is vacuumed too, and rewritten when a
    bulk load left it large (``VACUUM FULL``, which keeps what open snapshots still see),
    so that reads never scan the empty pages a bulk load leaves behind.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT blueprint_analytics_compact()")
        (folded,) = cursor.fetchone()
        if folded and not connection.in_atomic_block:
            cursor.execute("VACUUM blueprint_deltas")
            cursor.execute("SELECT pg_relation_size('blueprint_deltas')")
            if cursor.fetchone()[0] > DELTAS_REWRITE_BYTES:
                cursor.execute("VACUUM FULL blueprint_deltas")
    if folded:
        log.info("analytics compacted", extra={"deltas": folded})
    return int(folded)
