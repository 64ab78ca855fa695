"""Sections, energy and form, found per 8-count from loudness, onset density and timbre."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np


@dataclass
class Section:
    """A stretch of the song with one character (times in seconds)."""

    start: float
    end: float
    kind: str  # intro | body | break | outro
    energy: float  # mean energy 0-1
    energy_level: str  # low | medium | high


def _normalise(x: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    ref = x if reference is None or len(reference) == 0 else reference
    lo, hi = np.percentile(ref, 5), np.percentile(ref, 95)
    if hi - lo < 1e-9:
        return np.full_like(x, 0.5, dtype=float)
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def energy_level(energy: float) -> str:
    """``low`` / ``medium`` / ``high`` for an energy value on the song's 0-1 scale."""
    return "low" if energy < 0.35 else ("high" if energy >= 0.7 else "medium")


#: A quiet 8-count is this many dB below the song's median loudness.
QUIET_DB = 10.0
#: Change between phrases (dB of loudness or mean timbre) that starts a new section.
SECTION_CHANGE_DB = 2.0


@dataclass(frozen=True)
class EightCountFeatures:
    """Per 8-count: loudness (dB), onset density and timbre (coarse log-mel, dB)."""

    loud: np.ndarray
    busy: np.ndarray
    timbre: np.ndarray


def eight_count_features(
    starts: np.ndarray,
    ends: np.ndarray,
    *,
    fps: float,
    rms_db: np.ndarray,
    onset: np.ndarray,
    log_mel: np.ndarray,
) -> EightCountFeatures:
    """The features of the 8-counts ``[starts[i], ends[i])`` (seconds) that sections
    and the form are found from (``fps``: frames a second of the other arrays)."""
    f0 = np.round(starts * fps).astype(int)
    f1 = np.maximum(f0 + 1, np.round(ends * fps).astype(int))
    spans = list(zip(f0, f1, strict=True))
    return EightCountFeatures(
        loud=np.array([rms_db[a:b].mean() for a, b in spans]),
        busy=np.array([onset[a:b].mean() for a, b in spans]),
        timbre=np.array([log_mel[a:b, ::4].mean(axis=0) for a, b in spans]),
    )


def song_form(
    sections: list[Section], starts: np.ndarray, features: EightCountFeatures
) -> list[str]:
    """The song's form: one label per section — ``intro``, ``break``, ``outro``, or a
    letter (``A``, ``B``, ...) naming the music of a body section, the same letter where
    the music returns (a second verse, the chorus again).

    Two body sections are the same music when, 8-count by 8-count from their starts,
    they differ by less than :data:`SECTION_CHANGE_DB` in loudness and in mean timbre:
    less than the change that starts a new section.
    """
    if len(starts) == 0:
        return [s.kind if s.kind != "body" else "A" for s in sections]
    loud, timbre = features.loud, features.timbre
    counts = [np.nonzero((starts >= s.start - 1e-3) & (starts < s.end - 1e-3))[0] for s in sections]
    labels: list[str] = []
    seen: list[tuple[str, np.ndarray]] = []  # (letter, 8-count indices of its first time)
    for section, inside in zip(sections, counts, strict=True):
        if section.kind != "body" or len(inside) == 0:
            labels.append(section.kind if section.kind != "body" else "A")
            continue
        match = None
        for letter, first in seen:
            k = min(len(first), len(inside))
            a, b = first[:k], inside[:k]
            change = max(
                abs(float(loud[a].mean() - loud[b].mean())),
                float(np.abs(timbre[a].mean(axis=0) - timbre[b].mean(axis=0)).mean()),
            )
            if change < SECTION_CHANGE_DB:
                match = letter
                break
        if match is None:
            match = chr(ord("A") + min(len(seen), 25))
            seen.append((match, inside))
        labels.append(match)
    return labels


def find_sections(
    starts: np.ndarray, ends: np.ndarray, *, duration: float, features: EightCountFeatures
) -> tuple[list[Section], np.ndarray]:
    """Sections over the 8-counts ``[starts[i], ends[i])`` and the energy of each 8-count.

    Energy per 8-count mixes loudness (70 %) and onset density (30 %), normalised 0-1
    against the song's sounding 8-counts. Runs of at most two quiet 8-counts are breaks;
    elsewhere a section starts where the phrase after an 8-count (two 8-counts) differs
    from the phrase before it in loudness or timbre by ``SECTION_CHANGE_DB``.
    """
    if len(starts) == 0:
        return [Section(0.0, duration, "body", 0.5, "medium")], np.array([])
    loud, busy, timbre = features.loud, features.busy, features.timbre
    quiet = loud < np.median(loud) - QUIET_DB
    sounding = ~quiet
    energy = 0.7 * _normalise(loud, loud[sounding]) + 0.3 * _normalise(busy, busy[sounding])

    n = len(starts)
    cut = np.zeros(n + 1, dtype=bool)
    cut[0] = cut[n] = True
    cut[1:n] |= quiet[1:] != quiet[:-1]  # around quiet runs
    novelty = np.zeros(n)
    for i in range(2, n - 1):  # a whole phrase on each side
        before, after = slice(i - 2, i), slice(i, i + 2)
        if quiet[before].any() or quiet[after].any():
            continue
        novelty[i] = max(
            abs(loud[after].mean() - loud[before].mean()),
            float(np.abs(timbre[after].mean(axis=0) - timbre[before].mean(axis=0)).mean()),
        )
    for i in range(1, n):
        peak = novelty[i] >= novelty[max(0, i - 1) : i + 2].max()
        if peak and novelty[i] >= SECTION_CHANGE_DB:
            cut[i] = True
    bounds = np.nonzero(cut)[0]

    sections: list[Section] = []
    if starts[0] > 1.0:
        sections.append(Section(0.0, float(starts[0]), "intro", 0.0, "low"))
    for a, b in itertools.pairwise(bounds):
        e = round(float(energy[a:b].mean()), 3)
        kind = "break" if quiet[a:b].all() and b - a <= 2 else "body"
        sections.append(Section(float(starts[a]), float(ends[b - 1]), kind, e, energy_level(e)))
    if duration - ends[-1] > 1.0:
        sections.append(Section(float(ends[-1]), duration, "outro", 0.0, "low"))
    return sections, energy


# ------------------------------------------------------------------------- pipeline


def phrase_starts(starts: np.ndarray, sections: list[Section]) -> list[float]:
    """Phrase starts: every second 8-count, restarting the pairing at each section."""
    phrases: list[float] = []
    for section in sections:
        inside = [float(t) for t in starts if section.start - 1e-6 <= t < section.end - 1e-6]
        phrases.extend(inside[::2])
    return phrases
