"""The planner's quality report: how well a plan sits on the music."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from bachata.blueprint import MoveSlot, QualityReport
from bachata.music import SongAnalysis
from bachata.music.downbeats import LOW_CONFIDENCE

_LEVEL = {"low": 0.0, "medium": 1.0, "high": 2.0}


def quality_report(
    moves: list[MoveSlot],
    analysis: SongAnalysis,
    *,
    transitions: list[bool] | None = None,
    routine: RoutineFacts | None = None,
) -> QualityReport:
    """Score a plan against the song's 8-count grid and energy curve.

    Parameters
    ----------
    moves
        The planned moves.
    analysis
        The song's analysis whose grid the plan was made on: its counts "1"
        (``eight_counts``, s), energy per 8-count (0-1), and whose grid it is
        (``grid_source``: analysed or corrected) and how sure the analysis is of its "1"
        (``downbeat_confidence``): the share of moves on a "1" is only as true as that
        grid, so the report carries both.
    transitions
        For each pair of consecutive moves, whether their positions connect.
    routine
        For a plan built of combos: how they sit on the song's form (the report then
        has the figures of :func:`routine_figures`).
    """
    energy = analysis.energy
    ones = np.asarray(analysis.eight_counts)
    on_one = [
        bool(len(ones)) and float(np.min(np.abs(ones - m.start_time))) <= 0.001 for m in moves
    ]
    mismatch = [round(abs((m.speed or 1.0) - 1.0), 4) for m in moves]
    repeats = sum(a.move_id == b.move_id for a, b in itertools.pairwise(moves))
    move_energy, song_energy = [], []
    for m in moves:
        index = int(np.argmin(np.abs(ones - m.start_time))) if len(ones) else 0
        span = max(1, m.eight_counts or 1)
        if energy:
            song_energy.append(float(np.mean(energy[index : index + span])))
            move_energy.append(_LEVEL[m.energy_level])
    correlation = None
    if len(move_energy) > 2 and np.std(move_energy) > 0 and np.std(song_energy) > 0:
        correlation = round(float(np.corrcoef(move_energy, song_energy)[0, 1]), 4)
    return QualityReport(
        on_one_share=round(sum(on_one) / len(moves), 4) if moves else 0.0,
        tempo_mismatch=mismatch,
        max_tempo_mismatch=max(mismatch, default=0.0),
        back_to_back_repeats=repeats,
        energy_correlation=correlation,
        transition_mismatches=sum(1 for ok in (transitions or []) if not ok),
        distinct_moves=len({m.move_id for m in moves}),
        grid_source=analysis.grid_source,
        downbeat_confidence=analysis.downbeat_confidence,
        **(routine_figures(moves, routine) if routine is not None else {}),
    )


@dataclass(frozen=True)
class RoutineFacts:
    """Where a plan's sections change and its combos start (song seconds), and for
    each section whose music returns, (combo of its first time, combo it got)."""

    section_starts: list[float]
    combo_starts: list[float]
    returning: list[tuple[str, str]]


def routine_figures(moves: list[MoveSlot], routine: RoutineFacts) -> dict[str, float | bool]:
    """How a routine of combos follows the song (every figure's target is 1 / True).

    ``boundaries_on_combo``: share of section changes where a combo (or a repetition
    of one) starts; ``repeats_same_combo``: share of returning sections that got the
    combo of their first time; ``roles_in_place``: share of intro moves that open the
    routine and outro moves that close it; ``ends_on_finish``: the last move is a
    dip/pose or an outro; ``moves_per_combo``: distinct moves per combo, on average.
    """
    starts = {round(t, 3) for t in routine.combo_starts}
    first, last = moves[0].start_time, moves[-1].end_time
    inside = [t for t in routine.section_starts if first + 1e-3 < t < last - 1e-3]
    on_combo = sum(round(t, 3) in starts for t in inside)
    returning = routine.returning
    ends = [m for m in moves if m.role in ("intro", "outro")]
    placed = sum(
        (m.role == "intro" and m is moves[0]) or (m.role == "outro" and m is moves[-1])
        for m in ends
    )
    combos: dict[str, set[str]] = {}
    for move in moves:  # the combos proper: not the opening, the finish, breaks or tags
        combo = move.combo or ""
        if combo not in ("intro", "finish", "break") and not combo.endswith("+"):
            combos.setdefault(combo, set()).add(move.move_id)
    return {
        "boundaries_on_combo": round(on_combo / len(inside), 4) if inside else 1.0,
        "repeats_same_combo": (
            round(sum(a == b for a, b in returning) / len(returning), 4) if returning else 1.0
        ),
        "roles_in_place": round(placed / len(ends), 4) if ends else 1.0,
        "ends_on_finish": moves[-1].role in ("dip", "outro"),
        "moves_per_combo": (
            round(sum(len(v) for v in combos.values()) / len(combos), 3) if combos else 0.0
        ),
    }


def alignment_summary(report: QualityReport) -> str:
    """One honest line on where the moves start: on whose "1", and how sure that "1" is.

    >>> from bachata.blueprint import QualityReport
    >>> r = QualityReport(on_one_share=1.0, tempo_mismatch=[], max_tempo_mismatch=0,
    ...                   back_to_back_repeats=0, grid_source="analysed", downbeat_confidence=0.4)
    >>> alignment_summary(r)
    'on the analysed 1: 100% (the analysis is 40% sure of that 1: check it)'
    """
    share = f"{report.on_one_share:.0%}"
    if report.grid_source == "corrected":
        return f"on the 1 you set: {share}"
    if report.downbeat_confidence is None:
        return f"on the analysed 1: {share} (confidence of that 1 unknown)"
    sure = f"the analysis is {report.downbeat_confidence:.0%} sure of that 1"
    if report.downbeat_confidence < LOW_CONFIDENCE:
        sure += ": check it"
    return f"on the analysed 1: {share} ({sure})"
