"""Music analysis: tempo, beats, downbeats, the 8-count grid, sections and energy.

Pure functions over numpy arrays (NumPy only: a fresh process imports it in a fraction
of a second and analyses a song without any JIT warm-up). The pipeline, each stage its own function:

1. :func:`spectrogram` and :func:`mel_bands` — log-mel spectrogram (``N_FFT``/``HOP``).
2. :func:`onset_envelope` — spectral flux.
3. :mod:`bachata.music.beats` — the tempo (comb-filtered autocorrelation, folded into the
   dance range) and the beats (dynamic programming, Ellis 2007), refined to sub-frame
   accuracy and trimmed to where the pulse really plays.
4. :func:`bachata.music.downbeats.estimate_bar_phase` — which eighth note is the bar's
   "1", from bass, low-mid, harmonic-change, loudness and treble cues matched against a
   bar template (it also catches a tracker locked onto the off-beats);
   :func:`eight_count_grid` groups bars in pairs (counts 1-8).
5. :mod:`bachata.music.sections` — change points of loudness and timbre per 8-count,
   labelled by energy; near-silent short sections are breaks; the form names the music
   of each section, the same letter where it returns.

:func:`analyse` runs them all and returns a :class:`SongAnalysis`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from bachata.music.beats import (
    estimate_tempo,
    tempo_from_beats,
    track_beats,
)
from bachata.music.downbeats import eighth_features, eighth_grid, estimate_bar_phase
from bachata.music.sections import (
    Section,
    eight_count_features,
    find_sections,
    phrase_starts,
    song_form,
)

#: Bump when the results change; stored analyses of older versions are recomputed.
ANALYSER_VERSION = "12"
SR = 22050
N_FFT = 1024
HOP = 256
N_MELS = 64


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
    flux = np.maximum(0.0, np.diff(log_mel, axis=0, prepend=log_mel[:1])).mean(axis=1)
    # A centred window sees an onset half a window early; the flux peaks about a quarter
    # window before the onset, so shift by that many frames (the end's flux is not
    # wrapped round to the start).
    shift = round(N_FFT / 4 / HOP)
    return np.concatenate([np.zeros(shift, dtype=flux.dtype), flux[: len(flux) - shift]])


# ----------------------------------------------------------------------- tempo & beats


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
    >>> from bachata.demo.synth import click_track
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
    spec, log_mel, rms_db, onset = _front_end(y, sr)
    lap("features")

    rough_bpm = estimate_tempo(onset, fps=fps)
    beats, pulse_start = track_beats(onset, fps=fps, bpm=rough_bpm, rms_db=rms_db)
    bpm = tempo_from_beats(beats) or rough_bpm
    lap("beats")

    eighths = eighth_grid(beats)
    bar = estimate_bar_phase(
        bar_features(spec, eighths, sr=sr),
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


def _front_end(y: np.ndarray, sr: int) -> tuple[np.ndarray, ...]:
    """Spectrogram, log-mel bands, level (dB) and onset envelope, one row per frame."""
    spec = spectrogram(y)
    log_mel = mel_bands(spec, sr=sr)
    rms_db = 20 * np.log10(np.sqrt(np.mean(spec**2, axis=1) * 2 / N_FFT**2) + 1e-10)
    return spec, log_mel, rms_db, onset_envelope(log_mel)


def bar_features(spec: np.ndarray, eighths: np.ndarray, *, sr: int = SR) -> np.ndarray:
    """The bar-phase estimator's :func:`eighth_features` of ``spec`` at ``eighths``, with
    pitch classes above the bass and within it."""
    return eighth_features(
        spec,
        eighths,
        sr=sr,
        hop_length=HOP,
        pitch=chroma(spec, sr=sr),
        bass_pitch=chroma(spec, sr=sr, fmin=40.0, fmax=200.0),
    )


def bar_evidence(y: np.ndarray, sr: int = SR) -> tuple[np.ndarray, bool]:
    """What the bar-phase estimator sees in a recording: the :func:`eighth_features` on
    the tracked beats' eighth grid, and whether the music starts out of silence (for
    :func:`~bachata.music.downbeats.estimate_bar_phase`; used to learn its template)."""
    spec, _, rms_db, onset = _front_end(y, sr)
    fps = sr / HOP
    beats, _ = track_beats(onset, fps=fps, bpm=estimate_tempo(onset, fps=fps), rms_db=rms_db)
    return bar_features(spec, eighth_grid(beats), sr=sr), _silent_before(beats, rms_db, fps=fps)


def _silent_before(beats: np.ndarray, rms_db: np.ndarray, *, fps: float) -> bool:
    """Whether at least 0.2 s of near silence (40 dB under the peak) precede the first beat."""
    if len(beats) == 0:
        return False
    end = int(beats[0] * fps) - 2
    return end >= 0.2 * fps and bool(np.all(rms_db[:end] < rms_db.max() - 40.0))
