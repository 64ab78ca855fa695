"""Routines as teachers build them: combos that follow the song's form.

A routine is made of *combos* — short sequences of moves lasting 2-4 eight-counts —
each repeated to fill a section of the song, so dancers can learn it and repeat it:

* every section starts a combo (section boundaries are combo boundaries);
* a section whose music returns (the same letter in the analysis' ``form``) gets the
  combo of its first time; breaks get a styling moment or a pose (one combo for all
  breaks);
* within a combo the moves differ, and a combo prefers moves no other combo uses
  (variety *across* combos, repetition *of* combos);
* a combo opens with a basic or travel move, and a turn follows a basic or travel;
* intro moves only open the routine, outro moves only close it, and the routine ends on
  a finishing move (a dip or pose, else an outro) on its last "1".

The choice among fitting moves is scored by the planner (energy, difficulty, tempo,
style, wishes, a seeded random term), so the result is deterministic per seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bachata.blueprint import Blueprint, Combo
from bachata.planner.library import LibraryMove

#: Combo lengths in 8-counts, in order of preference (32 counts is the classic combo).
COMBO_LENGTHS = (4, 2, 3)
#: Roles that may open a combo or prepare a turn.
PREPARING = ("basic", "travel")
#: Roles that finish a routine on its last "1", in order of preference.
FINISHING = ("dip", "outro")


@dataclass(frozen=True)
class Unit:
    """A stretch of the 8-count grid with one music: ``count`` 8-counts from ``first``."""

    label: str  # a letter (A, B, ...) or "break"
    first: int
    count: int


@dataclass(frozen=True)
class Placed:
    """A move placed on the grid: ``span`` 8-counts from 8-count ``first``."""

    move: LibraryMove
    first: int
    span: int
    combo: str
    starts_combo: bool


def song_units(sections_of_counts: list[int], form: list[str], kinds: list[str]) -> list[Unit]:
    """The grid cut at section changes, each stretch labelled by its music.

    ``sections_of_counts[i]`` is the section index of 8-count ``i``; ``form`` has one
    label per section (from the analysis; when it is missing each body section is its
    own music); ``kinds`` the section kind per 8-count.

    >>> kinds = ["body"] * 4 + ["break"] + ["body"] * 2
    >>> units = song_units([0, 0, 1, 1, 2, 3, 3], ["A", "B", "break", "A"], kinds)
    >>> [(u.label, u.first, u.count) for u in units]
    [('A', 0, 2), ('B', 2, 2), ('break', 4, 1), ('A', 5, 2)]
    """
    units: list[Unit] = []
    for i, section in enumerate(sections_of_counts):
        if units and sections_of_counts[i - 1] == section:
            last = units[-1]
            units[-1] = Unit(last.label, last.first, last.count + 1)
            continue
        if kinds[i] == "break":
            label = "break"
        elif section < len(form) and form[section] not in ("intro", "outro", "break"):
            label = form[section]
        else:
            label = f"S{section + 1}"  # no form: this section's own music
        units.append(Unit(label, i, 1))
    return units


def combo_length(count: int) -> int:
    """The combo length (8-counts) that tiles a section of ``count`` 8-counts best.

    >>> [combo_length(n) for n in (1, 2, 3, 4, 6, 8, 9, 10)]
    [1, 2, 3, 4, 2, 4, 3, 2]
    """
    if count <= 4:
        return count
    return next((n for n in COMBO_LENGTHS if count % n == 0), COMBO_LENGTHS[0])


Score = Callable[["LibraryMove", int, int, "LibraryMove | None"], float]


class Routine:
    """Builds the routine over ``units`` from ``moves`` (eligible, sorted by id).

    ``score(move, first, span, previous)`` is the planner's score of a move on the
    8-counts ``first .. first + span`` after ``previous``; ``finishers`` are the moves
    that may close the routine (dips/poses and outros, any style if the requested one
    has none).
    """

    def __init__(self, moves: list[LibraryMove], finishers: list[LibraryMove], score: Score):
        self.moves = moves
        self.finishers = finishers
        self.score = score
        self.combos: dict[str, list[tuple[LibraryMove, int]]] = {}  # id -> (move, span)s
        self.used_in: dict[str, set[str]] = {}  # move id -> combos using it
        self.placed: list[Placed] = []
        self.longest: dict[str, int] = {}  # label -> its longest section (8-counts)

    def build(self, units: list[Unit]) -> list[Placed]:
        """Place moves on every 8-count of ``units`` (contiguous, in order)."""
        end = units[-1].first + units[-1].count
        total = end - units[0].first
        opener = self._pick(
            self.moves, units[0].first, None,
            lambda m: _role(m) == "intro" and m.eight_counts < min(units[0].count, total - 1),
        )  # fmt: skip
        opening = opener.eight_counts if opener else 0
        # The finishing move sits in the last section and leaves room for a combo.
        room = min(2, total - opening - 1, units[-1].count - (opening if len(units) == 1 else 0))
        closer = self._pick(  # on the last "1" if it can be, else on the one before
            self.finishers, end - 1, None, lambda m: m.eight_counts == 1 <= room
        ) or self._pick(self.finishers, end - 1, None, lambda m: m.eight_counts <= room)
        closing = closer.eight_counts if closer is not None else 0
        for unit in units:  # a combo is sized for the longest time its music plays
            self.longest[unit.label] = max(self.longest.get(unit.label, 0), unit.count)
        for k, unit in enumerate(units):
            first, count = unit.first, unit.count
            if k == 0 and opener is not None:
                self._place(opener, first, opening, "intro", True)
                first, count = first + opening, count - opening
            if k == len(units) - 1:
                count -= closing
            if count > 0:
                after = self.combos.get(units[k + 1].label) if k + 1 < len(units) else None
                self._fill(unit.label, first, count, avoid_last=after[0][0] if after else None)
        if closing:
            finisher = self._pick(
                self.finishers, end - closing, self._last(), lambda m: m.eight_counts == closing
            )
            self._place(finisher, end - closing, closing, "finish", True)  # type: ignore[arg-type]
        return self.placed

    def _last(self) -> LibraryMove | None:
        return self.placed[-1].move if self.placed else None

    def _fill(
        self, label: str, first: int, count: int, *, avoid_last: LibraryMove | None = None
    ) -> None:
        """Tile ``count`` 8-counts from ``first`` with the combo of ``label``: whole
        repetitions, then as much of it as fits, then a short tag. A new combo does not
        end on ``avoid_last`` (the first move of the combo that follows)."""
        combo = self.combos.get(label)
        if combo is None:
            length = combo_length(max(count, self.longest.get(label, 0)))
            combo = self._new_combo(label, first, length, avoid_last)
        at, stop = first, first + count
        while at < stop:
            for n, (move, span) in enumerate(combo):
                if at + span > stop:
                    break
                self._place(move, at, span, label, n == 0)
                at += span
            else:
                continue
            break
        while at < stop:
            room = stop - at

            def short(m: LibraryMove, room: int = room) -> bool:
                return m.eight_counts <= room

            def linking(m: LibraryMove, room: int = room) -> bool:
                return short(m, room) and _role(m) in (*PREPARING, "styling")

            last = self._last()
            move = (
                self._pick(self.moves, at, last, linking)
                or self._pick(self.moves, at, last, short)
                or self._pick(self.moves, at, last, lambda m: True)
            )
            span = min(move.eight_counts, room)  # type: ignore[union-attr]: moves exist
            self._place(move, at, span, f"{label}+", True)  # type: ignore[arg-type]
            at += span

    def _new_combo(
        self, combo_id: str, first: int, length: int, avoid_last: LibraryMove | None
    ) -> list[tuple[LibraryMove, int]]:
        """Choose the moves of a new combo of ``length`` 8-counts for music at ``first``."""
        chosen: list[tuple[LibraryMove, int]] = []
        filled = 0
        previous = self._last()
        while filled < length:
            room = length - filled
            taken = {m.move_id for m, _ in chosen}
            before = chosen[-1][0] if chosen else None

            def ideal(m: LibraryMove, room=room, taken=taken, before=before) -> bool:
                if m.eight_counts > room or _role(m) in ("intro", "outro") or m.move_id in taken:
                    return False
                if combo_id == "break":
                    return _role(m) in ("styling", "dip")
                if _role(m) == "turn":
                    return before is not None and _role(before) in PREPARING
                return before is not None or _role(m) in PREPARING

            def usable(m: LibraryMove, room=room, taken=taken, previous=previous) -> bool:
                closes = m.eight_counts == room and avoid_last is not None
                return (
                    m.eight_counts <= room
                    and _role(m) not in ("intro", "outro")
                    and m.move_id not in taken
                    and (previous is None or m.move_id != previous.move_id)
                    and not (closes and m.move_id == avoid_last.move_id)  # type: ignore[union-attr]
                )

            at = first + filled
            move = self._pick(self.moves, at, previous, ideal, fresh=True)
            if move is not None and not usable(move):  # ideal, but twice in a row: vary
                move = self._pick(self.moves, at, previous, usable, fresh=True) or move
            move = (
                move
                or self._pick(self.moves, at, previous, usable, fresh=True)
                or self._pick(self.moves, at, previous, lambda m, room=room: m.eight_counts <= room)
                or self._pick(self.moves, at, previous, lambda m: True)
            )
            span = min(move.eight_counts, room)  # type: ignore[union-attr]: moves exist
            chosen.append((move, span))  # type: ignore[arg-type]
            previous = move
            filled += span
        self.combos[combo_id] = chosen
        for move, _ in chosen:
            self.used_in.setdefault(move.move_id, set()).add(combo_id)
        return chosen

    def _pick(
        self,
        pool: list[LibraryMove],
        first: int,
        previous: LibraryMove | None,
        allowed: Callable[[LibraryMove], bool],
        *,
        fresh: bool = False,
    ) -> LibraryMove | None:
        """The best-scoring move of ``pool`` that ``allowed`` accepts (None if none);
        with ``fresh``, moves already in other combos score lower."""
        best, best_score = None, float("-inf")
        for move in pool:
            if not allowed(move):
                continue
            value = self.score(move, first, move.eight_counts, previous)
            if previous is not None and move.move_id == previous.move_id:
                value -= 3.0  # the same move twice in a row only when nothing else fits
            if fresh:
                value -= 1.5 * len(self.used_in.get(move.move_id, ()))
            if value > best_score:
                best, best_score = move, value
        return best

    def _place(self, move: LibraryMove, first: int, span: int, combo: str, starts: bool) -> None:
        self.placed.append(Placed(move, first, span, combo, starts))


def _role(move: LibraryMove) -> str:
    return move.role or "basic"


_COMBO_NAMES = {"intro": "Intro", "finish": "Finish", "break": "Break"}


def combos_of(
    placed: list[Placed], defined: dict[str, list[tuple[LibraryMove, int]]]
) -> list[Combo]:
    """The blueprint's ``combos``, in order of first appearance: each combo's moves (as
    built, even where a short section plays only its start) and how many times the
    routine starts it; the opening, the finish and tags are one-move combos."""
    order = list(dict.fromkeys(p.combo for p in placed))
    result = []
    for combo_id in order:
        mine = [p for p in placed if p.combo == combo_id]
        parts = defined.get(combo_id) or [(p.move, p.span) for p in mine if p.starts_combo][:1]
        name = _COMBO_NAMES.get(combo_id) or (
            f"Tag after {combo_id[:-1]}" if combo_id.endswith("+") else f"Combo {combo_id}"
        )
        result.append(
            Combo(
                id=combo_id,
                name=name,
                eight_counts=sum(span for _, span in parts),
                moves=[move.move_id for move, _ in parts],
                repeats=sum(p.starts_combo for p in mine),
            )
        )
    return result


@dataclass(frozen=True)
class SheetMove:
    """A move of a combo as a teacher counts it: counts ``first``-``last`` (1-based)."""

    name: str
    first: int
    last: int
    role: str

    @property
    def counts(self) -> tuple[int, int]:
        """``(first, last)``."""
        return self.first, self.last


@dataclass(frozen=True)
class SheetCombo:
    """A combo to teach: its moves with their counts, how often the routine dances it,
    and (song seconds) where it is first danced whole."""

    id: str
    name: str
    eight_counts: int
    repeats: int
    moves: list[SheetMove]
    start: float
    end: float


def breakdown(blueprint: Blueprint) -> list[SheetCombo]:
    """The routine's combos (the blueprint's ``combos`` extension) as a class sheet;
    empty for blueprints without combos. A combo the routine never dances whole (its
    moves swapped since) is left out.

    >>> from bachata.blueprint import Blueprint
    >>> breakdown(Blueprint.model_construct(moves=[], combos=None))
    []
    """
    moves = list(blueprint.moves)
    sheet = []
    for combo in blueprint.combos or []:
        size = len(combo.moves)
        start = next(
            (
                i
                for i in range(len(moves) - size + 1)
                if [m.move_id for m in moves[i : i + size]] == combo.moves
                and all(m.combo == combo.id for m in moves[i : i + size])
            ),
            None,
        )
        if start is None:
            continue
        played, parts, count = moves[start : start + size], [], 1
        for move in played:
            span = 8 * (move.eight_counts or 1)
            parts.append(SheetMove(move.move_name, count, count + span - 1, move.role or ""))
            count += span
        sheet.append(
            SheetCombo(
                id=combo.id,
                name=combo.name,
                eight_counts=combo.eight_counts,
                repeats=combo.repeats,
                moves=parts,
                start=played[0].start_time,
                end=played[-1].end_time,
            )
        )
    return sheet
