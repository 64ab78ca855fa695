"""Dancer corrections of a song's beat grid, as DJ software edits a beat grid.

Dancers always know where the "1" is. A :class:`GridCorrection` moves the "1" by whole
beats and halves or doubles the tempo; :func:`apply_correction` gives the corrected
:class:`~bachata.music.analysis.SongAnalysis` without analysing the audio again (the
stored raw analysis is never changed). :func:`shift_from_taps` turns taps on the "1"
(seconds into the song) into the beat shift that puts the "1" under them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from bachata.errors import BachataError
from bachata.music.analysis import SongAnalysis
from bachata.music.downbeats import LOW_CONFIDENCE
from bachata.music.sections import phrase_starts

TEMPO_CHANGES = ("double", "half")


class GridError(BachataError, code="invalid_grid"):
    """A correction that cannot be applied."""


@dataclass(frozen=True)
class GridCorrection:
    """A dancer's correction: shift the "1" by ``shift_beats`` (after the tempo change).

    ``shift_beats`` is kept in -3..4: moving by 8 beats is the same 8-count grid.
    """

    shift_beats: int = 0
    tempo: str | None = None  # None | "double" | "half"

    def __post_init__(self) -> None:
        if self.tempo not in (None, *TEMPO_CHANGES):
            raise GridError(f"tempo {self.tempo!r}: use double or half")
        object.__setattr__(self, "shift_beats", _wrap(int(self.shift_beats)))

    @property
    def is_identity(self) -> bool:
        """True when the correction changes nothing."""
        return self.shift_beats == 0 and self.tempo is None

    def then(self, *, shift_beats: int = 0, tempo: str | None = None) -> GridCorrection:
        """This correction followed by another (a half after a double cancels out)."""
        current = self.tempo
        if tempo is not None:
            if current is None:
                current = tempo
            elif current != tempo:
                current = None
            else:
                raise GridError(f"the tempo is already {tempo}d; reset to start again")
        return GridCorrection(shift_beats=self.shift_beats + shift_beats, tempo=current)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (what is stored with the song)."""
        return {"shift_beats": self.shift_beats, "tempo": self.tempo}

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> GridCorrection:
        """Inverse of :meth:`to_dict`; ``None`` or ``{}`` is no correction."""
        data = data or {}
        return cls(shift_beats=int(data.get("shift_beats") or 0), tempo=data.get("tempo"))


def _wrap(shift: int) -> int:
    """``shift`` modulo 8, in -3..4."""
    return (shift + 3) % 8 - 3


def _first_index(beats: np.ndarray, time_s: float | None) -> int:
    if time_s is None or len(beats) == 0:
        return 0
    return int(np.argmin(np.abs(beats - time_s)))


def apply_correction(analysis: SongAnalysis, correction: GridCorrection) -> SongAnalysis:
    """The analysis with its grid corrected (beats, downbeats, 8-counts, phrases, energy).

    Sections keep their times; the energy of each new 8-count is that of the analysed
    8-count it starts in.

    >>> from bachata.demo.synth import click_track
    >>> from bachata.music import analyse
    >>> a = analyse(click_track(bpm=120, duration_s=30).audio)
    >>> b = apply_correction(a, GridCorrection(shift_beats=1))
    >>> round(b.eight_counts[0] - a.eight_counts[0], 2)
    0.5
    """
    if correction.is_identity:
        return analysis
    beats = np.asarray(analysis.beats, dtype=float)
    one = _first_index(beats, analysis.eight_counts[0] if analysis.eight_counts else None)
    if correction.tempo == "double" and len(beats) > 1:
        beats = np.sort(np.concatenate([beats, (beats[:-1] + beats[1:]) / 2]))
        one *= 2
    elif correction.tempo == "half":
        keep = one % 2
        beats = beats[keep::2]
        one //= 2
    if len(beats) < 8:
        raise GridError("too few beats left for an 8-count; reset the grid")
    one = (one + correction.shift_beats) % 8
    full = np.arange(one, len(beats) - 7, 8)
    beat_s = float(np.median(np.diff(beats)))
    starts = beats[full]
    old_ones = np.asarray(analysis.eight_counts, dtype=float)
    energy = [
        analysis.energy[max(0, int(np.searchsorted(old_ones, t, side="right")) - 1)]
        if analysis.energy
        else 0.5
        for t in starts
    ]

    def r(x: np.ndarray) -> list[float]:
        return [round(float(v), 4) for v in x]

    return replace(
        analysis,
        bpm=round(60.0 / beat_s, 3),
        beats=r(beats),
        downbeats=r(beats[one % 4 :: 4]),
        eight_counts=r(starts),
        count_grid=[r(beats[i : i + 8]) for i in full],
        phrases=[round(t, 4) for t in phrase_starts(starts, analysis.sections)],
        energy=[round(float(e), 4) for e in energy],
        downbeat_confidence=1.0,
        grid_source="corrected",
        pulse_start=round(float(beats[0]), 4),
    )


def shift_from_taps(analysis: SongAnalysis, taps_s: list[float]) -> int:
    """The beat shift (-1..2) that puts the bar's "1" nearest the dancer's taps.

    Each tap is matched to the nearest beat; the bar phase most taps agree on wins.

    Raises
    ------
    GridError
        With fewer than two taps inside the song's beats.
    """
    beats = np.asarray(analysis.beats, dtype=float)
    taps = np.asarray([t for t in taps_s if np.isfinite(t)], dtype=float)
    if len(beats) < 8 or len(taps) < 2:
        raise GridError("tap on the 1 at least twice while the song plays")
    one = _first_index(beats, analysis.eight_counts[0] if analysis.eight_counts else None)
    indices = np.array([int(np.argmin(np.abs(beats - t))) for t in taps])
    votes = np.bincount((indices - one) % 4, minlength=4)
    phase = int(np.argmax(votes))
    return phase if phase <= 2 else phase - 4


def grid_document(analysis: SongAnalysis, correction: GridCorrection) -> dict[str, object]:
    """The grid as the CLI, API and web page show it (times in seconds).

    ``check_the_one`` is true when the "1" was not confirmed by a dancer and the
    analysis is unsure of it (:data:`~bachata.music.downbeats.LOW_CONFIDENCE`).
    """
    return {
        "bpm": analysis.bpm,
        "beats": analysis.beats,
        "downbeats": analysis.downbeats,
        "eight_counts": analysis.eight_counts,
        "downbeat_confidence": analysis.downbeat_confidence,
        "check_the_one": correction.is_identity and analysis.downbeat_confidence < LOW_CONFIDENCE,
        "correction": None if correction.is_identity else correction.to_dict(),
    }
