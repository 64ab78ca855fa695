"""Importing move libraries: probe and validate every clip, then one transaction."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Now

from bachata.choreography.models import Move
from bachata.errors import BachataError, NotFound
from bachata.media import sha256_file
from bachata.moves.manifest import MoveSpec, Problem, read_library
from bachata.moves.probe import ClipError, ClipInfo, probe_clip
from bachata.moves.timing import SLACK_S, ClipTiming, clip_timing
from bachata.storage import storage_for

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """What an import did: move ids added, changed, unchanged, and clips skipped."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )


@dataclass
class _Checked:
    spec: MoveSpec
    info: ClipInfo
    timing: ClipTiming
    checksum: str


def _check(spec: MoveSpec) -> _Checked:
    info = probe_clip(spec.source)
    timing = clip_timing(spec, info, spec.source)
    return _Checked(spec, info, timing, sha256_file(spec.source))


def moves_import(*, path: Path, progress: Callable[[str], None] | None = None) -> ImportReport:
    """Import a move library from a manifest or annotations file (or a folder holding one).

    Every clip is probed and its timing known (from metadata or measured from its audio)
    before anything is written. Bad clips — missing, unreadable, empty, shorter than one
    8-count, duplicate ids — are reported with their path and skipped; the rest are
    stored in the moves area and written in one transaction. Importing the same library
    again changes nothing.

    Raises
    ------
    BachataError
        When the metadata file itself cannot be read, or no clip is usable.
    """
    specs, problems = read_library(Path(path))
    report = ImportReport(skipped=list(problems))
    checked: list[_Checked] = []
    for spec in specs:
        try:
            checked.append(_check(spec))
        except ClipError as exc:
            report.skipped.append(Problem(str(spec.source), str(exc).split(": ", 1)[-1]))
        if progress:
            progress(spec.move_id)
    if not checked:
        reasons = "; ".join(str(p) for p in report.skipped[:5])
        raise BachataError(f"no usable clip in {path}" + (f" ({reasons})" if reasons else ""))

    storage = storage_for(settings.BACHATA)
    existing = {
        m.move_id: m for m in Move.objects.filter(move_id__in=[c.spec.move_id for c in checked])
    }
    written: list[str] = []
    try:
        locations = {}
        for item in checked:
            known = existing.get(item.spec.move_id)
            if (
                known is not None
                and known.checksum == item.checksum
                and storage.exists(known.video_path)
            ):
                locations[item.spec.move_id] = known.video_path
                continue
            location = storage.put("moves", item.spec.name, item.spec.source)
            written.append(location)
            locations[item.spec.move_id] = location
        with transaction.atomic():
            for item in checked:
                _save(item, locations[item.spec.move_id], existing.get(item.spec.move_id), report)
    except BaseException:
        for location in written:
            if not Move.objects.filter(video_path=location).exists():
                storage.delete(location)
        raise
    log.info("moves imported", extra={"path": str(path), "summary": report.summary()})
    return report


def _save(item: _Checked, location: str, known: Move | None, report: ImportReport) -> None:
    spec, info, timing = item.spec, item.info, item.timing
    values = {
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
        Move.objects.create(move_id=spec.move_id, **values)
        report.added.append(spec.move_id)
    elif all(getattr(known, k) == v for k, v in values.items()):
        report.unchanged.append(spec.move_id)
    else:
        Move.objects.filter(pk=known.pk).update(**values, updated_at=Now())
        report.updated.append(spec.move_id)


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
