"""Agreement with reference beats from an independent tracker (for tests and ``make bench``).

The real clips in ``shared/data/upstream-clips`` come with ``reference-beats.json``: the
tempo, beats and downbeats another tracker found in each clip's audio. These helpers
measure how often our timing agrees with it, the way the product is judged: the tempo
within 2 % (octaves folded into the dance range, since the reference sometimes counts
slow clips at half tempo) and count 1 within 70 ms of a reference downbeat.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bachata.music.beats import fold_bpm

#: Tempo agreement tolerance (relative) and count-1 tolerance (seconds).
TEMPO_TOLERANCE = 0.02
COUNT1_TOLERANCE_S = 0.07


@dataclass(frozen=True)
class ReferenceClip:
    """One clip's reference: tempo (BPM), beats and downbeats (seconds)."""

    path: str
    bpm: float
    beats: np.ndarray
    downbeats: np.ndarray

    @property
    def dance_bpm(self) -> float:
        """The reference tempo folded by octaves into the dance range."""
        return fold_bpm(self.bpm)

    def tempo_agrees(self, bpm: float) -> bool:
        """``bpm`` within 2 % of the folded reference tempo."""
        return abs(bpm - self.dance_bpm) / self.dance_bpm <= TEMPO_TOLERANCE

    def count1_agrees(self, count1_s: float) -> bool:
        """``count1_s`` within 70 ms of a reference downbeat."""
        return bool(np.min(np.abs(self.downbeats - count1_s)) <= COUNT1_TOLERANCE_S)


def load_reference(path: Path) -> dict[str, ReferenceClip]:
    """Read a ``reference-beats.json`` (clip path relative to ``Bachata_steps/`` -> clip)."""
    clips = json.loads(Path(path).read_text())["clips"]
    return {
        rel: ReferenceClip(
            path=rel,
            bpm=float(c["bpm"]),
            beats=np.asarray(c["beats"], dtype=float),
            downbeats=np.asarray(c["downbeats"], dtype=float),
        )
        for rel, c in clips.items()
    }
