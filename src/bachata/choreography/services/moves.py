"""Importing move libraries: probe and validate every clip, then one transaction."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Now

from bachata.choreography.models import Move
from bachata.errors import BachataError, NotFound
from bachata.media import sha256_file
from bachata.moves.manifest import (
    DEMO_LIBRARY,
    MoveSpec,
    Problem,
    check_library_name,
    library_name,
    qualified_id,
    read_library,
)
from bachata.moves.probe import ClipError, ClipInfo, probe_clip
from bachata.moves.timing import SLACK_S, ClipTiming, clip_timing
from bachata.render.cache import prepare_for_cutting
from bachata.storage import storage_for

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """What an import did: move ids added, changed, unchanged, and clips skipped."""

    library: str = DEMO_LIBRARY
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        return (
            f"library {self.library}: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )


@dataclass
class _Checked:
    spec: MoveSpec
    info: ClipInfo
    timing: ClipTiming
    checksum: str
    move_id: str  # qualified by the library
    name: str  # the clip's file name in the moves area


def _check(spec: MoveSpec, library: str) -> _Checked:
    info = probe_clip(spec.source)
    timing = clip_timing(spec, info, spec.source)
    name = spec.name if library == DEMO_LIBRARY else f"{library}/{spec.name}"
    return _Checked(
        spec, info, timing, sha256_file(spec.source), qualified_id(library, spec.move_id), name
    )


def moves_import(
    *,
    path: Path,
    library: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import a move library from a manifest or annotations file (or a folder holding one).

    The moves belong to ``library`` (default: the manifest's ``library`` or the source's
    name, see :mod:`bachata.moves.manifest`); ids are unique within a library, so
    libraries with the same clip ids coexist.

    Every clip is probed, its timing known (from metadata or measured from its audio)
    and its mezzanine made in the render cache unless it is cheap to cut already
    (renders here cut pieces from it, see
    :func:`~bachata.render.cache.prepare_for_cutting`) before anything is written. Bad
    clips — missing, unreadable, empty, shorter than one 8-count, duplicate ids — are
    reported with their path and skipped; the rest are stored in the moves area and
    written in one transaction. Importing the same library again changes nothing.

    Raises
    ------
    BachataError
        When the metadata file itself cannot be read, or no clip is usable.
    """
    specs, problems = read_library(Path(path))
    library = check_library_name(library) if library else library_name(Path(path))
    report = ImportReport(library=library, skipped=list(problems))
    checked: list[_Checked] = []
    for spec in specs:
        try:
            item = _check(spec, library)
            prepare_for_cutting(spec.source, item.checksum, settings.BACHATA.render_cache_dir)
            checked.append(item)
        except ClipError as exc:
            report.skipped.append(Problem(str(spec.source), str(exc).split(": ", 1)[-1]))
        if progress:
            progress(spec.move_id)
    if not checked:
        reasons = "; ".join(str(p) for p in report.skipped[:5])
        raise BachataError(f"no usable clip in {path}" + (f" ({reasons})" if reasons else ""))

    storage = storage_for(settings.BACHATA)
    existing = {m.move_id: m for m in Move.objects.filter(move_id__in=[c.move_id for c in checked])}
    if clash := [m.move_id for m in existing.values() if m.library != library]:
        raise BachataError(
            f"moves {', '.join(clash[:5])} belong to library {existing[clash[0]].library!r}, "
            f"not {library!r}: choose another --library"
        )
    written: list[str] = []
    try:
        locations = {}
        for item in checked:
            known = existing.get(item.move_id)
            if (
                known is not None
                and known.checksum == item.checksum
                and storage.exists(known.video_path)
            ):
                locations[item.move_id] = known.video_path
                continue
            location = storage.put("moves", item.name, item.spec.source)
            written.append(location)
            locations[item.move_id] = location
        with transaction.atomic():
            for item in checked:
                _save(item, library, locations[item.move_id], existing.get(item.move_id), report)
    except BaseException:
        for location in written:
            if not Move.objects.filter(video_path=location).exists():
                storage.delete(location)
        raise
    log.info(
        "moves imported",
        extra={"path": str(path), "library": library, "summary": report.summary()},
    )
    return report


def _save(
    item: _Checked, library: str, location: str, known: Move | None, report: ImportReport
) -> None:
    spec, info, timing = item.spec, item.info, item.timing
    values = {
        "library": library,
        "move_name": spec.move_name,
        "video_path": location,
        "duration": round(info.duration, 4),
        "difficulty": spec.difficulty,
        "energy_level": spec.energy_level,
        "style": spec.style,
        "length_counts": timing.counts,
        "tempo_bpm": timing.tempo,
        "count1_offset": timing.count1_offset,
        "checksum": item.checksum,
        "family": spec.family,
        "role": spec.role,
        "entry_position": spec.entry,
        "exit_position": spec.exit,
        "fps": info.fps,
        "width": info.width,
        "height": info.height,
        "has_audio": info.has_audio,
        "timing_measured": timing.measured,
    }
    if known is not None and known.timing_corrected:  # an operator's timing wins
        for key in ("tempo_bpm", "count1_offset", "length_counts", "timing_measured"):
            values[key] = getattr(known, key)
    if known is None:
        Move.objects.create(move_id=item.move_id, **values)
        report.added.append(item.move_id)
    elif all(getattr(known, k) == v for k, v in values.items()):
        report.unchanged.append(item.move_id)
    else:
        Move.objects.filter(pk=known.pk).update(**values, updated_at=Now())
        report.updated.append(item.move_id)


def move_timing_set(
    *, move_id: str, count1_offset: float | None = None, tempo: float | None = None
) -> Move:
    """Set a clip's count 1 (seconds into the clip) and/or tempo (BPM) by hand.

    The move's length is then as many whole 8-counts as fit after the new count 1 (at
    most what it was). The timing is marked as corrected, so re-imports keep it.

    Raises
    ------
    NotFound
        For an unknown move.
    BachataError
        For a tempo outside 40-250 BPM, a count 1 outside the clip, or a timing that
        leaves less than one 8-count.
    """
    move = Move.objects.filter(move_id=move_id).first()
    if move is None:
        raise NotFound(f"no move {move_id!r}: see bachata moves list")
    tempo = move.tempo_bpm if tempo is None else float(tempo)
    offset = move.count1_offset if count1_offset is None else float(count1_offset)
    if not 40.0 <= tempo <= 250.0:
        raise BachataError(f"tempo {tempo:g} must be between 40 and 250 BPM")
    if not 0.0 <= offset < move.duration:
        raise BachataError(f"count 1 at {offset:g} s is outside the {move.duration:.2f} s clip")
    fitting = math.floor((move.duration - offset + SLACK_S) / (8 * 60.0 / tempo))
    if fitting < 1:
        raise BachataError(
            f"at {tempo:g} BPM with count 1 at {offset:g} s not one 8-count fits in the "
            f"{move.duration:.2f} s clip"
        )
    counts = min(move.length_counts // 8, fitting) * 8
    Move.objects.filter(pk=move.pk).update(
        tempo_bpm=round(tempo, 3),
        count1_offset=round(offset, 4),
        length_counts=counts,
        timing_corrected=True,
        updated_at=Now(),
    )
    move.refresh_from_db()
    log.info(
        "move timing set",
        extra={"move_id": move_id, "tempo": move.tempo_bpm, "count1": move.count1_offset},
    )
    return move


@dataclass(frozen=True)
class RemoveReport:
    """What removing a library did."""

    library: str
    moves: int
    files: int
    blueprints_marked: int


def moves_remove(*, library: str, force: bool = False) -> RemoveReport:
    """Remove every move of ``library`` and its clip files.

    Refused while stored blueprints use those moves, unless ``force``: the blueprints are
    then kept (history, the videos already made) and marked unrenderable, with the
    reason, so re-rendering them says why instead of failing on a missing clip.

    Raises
    ------
    NotFound
        For a library with no moves.
    BachataError
        When blueprints use the moves and ``force`` is not given.
    """
    from bachata.choreography.models import ChoreographyTask

    moves = list(Move.objects.filter(library=library))
    if not moves:
        raise NotFound(f"no library {library!r}: see bachata moves list")
    ids = [m.move_id for m in moves]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT task_id FROM blueprint_facts WHERE move_ids && %s::text[]", [ids]
            )
            using = [row[0] for row in cursor.fetchall()]
        if using and not force:
            raise BachataError(
                f"{len(using)} stored blueprints use moves of library {library!r}: "
                "remove them first, or pass --force to keep them marked unrenderable"
            )
        marked = ChoreographyTask.objects.filter(task_id__in=using).update(
            unrenderable_reason=f"its moves of library {library!r} were removed"
        )
        Move.objects.filter(library=library).delete()
    storage = storage_for(settings.BACHATA)
    still_used = set(
        Move.objects.filter(video_path__in=[m.video_path for m in moves]).values_list(
            "video_path", flat=True
        )
    )
    files = 0
    for path in {m.video_path for m in moves} - still_used:
        if storage.exists(path):
            storage.delete(path)
            files += 1
    report = RemoveReport(library, len(moves), files, marked)
    log.info("move library removed", extra=report.__dict__)
    return report
