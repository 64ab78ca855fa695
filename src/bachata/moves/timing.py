"""Where a clip's counts fall: its tempo, its count "1" and its length in 8-counts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bachata.moves.manifest import MoveSpec
from bachata.moves.probe import ClipError, ClipInfo
from bachata.music import AudioError, analyse, decode_audio
from bachata.music.analysis import SR
from bachata.music.beats import DANCE_BPM_RANGE, beat_line

#: A clip may fall this much short of a whole 8-count and still count it (seconds).
SLACK_S = 0.1
#: Without a length in the metadata, a long recording is used for its first four 8-counts
#: (a move is one to four 8-counts; longer footage usually holds several moves).
MAX_EIGHT_COUNTS = 4


@dataclass(frozen=True)
class ClipTiming:
    """Tempo (BPM), count-1 offset (s into the clip) and length in counts of a clip."""

    tempo: float
    count1_offset: float
    counts: int
    measured: bool

    @property
    def beat_s(self) -> float:
        """Seconds per beat in the clip."""
        return 60.0 / self.tempo

    @property
    def eight_counts(self) -> int:
        """Length in 8-counts."""
        return self.counts // 8


def fold_tempo(bpm: float, hint: float | None) -> float:
    """The octave of ``bpm`` (half, same or double) nearest a coarse ``hint``, within the
    dance range; ``bpm`` itself without a hint.

    >>> fold_tempo(130.0, 66.0), fold_tempo(100.0, 190.0), fold_tempo(130.0, None)
    (130.0, 100.0, 130.0)
    """
    if not hint:
        return bpm
    low, high = DANCE_BPM_RANGE
    octaves = [b for b in (bpm / 2, bpm, bpm * 2) if low <= b < high] or [bpm]
    return min(octaves, key=lambda b: abs(math.log(b / hint)))


def _first_bar(beats: list[float], downbeats: list[float]) -> float:
    """The first "1" on the steady line through the beats (a clip is played at one
    speed, so its counts are a line; the tracker's first beats are its least exact)."""
    first = beats.index(downbeats[0]) if downbeats else 0
    period, start = beat_line(np.asarray(beats))
    return max(0.0, start + first * period)


def clip_timing(spec: MoveSpec, info: ClipInfo, path: Path) -> ClipTiming:
    """Tempo and count-1 offset from the metadata, else measured from the clip's audio.

    The clip's audio is the music the dancer danced to: the song analysis gives its tempo
    (in the dance range; a coarse ``tempo_hint`` only picks the octave) and its first
    bar start (the "1" found by the same downbeat estimator as for songs, read off the
    steady line through its beats: :func:`~bachata.music.beats.beat_line`). The length is
    the metadata's ``counts`` or as many whole 8-counts as fit after count 1 (at most
    four).

    Raises
    ------
    ClipError
        When the timing cannot be known or the clip is shorter than one 8-count (or than
        the counts its metadata claims).
    """
    tempo, offset, measured = spec.tempo, spec.count1_offset, False
    if tempo is None or offset is None:
        if not info.has_audio:
            if tempo is None:
                raise ClipError(f"{path}: no tempo in the metadata and no audio to measure it")
            offset = 0.0
        else:
            try:
                result = analyse(decode_audio(path, sr=SR), SR)
            except AudioError as exc:
                raise ClipError(f"{path}: {exc}") from None
            if not result.beats:
                raise ClipError(f"{path}: no beat found in the clip's audio")
            measured = True
            tempo = tempo if tempo is not None else fold_tempo(result.bpm, spec.tempo_hint)
            if offset is None:  # dancers start on the first bar the music plays
                offset = _first_bar(result.beats, result.downbeats)
    beat_s = 60.0 / tempo
    if measured:
        # The pulse is taken to start where two bars in a row play clearly; in a short
        # clip the move may start a bar or two before that. Step back by whole bars (the
        # "1" stays a "1") until one 8-count fits.
        while offset >= 4 * beat_s and info.duration - offset + SLACK_S < 8 * beat_s:
            offset -= 4 * beat_s
    fitting = math.floor((info.duration - offset + SLACK_S) / (8 * beat_s))
    if fitting < 1:
        raise ClipError(
            f"{path}: {info.duration:.2f} s is shorter than one 8-count at {tempo:.0f} BPM "
            f"after count 1 at {offset:.2f} s"
        )
    counts = spec.counts or min(fitting, MAX_EIGHT_COUNTS) * 8
    if counts // 8 > fitting:
        raise ClipError(
            f"{path}: the metadata says {counts} counts but only {fitting * 8} fit in "
            f"{info.duration:.2f} s at {tempo:.0f} BPM"
        )
    return ClipTiming(
        tempo=round(tempo, 3), count1_offset=round(offset, 4), counts=counts, measured=measured
    )
