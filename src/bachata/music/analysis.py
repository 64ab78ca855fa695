"""Music analysis: tempo, beats, downbeats, the 8-count grid, sections and energy.

Pure functions over numpy arrays (NumPy only: a fresh process imports it in a fraction
of a second and analyses a song without any JIT warm-up). The pipeline, each stage its own function:

1. :func:`spectrogram` and :func:`mel_bands` — log-mel spectrogram (``N_FFT``/``HOP``).
2. :func:`onset_envelope` — spectral flux.
3. :func:`estimate_tempo` — comb-filtered autocorrelation, folded into the dance range.
4. :func:`track_beats` — dynamic-programming beat tracker (Ellis 2007), refined to
   sub-frame accuracy and trimmed to where the pulse really plays.
5. :func:`bachata.music.downbeats.estimate_bar_phase` — which eighth note is the bar's
   "1", from bass, low-mid, harmonic-change, loudness and treble cues matched against a
   bar template (it also catches a tracker locked onto the off-beats);
   :func:`eight_count_grid` groups bars in pairs (counts 1-8).
6. :func:`find_sections` — change points of loudness and timbre per 8-count, labelled
   by energy; near-silent short sections are breaks; :func:`song_form` names the music
   of each section, the same letter where it returns.

:func:`analyse` runs them all and returns a :class:`SongAnalysis`.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from bachata.music.downbeats import eighth_features, eighth_grid, estimate_bar_phase

#: Bump when the results change; stored analyses of older versions are recomputed.
ANALYSER_VERSION = "3"
SR = 22050
N_FFT = 1024
HOP = 256
N_MELS = 64
#: The tempo octave bachata lives in (BPM); estimates are folded into it.
DANCE_BPM_RANGE = (88.0, 176.0)


@dataclass
class Section:
    """A stretch of the song with one character (times in seconds)."""

    start: float
    end: float
    kind: str  # intro | body | break | outro
    energy: float  # mean energy 0-1
    energy_level: str  # low | medium | high


@dataclass
class SongAnalysis:
    """Everything downstream needs to know about a song (times in seconds)."""

    version: str
    duration: float
    bpm: float
    beats: list[float]
    downbeats: list[float]
    eight_counts: list[float]
    count_grid: list[list[float]]
    phrases: list[float]
    sections: list[Section]
    energy: list[float]
    confidence: float
    pulse_start: float
    #: 0-1: how sure the analysis is of the bar's "1" (low: ask the dancer to check it).
    downbeat_confidence: float = 0.0
    #: ``analysed``, or ``corrected`` once a dancer fixed the grid (bachata.music.grid).
    grid_source: str = "analysed"
    #: One label per section: intro/break/outro, or a letter naming its music; repeated
    #: music has the same letter, e.g. ``["intro", "A", "B", "A", "break", "B", "outro"]``.
    form: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (what is stored in the database)."""
        data = asdict(self)
        data.pop("timings")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SongAnalysis:
        """Inverse of :meth:`to_dict`."""
        fields = dict(data)
        fields["sections"] = [Section(**s) for s in data["sections"]]
        fields.pop("timings", None)
        return cls(**fields)


# ---------------------------------------------------------------------------- features


def spectrogram(y: np.ndarray, *, n_fft: int = N_FFT, hop_length: int = HOP) -> np.ndarray:
    """Magnitude STFT, frames centred on ``t * hop_length`` (shape ``(frames, n_fft//2+1)``)."""
    padded = np.pad(y.astype(np.float32, copy=False), n_fft // 2)
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop_length]
    # Periodic Hann window (as for spectral analysis); NumPy's FFT keeps float32 input.
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)
    return np.abs(np.fft.rfft(frames * window, axis=1)).astype(np.float32)


def mel_filterbank(
    *,
    sr: int = SR,
    n_fft: int = N_FFT,
    n_mels: int = N_MELS,
    fmin: float = 30.0,
    fmax: float | None = None,
) -> np.ndarray:
    """Triangular mel filters, Slaney-normalised (shape ``(n_mels, n_fft//2+1)``)."""
    fmax = fmax or sr / 2

    def mel(f: np.ndarray | float) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(fmin), mel(fmax), n_mels + 2))
    freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    lower = (freqs[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    upper = (edges[2:, None] - freqs[None, :]) / (edges[2:, None] - edges[1:-1, None])
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)


def mel_bands(spec: np.ndarray, *, sr: int = SR) -> np.ndarray:
    """Log-mel spectrogram in dB, floored 80 dB below its peak."""
    weights = mel_filterbank(sr=sr, n_fft=(spec.shape[1] - 1) * 2)
    power = (spec**2) @ weights.T
    db = 10.0 * np.log10(np.maximum(power, 1e-10))
    return np.maximum(db, db.max() - 80.0)


def onset_envelope(log_mel: np.ndarray) -> np.ndarray:
    """Spectral flux: the mean positive dB rise per mel band, one value per frame.

    Aligned so that a peak sits on the frame of the onset.
    """
    rise = np.maximum(0.0, np.diff(log_mel, axis=0, prepend=log_mel[:1]))
    # A centred window sees an onset half a window early; the flux peaks about a quarter
    # window before the onset, so shift by that many frames.
    return np.roll(rise.mean(axis=1), round(N_FFT / 4 / HOP))


# ----------------------------------------------------------------------- tempo & beats


def _autocorrelation(x: np.ndarray) -> np.ndarray:
    x = x - x.mean()
    n = 1 << int(np.ceil(np.log2(2 * len(x))))
    spectrum = np.fft.rfft(x, n)
    ac = np.fft.irfft(spectrum * np.conj(spectrum), n)[: len(x)]
    return ac / max(ac[0], 1e-12)


def estimate_tempo(
    onset: np.ndarray, *, fps: float, bpm_range: tuple[float, float] = DANCE_BPM_RANGE
) -> float:
    """Global tempo in BPM from the onset envelope.

    Every candidate tempo from 50 to 260 BPM scores the autocorrelation at its first
    four beat periods (a comb), with a broad preference for ~120 BPM. The winner is
    folded by octaves into ``bpm_range`` — the half/double-tempo guard.
    """
    ac = _autocorrelation(onset)
    candidates = np.arange(50.0, 260.0, 0.1)
    periods = 60.0 * fps / candidates
    lags = np.arange(len(ac))
    score = np.zeros_like(candidates)
    for k, weight in ((1, 1.0), (2, 0.5), (3, 0.33), (4, 0.25)):
        score += weight * np.interp(k * periods, lags, ac, right=0.0)
    prior = np.exp(-0.5 * (np.log2(candidates / 120.0) / 1.0) ** 2)
    return fold_bpm(float(candidates[np.argmax(score * prior)]), bpm_range)


def fold_bpm(bpm: float, bpm_range: tuple[float, float] = DANCE_BPM_RANGE) -> float:
    """Double or halve ``bpm`` into ``bpm_range`` (the half/double-tempo guard).

    >>> fold_bpm(65.9), fold_bpm(128.0), fold_bpm(260.0)
    (131.8, 128.0, 130.0)
    """
    low, high = bpm_range
    while bpm < low:
        bpm *= 2
    while bpm >= high:
        bpm /= 2
    return bpm


def _dp_beats(onset: np.ndarray, period: float, tightness: float = 100.0) -> np.ndarray:
    """Ellis' dynamic programme: frames of the best beat sequence at ``period`` frames."""
    norm = onset / max(onset.std(), 1e-9)
    width = max(1, round(period / 32))
    kernel = np.exp(-0.5 * (np.arange(-4 * width, 4 * width + 1) / width) ** 2)
    local = np.convolve(norm, kernel / kernel.sum(), mode="same")
    n = len(local)
    lo, hi = round(period / 2), round(2 * period)
    offsets = np.arange(hi, lo - 1, -1)  # distances to the previous beat
    penalty = -tightness * np.log(offsets / period) ** 2
    cumulative = local.copy()
    backlink = np.full(n, -1)
    threshold = 0.01 * local.max()
    started = False
    for t in range(lo, n):
        first = t - hi
        if first < 0:
            cand = cumulative[0 : t - lo + 1] + penalty[-first:]
            base = 0
        else:
            cand = cumulative[first : t - lo + 1] + penalty
            base = first
        best = int(np.argmax(cand))
        if not started and local[t] < threshold:
            continue
        started = True
        cumulative[t] = local[t] + cand[best]
        backlink[t] = base + best
    # The last beat: the latest strong local maximum of the cumulative score.
    peaks = (
        np.nonzero((cumulative[1:-1] > cumulative[:-2]) & (cumulative[1:-1] > cumulative[2:]))[0]
        + 1
    )
    if len(peaks) == 0:
        return np.array([], dtype=int)
    tail = peaks[peaks >= n - int(2 * period)]
    strong = cumulative[peaks].mean() * 0.5
    tail = tail[cumulative[tail] >= strong] if len(tail) else peaks[-1:]
    beat = int(tail[np.argmax(cumulative[tail])]) if len(tail) else int(peaks[-1])
    beats = [beat]
    while backlink[beat] >= 0:
        beat = int(backlink[beat])
        beats.append(beat)
    return np.array(beats[::-1])


def _refine(frames: np.ndarray, onset: np.ndarray, radius: int = 2) -> np.ndarray:
    """Sub-frame beat positions: onset-weighted centroid within ``radius`` frames."""
    out = frames.astype(float)
    for i, f in enumerate(frames):
        lo, hi = max(0, f - radius), min(len(onset), f + radius + 1)
        w = onset[lo:hi]
        if w.sum() > 0:
            out[i] = float((np.arange(lo, hi) * w).sum() / w.sum())
    return out


def track_beats(
    onset: np.ndarray, *, fps: float, bpm: float, rms_db: np.ndarray
) -> tuple[np.ndarray, float]:
    """Beat times in seconds, and the time where the steady pulse starts.

    Beats before the pulse starts (a free-time intro) and after the music ends are
    dropped; beats through a short quiet break are kept (the dancers keep counting).
    """
    period = 60.0 * fps / bpm
    frames = _dp_beats(onset, period)
    if len(frames) < 8:
        return frames / fps, 0.0
    # The pulse starts at the first beat of two bars whose every beat has an onset:
    # free-time intro chords land on a tracked beat now and then, never eight in a row.
    strength = _around(onset, frames, 2)
    strong = strength >= 0.3 * np.median(strength)
    # The tracker links the first real beat to a predecessor one period earlier even in
    # silence; a run-in of beats without onsets is not a beat.
    start_index = int(np.argmax(strong))
    for i in range(len(frames) - 8):
        if strong[i : i + 8].all():
            start_index = i
            break
    loud = rms_db > rms_db.max() - 45.0
    last_loud = int(np.nonzero(loud)[0][-1]) if loud.any() else len(rms_db) - 1
    frames = frames[start_index:]
    frames = frames[frames <= last_loud + int(period / 2)]
    times = _refine(frames, onset) / fps
    return times, float(times[0]) if len(times) else 0.0


def tempo_from_beats(beats: np.ndarray) -> float:
    """BPM from the slope of a line through the beat times (robust to sub-frame jitter)."""
    if len(beats) < 2:
        return 0.0
    slope = np.polyfit(np.arange(len(beats)), beats, 1)[0]
    return float(60.0 / slope)


#: A beat this far off the fitted line (seconds) is not part of the steady grid.
LINE_OUTLIER_S = 0.04


def beat_line(beats: np.ndarray) -> tuple[float, float]:
    """The steady grid nearest ``beats``: seconds per beat and the time of beat 0.

    A least-squares line through the beat times, fitted again without the beats that lie
    more than :data:`LINE_OUTLIER_S` (or the upper quartile of the residuals, if larger)
    off it. A tracker places the first beats of an excerpt worst (the cut is an onset of
    its own), so a clip's count 1 is read off this line, not off its first tracked beat.

    >>> period, start = beat_line(np.array([0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]))
    >>> round(period, 3), round(start, 3)
    (0.5, 0.0)
    """
    index = np.arange(len(beats), dtype=float)
    if len(beats) < 2:
        return 0.0, float(beats[0]) if len(beats) else 0.0
    keep = np.ones(len(beats), dtype=bool)
    for _ in range(2):
        period, start = np.polyfit(index[keep], beats[keep], 1)
        residual = np.abs(beats - (period * index + start))
        keep = residual <= max(LINE_OUTLIER_S, float(np.percentile(residual, 75)))
        if keep.sum() < 2:
            break
    return float(period), float(start)


# ------------------------------------------------------------------- bars & 8-counts


def _around(values: np.ndarray, frames: np.ndarray, radius: int) -> np.ndarray:
    return np.array([values[max(0, f - radius) : f + radius + 1].max() for f in frames])


def chroma(spec: np.ndarray, *, sr: int = SR, fmin: float = 250.0, fmax: float = 2500.0):
    """Pitch-class energy per frame (shape ``(frames, 12)``), each frame summing to 1.

    The default band starts above the bass: bass lines anticipate the next chord (the
    bachata bass often lands the new root half a beat early), guitars and pianos don't.
    """
    n_fft = (spec.shape[1] - 1) * 2
    freqs = np.arange(spec.shape[1]) * sr / n_fft
    use = (freqs >= fmin) & (freqs <= fmax)
    pitch_class = np.round(12 * np.log2(freqs[use] / 440.0)).astype(int) % 12
    mapping = np.zeros((use.sum(), 12), dtype=np.float32)
    mapping[np.arange(use.sum()), pitch_class] = 1.0
    energy = (spec[:, use] ** 2) @ mapping
    return energy / np.maximum(energy.sum(axis=1, keepdims=True), 1e-10)


def eight_count_grid(
    beats: np.ndarray, phase: int, *, fps: float, log_mel: np.ndarray, rms_db: np.ndarray
) -> np.ndarray:
    """Indices into ``beats`` of every 8-count's count 1 (pairs of bars).

    Which bar of a pair is counts 1-4 is decided by where the music changes: section and
    phrase changes fall on a "1". Ties go to the first full bar of the song.
    """
    bar_starts = np.arange(phase, len(beats), 4)
    if len(bar_starts) < 3:
        return bar_starts[::2]
    frames = np.round(beats[bar_starts] * fps).astype(int)
    features = np.column_stack([log_mel[:, ::4], rms_db[:, None]])
    change = np.zeros(len(frames))
    for i in range(1, len(frames) - 1):
        before = features[frames[i - 1] : frames[i]].mean(axis=0)
        after = features[frames[i] : frames[i + 1]].mean(axis=0)
        change[i] = np.linalg.norm(after - before)
    inner = np.arange(1, len(frames) - 1)  # bars with music on both sides
    even = change[inner[inner % 2 == 0]].mean() if (inner % 2 == 0).any() else 0.0
    odd = change[inner[inner % 2 == 1]].mean() if (inner % 2 == 1).any() else 0.0
    parity = 1 if odd > 1.15 * even else 0
    return bar_starts[parity::2]


# ----------------------------------------------------------------- sections & energy


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


def analyse(y: np.ndarray, sr: int = SR) -> SongAnalysis:
    """Analyse a song.

    Parameters
    ----------
    y
        Mono audio samples (float, any scale).
    sr
        Sample rate in Hz (22050 recommended; other rates work at other cost).

    Returns
    -------
    SongAnalysis
        With ``timings`` holding the seconds each stage took.

    Examples
    --------
    >>> from bachata.music.synth import click_track
    >>> clicks = click_track(bpm=120, duration_s=30)
    >>> round(analyse(clicks.audio, clicks.sr).bpm)
    120
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    duration = len(y) / sr
    fps = sr / HOP
    spec = spectrogram(y)
    log_mel = mel_bands(spec, sr=sr)
    rms = np.sqrt(np.mean(spec**2, axis=1) * 2 / N_FFT**2) + 1e-10
    rms_db = 20 * np.log10(rms)
    onset = onset_envelope(log_mel)
    lap("features")

    rough_bpm = estimate_tempo(onset, fps=fps)
    beats, pulse_start = track_beats(onset, fps=fps, bpm=rough_bpm, rms_db=rms_db)
    bpm = tempo_from_beats(beats) or rough_bpm
    lap("beats")

    eighths = eighth_grid(beats)
    bar = estimate_bar_phase(
        eighth_features(
            spec,
            eighths,
            sr=sr,
            hop_length=HOP,
            pitch=chroma(spec, sr=sr),
            bass_pitch=chroma(spec, sr=sr, fmin=40.0, fmax=200.0),
        ),
        starts_from_silence=_silent_before(beats, rms_db, fps=fps),
    )
    if bar.eighth % 2 and len(beats) > 1:  # the tracker followed the "and"s
        beats = eighths[1::2]
        pulse_start = float(beats[0])
    phase = (bar.eighth // 2) % 4
    downbeats = beats[phase::4]
    ones = eight_count_grid(beats, phase, fps=fps, log_mel=log_mel, rms_db=rms_db)
    full = ones[ones + 8 <= len(beats)]
    beat_s = 60.0 / bpm if bpm else 0.5
    grid = [beats[i : i + 8].tolist() for i in full]
    starts = beats[full]
    ends = np.array([beats[i + 8] if i + 8 < len(beats) else beats[i + 7] + beat_s for i in full])
    lap("bars")

    features = eight_count_features(
        starts, ends, fps=fps, rms_db=rms_db, onset=onset, log_mel=log_mel
    )
    sections, energy = find_sections(starts, ends, duration=duration, features=features)
    phrases = phrase_starts(starts, sections)
    form = song_form(sections, starts, features)
    lap("sections")

    ibis = np.diff(beats) if len(beats) > 2 else np.array([1.0])
    steadiness = float(np.clip(1.0 - 5 * ibis.std() / ibis.mean(), 0.0, 1.0))
    confidence = round(float(np.mean([steadiness, bar.confidence, 1.0 if len(grid) else 0.0])), 3)

    def r(x: np.ndarray) -> list[float]:
        return [round(float(v), 4) for v in x]

    return SongAnalysis(
        version=ANALYSER_VERSION,
        duration=round(duration, 4),
        bpm=round(bpm, 3),
        beats=r(beats),
        downbeats=r(downbeats),
        eight_counts=r(starts),
        count_grid=[r(np.array(row)) for row in grid],
        phrases=r(np.array(phrases)),
        sections=sections,
        energy=[round(float(e), 4) for e in energy],
        confidence=confidence,
        pulse_start=round(pulse_start, 4),
        downbeat_confidence=bar.confidence,
        form=form,
        timings=timings,
    )


def _silent_before(beats: np.ndarray, rms_db: np.ndarray, *, fps: float) -> bool:
    """Whether at least 0.2 s of near silence (40 dB under the peak) precede the first beat."""
    if len(beats) == 0:
        return False
    end = int(beats[0] * fps) - 2
    return end >= 0.2 * fps and bool(np.all(rms_db[:end] < rms_db.max() - 40.0))


def phrase_starts(starts: np.ndarray, sections: list[Section]) -> list[float]:
    """Phrase starts: every second 8-count, restarting the pairing at each section."""
    phrases: list[float] = []
    for section in sections:
        inside = [float(t) for t in starts if section.start - 1e-6 <= t < section.end - 1e-6]
        phrases.extend(inside[::2])
    return phrases
