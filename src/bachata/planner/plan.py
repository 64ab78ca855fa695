"""Planning: which move goes on which 8-counts, at what speed.

The plan covers the song's 8-count grid from the first count "1" after the intro to
the end of the last full 8-count, every move starting on a "1", the moves contiguous.
It is built as a teacher builds a routine (:mod:`bachata.planner.combos`): combos of
2-4 eight-counts that follow the song's form, the same combo where the music returns.

A move is *eligible* when its style and difficulty fit the request and its clip can be
played at a speed that puts its steps on the song's beats within
``MIN_SPEED``-``MAX_SPEED`` (wider only when no clip can). Among the moves that fit a
place the choice scores:

* energy — the song's energy over the slot, around the requested level (a high-energy
  request over a quiet break wants the calmer moves);
* difficulty — the requested level first, easier moves as breathers;
* flow — a move's entry position matches the previous move's exit;
* tempo — speeds near 1.0;
* style and the dancer's wishes (prefer);
* a small seeded random term, so another seed gives another plan.

Everything is deterministic for a given input and seed.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

import numpy as np

from bachata.blueprint import (
    Blueprint,
    GenerationParameters,
    MoveSlot,
    OutputConfig,
    SongInfo,
)
from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.errors import PlanError
from bachata.music import SongAnalysis
from bachata.planner.combos import FINISHING, Routine, combos_of, song_units
from bachata.planner.library import LibraryMove, clip_speed, place_move
from bachata.planner.quality import RoutineFacts, quality_report

MIN_SPEED = 0.8
MAX_SPEED = 1.25
#: Speeds a clip may be played at when nothing in range exists (recorded as a fallback).
HARD_MIN_SPEED, HARD_MAX_SPEED = 0.5, 2.0

_LEVEL = {"low": 0, "medium": 1, "high": 2}
#: How welcome each difficulty is, by requested difficulty (0 = not allowed).
_DIFFICULTY_WEIGHT = {
    "beginner": {"beginner": 1.0},
    "intermediate": {"intermediate": 1.0, "beginner": 0.55},
    "advanced": {"advanced": 1.0, "intermediate": 0.5, "beginner": 0.3},
}


@dataclass(frozen=True)
class PlanRequest:
    """The dancer's three knobs and the random seed."""

    difficulty: str
    energy_level: str
    style: str
    seed: int = 0
    prefer: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    description: str | None = None

    def __post_init__(self) -> None:
        for value, allowed, what in (
            (self.difficulty, DIFFICULTIES, "difficulty"),
            (self.energy_level, ENERGY_LEVELS, "energy level"),
            (self.style, STYLES, "style"),
        ):
            if value not in allowed:
                raise PlanError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")


@dataclass
class _Grid:
    starts: np.ndarray
    ends: np.ndarray
    energy: np.ndarray
    section: list[int]  # section index per 8-count
    kinds: list[str]


def _grid(analysis: SongAnalysis) -> _Grid:
    starts = np.asarray(analysis.eight_counts, dtype=float)
    if len(starts) == 0:
        raise PlanError("the song has no full 8-count: is there a steady beat?")
    ends = np.array([row[-1] for row in analysis.count_grid], dtype=float)
    beat = np.array([(row[-1] - row[0]) / 7 for row in analysis.count_grid])
    ends = ends + beat
    # Consecutive 8-counts share their boundary exactly, so moves are contiguous.
    ends[:-1] = np.where(np.abs(starts[1:] - ends[:-1]) < 0.25 * beat[:-1], starts[1:], ends[:-1])
    energy = np.asarray(analysis.energy if analysis.energy else [0.5] * len(starts), dtype=float)
    section, kinds = [], []
    for t in starts:
        index = next(
            (i for i, s in enumerate(analysis.sections) if s.start - 1e-3 <= t < s.end - 1e-3),
            len(analysis.sections) - 1,
        )
        section.append(index)
        kinds.append(analysis.sections[index].kind if analysis.sections else "body")
    return _Grid(starts, ends, energy, section, kinds)


def _eligible(
    library: list[LibraryMove], request: PlanRequest, song_bpm: float, fallbacks: list[str]
) -> list[LibraryMove]:
    allowed = _DIFFICULTY_WEIGHT[request.difficulty]
    by_difficulty = [m for m in library if m.difficulty in allowed]
    if request.avoid:
        kept = [
            m for m in by_difficulty if not any(_matches_wish(m, word) for word in request.avoid)
        ]
        if len({m.move_id for m in kept if m.style == request.style}) < 2:
            raise PlanError(
                f"leaving out {', '.join(request.avoid)} leaves fewer than two "
                f"{request.style} moves for a {request.difficulty} dancer"
            )
        by_difficulty = kept
    in_style = [m for m in by_difficulty if m.style == request.style]
    if not in_style:
        have = sorted({f"{m.style}/{m.difficulty}" for m in library}) or ["nothing"]
        raise PlanError(
            f"the library has no {request.style} moves for a {request.difficulty} dancer "
            f"(allowed: {', '.join(allowed)}); it has: {', '.join(have)}. "
            "Import such moves or pick another style."
        )
    moves = in_style
    if len({m.move_id for m in moves}) < 2:
        others = [m for m in by_difficulty if m.style != request.style]
        if not others:
            raise PlanError(
                f"only one {request.style} move fits a {request.difficulty} dancer and no other "
                "style does: a plan needs at least two moves so none repeats back to back"
            )
        moves = in_style + others
        fallbacks.append(
            f"only one {request.style} move fits a {request.difficulty} dancer; moves of other "
            "styles were added for variety"
        )
    in_range = [m for m in moves if MIN_SPEED <= song_bpm / m.tempo <= MAX_SPEED]
    if len({m.move_id for m in in_range}) >= 2:
        return in_range
    playable = [m for m in moves if HARD_MIN_SPEED <= song_bpm / m.tempo <= HARD_MAX_SPEED]
    if len({m.move_id for m in playable}) < 2:
        raise PlanError(
            f"no two {request.style} moves can be played near the song's {song_bpm:.0f} BPM "
            f"(clip tempos: {', '.join(f'{m.tempo:.0f}' for m in moves)})"
        )
    fallbacks.append(
        f"fewer than two clips play at {MIN_SPEED}-{MAX_SPEED}x the song's tempo; "
        f"speeds up to {HARD_MIN_SPEED}-{HARD_MAX_SPEED}x were allowed"
    )
    return playable


def _matches_wish(move: LibraryMove, word: str) -> bool:
    """Whether a move is of a kind named in a description (family, id or name)."""
    word = word.lower()
    return (
        word in move.family.lower()
        or word in move.move_id.lower()
        or (word in move.move_name.lower())
    )


def _score(
    move: LibraryMove,
    *,
    i: int,
    span: int,
    grid: _Grid,
    request: PlanRequest,
    target: float,
    rng: random.Random,
    previous: LibraryMove | None,
) -> float:
    weights = _DIFFICULTY_WEIGHT.get(request.difficulty, {})
    score = 3.0 * weights.get(move.difficulty, 0.0)
    score -= 1.6 * abs(_LEVEL[move.energy_level] - target)
    if previous is not None and move.entry != previous.exit:
        score -= 1.0
    slot = float(grid.ends[i + span - 1] - grid.starts[i])
    score -= 2.0 * abs(math.log(clip_speed(move, slot, 8 * span)))
    if move.style != request.style:
        score -= 1.0
    if any(_matches_wish(move, word) for word in request.prefer):
        score += 1.2
    if "break" in (grid.kinds[j] for j in range(i, i + span)) and move.energy_level == "low":
        score += 0.5
    return score + rng.uniform(0.0, 0.6)


def plan_choreography(
    *,
    analysis: SongAnalysis,
    song: SongInfo,
    library: list[LibraryMove],
    request: PlanRequest,
    task_id: str,
    user_id: int | None = None,
    output_config: OutputConfig | None = None,
) -> Blueprint:
    """Plan a choreography for a song.

    Parameters
    ----------
    analysis
        The song's stored analysis (8-count grid, sections, energy).
    song
        The blueprint's song block.
    library
        The moves to choose from.
    request
        Difficulty, energy, style and seed.
    task_id, user_id
        Recorded in the blueprint.
    output_config
        Video format; the default is 1280x720 30 fps H.264/AAC MP4.

    Returns
    -------
    Blueprint
        Validated, with a quality report; the same inputs give the same blueprint.

    Raises
    ------
    PlanError
        When the library cannot satisfy the request.
    """
    fallbacks: list[str] = []
    grid = _grid(analysis)
    eligible = _eligible(library, request, analysis.bpm, fallbacks)
    eligible.sort(key=lambda m: m.move_id)
    rng = random.Random(request.seed)
    song_mean = float(grid.energy.mean())
    wanted = _LEVEL[request.energy_level]
    n = len(grid.starts)

    def score(m: LibraryMove, i: int, span: int, previous: LibraryMove | None) -> float:
        span = max(1, min(span, n - i))
        local = float(grid.energy[i : i + span].mean())
        target = min(2.0, max(0.0, wanted + 2.5 * (local - song_mean)))
        return _score(
            m, i=i, span=span, grid=grid, request=request, target=target, rng=rng,
            previous=previous,
        )  # fmt: skip

    units = song_units(grid.section, analysis.form, grid.kinds)
    routine_builder = Routine(eligible, _finishers(library, request, analysis.bpm, eligible), score)
    placed = routine_builder.build(units)
    if any(p.span < p.move.eight_counts for p in placed):
        fallbacks.append("a section is shorter than every fitting move: a move is cut to fit")
    slots = [_slot(p.move, grid, p.first, p.span, combo=p.combo) for p in placed]
    combo_of = {p.first: p.combo for p in placed}
    first_combo: dict[str, str] = {}
    returning = []
    for unit in units:
        got = next(
            (combo_of[i] for i in range(unit.first, unit.first + unit.count)
             if i in combo_of and combo_of[i] not in ("intro", "finish")),
            None,
        )  # fmt: skip
        if got is None:
            continue
        if unit.label in first_combo:
            returning.append((first_combo[unit.label], got))
        else:
            first_combo[unit.label] = got
    routine = RoutineFacts(
        section_starts=[float(grid.starts[u.first]) for u in units],
        combo_starts=[s.start_time for s, p in zip(slots, placed, strict=True) if p.starts_combo],
        returning=returning,
    )
    transitions = [a.move.exit == b.move.entry for a, b in itertools.pairwise(placed)]
    report = quality_report(slots, analysis, transitions=transitions, routine=routine)
    params = GenerationParameters(
        difficulty_level=request.difficulty,
        energy_level=request.energy_level,
        style=request.style,
        ai_mode=request.description is not None,
        user_id=user_id,
        seed=request.seed,
        fallbacks=sorted(set(fallbacks)) or None,
        description=request.description,
        prefer=list(request.prefer) or None,
        avoid=list(request.avoid) or None,
    )
    return Blueprint(
        task_id=task_id,
        song=song,
        moves=slots,
        generation_parameters=params,
        total_duration=round(slots[-1].end_time - slots[0].start_time, 6),
        output_config=output_config or OutputConfig(),
        quality=report,
        combos=combos_of(placed, routine_builder.combos),
    )


def _finishers(
    library: list[LibraryMove], request: PlanRequest, song_bpm: float, eligible: list[LibraryMove]
) -> list[LibraryMove]:
    """Moves that may close the routine: the eligible dips/poses (else outros); when the
    requested style has none, those of any style the dancer's level allows."""
    for pool in (eligible, sorted(library, key=lambda m: m.move_id)):
        for role in FINISHING:
            found = [
                m
                for m in pool
                if m.role == role
                and m.difficulty in _DIFFICULTY_WEIGHT[request.difficulty]
                and not any(_matches_wish(m, word) for word in request.avoid)
                and HARD_MIN_SPEED <= song_bpm / m.tempo <= HARD_MAX_SPEED
            ]
            if found:
                return found
    return []


def _slot(move: LibraryMove, grid: _Grid, i: int, span: int, *, combo: str) -> MoveSlot:
    return place_move(
        move,
        start=float(grid.starts[i]),
        end=float(grid.ends[i + span - 1]),
        eight_counts=span,
        section=grid.kinds[i],
        combo=combo,
    )
