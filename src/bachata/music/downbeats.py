"""Where the bar's "1" is: a bar-position template over eighth-note features.

Bachata puts the "1" where several cues agree, none of them safe alone: the bass lands
its root and holds it, low-mid instruments sound fuller, harmony changes (but guitars
and bass often *anticipate* the next chord on 4 or its "and"), and the band hits harder
(but the tap on 4 and 8 is accented too). So the estimator looks at all of them at every
eighth note of the tracked beats and matches the whole bar's pattern:

1. :func:`eighth_features` — per eighth note, z-scored over the song: bass energy over
   the next beat, bass rise, low-mid energy, harmonic change over one and over two beats
   (pitch classes above the bass, and of the bass itself), loudness rise, treble energy
   and the bass energy just before.
2. :func:`bar_scores` — each of the eight eighth-note phases of a bar (two bars in an
   8-count are the same pattern; 8 eighths = one 4-beat bar) is scored by correlating
   the song's mean profile at that phase with a learned template (:data:`TEMPLATE_PATH`,
   8 positions x 9 features). An odd winner means the beat tracker locked onto the
   off-beat ("and"s); the beats are then moved by half a beat. Odd or even is decided
   first, by the cues that enter on the beat (:func:`off_beat_evidence`).
3. :func:`learn_template` — the template is the mean feature profile around the true
   "1" over the project's own synthetic corpus (:data:`bachata.demo.corpus.FAMILIES`),
   whose arrangements move the chord change, the bass pattern, the percussion and the
   timbre, adapted without labels to real recordings (the original project's clips:
   :func:`bachata.music.training.adapt`); ``python -m bachata.music.training`` writes
   it again.

Nothing is downloaded: the template is a small JSON file made here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The shipped template (:mod:`bachata.music.training`).
TEMPLATE_PATH = Path(__file__).with_name("downbeat_template.json")
FEATURES = (
    "bass_energy",
    "bass_rise",
    "low_mid_energy",
    "harmonic_change_1beat",
    "harmonic_change_2beats",
    "bass_change_2beats",
    "loudness_peak_rise",
    "treble_energy",
    "bass_energy_before",
)
#: The smallest spread each feature is scaled by (dB, or pitch-class distance): a cue
#: that barely varies in a song (no bass in a metronome) is noise and must not vote.
SPREAD_FLOOR = np.array([1.0, 1.0, 1.0, 0.05, 0.05, 0.05, 1.0, 1.0, 1.0])
#: A band this many dB below the whole mix is treated as silent.
SILENT_BAND_DB = 30.0
#: What tells a beat from the "and" between two beats: the bass and the loudest hits
#: enter on the beat (the güira and the bongo sound on both). Checked on the real clips,
#: whose tracked beats fall on the reference's off-beats in 29 of 140: these two cues
#: tell which in 132 (the template over all features: 123).
ON_BEAT_CUES = ("bass_rise", "loudness_peak_rise")
#: Eighth notes in a 4/4 bar: the bar-position states.
POSITIONS = 8
#: Score bonus for a "1" where the music starts out of silence (at four bars or fewer;
#: it fades as more bars give evidence).
START_PRIOR = 3.0
#: How sharply bar evidence turns into confidence (per bar of music seen). Checked on the
#: real clips: at 0.15 the mean confidence (0.72) is the share of clips whose first "1"
#: agrees with the reference tracker (0.72); below 0.5, 0.5-0.7, 0.7-0.9 and above, 31,
#: 73, 84 and 91 % agree.
CONFIDENCE_SCALE = 0.15
#: Below this downbeat confidence, dancers are asked to check the "1".
LOW_CONFIDENCE = 0.6


@dataclass(frozen=True)
class BarPhase:
    """The estimator's answer.

    Attributes
    ----------
    eighth
        Which eighth-note phase (0-7) of the tracked beats' eighth grid is the "1";
        odd means the beats were on the off-beat.
    confidence
        0-1: the probability the winning phase holds against the seven others, from
        the template scores and the number of bars heard.
    scores
        The eight template scores (higher is more "1"-like).
    """

    eighth: int
    confidence: float
    scores: tuple[float, ...]


def _band_db(spec: np.ndarray, freqs: np.ndarray, lo: float, hi: float) -> np.ndarray:
    use = (freqs >= lo) & (freqs < hi)
    return 10.0 * np.log10((spec[:, use] ** 2).sum(axis=1) + 1e-10)


def eighth_grid(beat_times_s: np.ndarray) -> np.ndarray:
    """Every beat and the eighth note halfway to the next (seconds).

    >>> eighth_grid(np.array([0.0, 0.5, 1.0])).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    mids = (beat_times_s[:-1] + beat_times_s[1:]) / 2
    return np.sort(np.concatenate([beat_times_s, mids]))


def eighth_features(
    spec: np.ndarray,
    eighth_times_s: np.ndarray,
    *,
    sr: int,
    hop_length: int,
    pitch: np.ndarray,
    bass_pitch: np.ndarray,
) -> np.ndarray:
    """Features at each eighth note, z-scored over the song (shape ``(n, len(FEATURES))``).

    Parameters
    ----------
    spec
        Magnitude spectrogram, frames x bins (``bachata.music.analysis.spectrogram``).
    eighth_times_s
        Times of the eighth notes in seconds (:func:`eighth_grid`).
    sr, hop_length
        Sample rate (Hz) and hop (samples) of ``spec``.
    pitch, bass_pitch
        Per-frame pitch-class profiles above and within the bass range (frames x 12).
    """
    fps = sr / hop_length
    n_frames = len(spec)
    freqs = np.arange(spec.shape[1]) * sr / ((spec.shape[1] - 1) * 2)
    whole = _band_db(spec, freqs, 20.0, 11000.0)
    # Levels are floored 60 dB under the loud parts, so that a rise out of digital
    # silence does not dwarf the accents that matter.
    floor = np.percentile(whole, 95) - 60.0
    series = {
        "bass": np.maximum(_band_db(spec, freqs, 20.0, 150.0), floor),
        "low_mid": np.maximum(_band_db(spec, freqs, 150.0, 400.0), floor),
        "treble": np.maximum(_band_db(spec, freqs, 2000.0, 11000.0), floor),
        "all": np.maximum(whole, floor),
        "pitch": pitch,
        "bass_pitch": bass_pitch,
    }
    # Window means in O(1) from cumulative sums.
    cumulative = {
        k: np.concatenate([np.zeros((1, *v.shape[1:])), np.cumsum(v, axis=0)])
        for k, v in series.items()
    }

    def mean(key: str, t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
        a = np.clip(np.round(t0 * fps).astype(int), 0, n_frames - 1)
        b = np.clip(np.maximum(a + 1, np.round(t1 * fps).astype(int)), 1, n_frames)
        c = cumulative[key]
        diff = c[b] - c[a]
        span = (b - a).reshape((-1,) + (1,) * (diff.ndim - 1))
        return diff / span

    def peak(key: str, t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
        a = np.clip(np.round(t0 * fps).astype(int), 0, n_frames - 1)
        b = np.clip(np.maximum(a + 1, np.round(t1 * fps).astype(int)), 1, n_frames)
        return np.array([series[key][i:j].max() for i, j in zip(a, b, strict=True)])

    t = np.asarray(eighth_times_s, dtype=float)
    eighth = np.gradient(t) if len(t) > 1 else np.full_like(t, 0.25)
    beat = 2 * eighth

    def change(key: str, width: np.ndarray) -> np.ndarray:
        return np.abs(mean(key, t, t + width) - mean(key, t - width, t)).sum(axis=1)

    columns = [
        mean("bass", t, t + beat),
        mean("bass", t, t + eighth) - mean("bass", t - eighth, t),
        mean("low_mid", t, t + beat),
        change("pitch", beat),
        change("pitch", 2 * beat),
        change("bass_pitch", 2 * beat),
        peak("all", t, t + eighth / 2) - mean("all", t - eighth / 2, t),
        mean("treble", t, t + beat),
        mean("bass", t - eighth, t),
    ]
    features = np.column_stack(columns)
    # A band far below the mix (no bass in a metronome) carries only leakage: no vote.
    level = np.percentile(series["all"], 90)
    for band, cols in (("bass", [0, 1, 5, 8]), ("low_mid", [2]), ("treble", [7])):
        if np.percentile(series[band], 90) < level - SILENT_BAND_DB:
            features[:, cols] = 0.0
    spread = np.maximum(features.std(axis=0), SPREAD_FLOOR)
    return (features - features.mean(axis=0)) / spread


def phase_profile(features: np.ndarray) -> np.ndarray:
    """Mean features at each of the eight eighth-note phases (shape ``(8, n_features)``)."""
    return np.array(
        [
            features[p::POSITIONS].mean(axis=0)
            if len(features[p::POSITIONS])
            else np.zeros(features.shape[1])
            for p in range(POSITIONS)
        ]
    )


def load_template(path: Path = TEMPLATE_PATH) -> np.ndarray:
    """The bar-position template (8 x len(FEATURES)) from its JSON file."""
    data = json.loads(Path(path).read_text())
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: made for features {data['features']}, not {FEATURES}")
    return np.array(data["template"], dtype=float)


_TEMPLATE: np.ndarray | None = None


def _template() -> np.ndarray:
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = load_template()
    return _TEMPLATE


def bar_scores(profile: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Score of each phase ``q``: the profile rotated to start at ``q``, dotted with the template.

    >>> t = np.eye(8)[:, :1]           # a template that only says "position 0 is loud"
    >>> p = np.roll(np.eye(8)[:, :1], 3, axis=0)
    >>> int(np.argmax(bar_scores(p, t)))
    3
    """
    return np.array(
        [float((np.roll(profile, -q, axis=0) * template).sum()) for q in range(POSITIONS)]
    )


def off_beat_evidence(features: np.ndarray) -> float:
    """How much more the :data:`ON_BEAT_CUES` rise on the odd eighths of ``features``
    than on the even ones: above 0, the tracked beats are the "and"s; 0 without cues.

    >>> f = np.zeros((16, len(FEATURES)))
    >>> f[1::2, FEATURES.index("bass_rise")] = 1.0
    >>> off_beat_evidence(f)
    1.0
    """
    rise = features[:, [FEATURES.index(cue) for cue in ON_BEAT_CUES]].sum(axis=1)
    return float(rise[1::2].mean() - rise[0::2].mean()) if len(rise) > 1 else 0.0


def estimate_bar_phase(
    features: np.ndarray,
    template: np.ndarray | None = None,
    *,
    starts_from_silence: bool = False,
) -> BarPhase:
    """The eighth-note phase of the "1" in ``features`` (:func:`eighth_features`).

    Parameters
    ----------
    features
        :func:`eighth_features` of the tracked beats' eighth grid.
    template
        Bar-position template (default: the shipped one).
    starts_from_silence
        The music starts out of silence on the first eighth: a weak prior that it
        starts on a "1" (a practice clip counted in from its first click), which only
        decides when a few bars give little evidence.

    Notes
    -----
    Whether the tracked beats are the beats or the "and"s is decided first, by
    :func:`off_beat_evidence`; the template then scores the four bar positions left.
    The confidence is a softmax over their scores, sharper the more bars were heard:
    one bar's evidence is weak, a song's is strong.
    """
    template = _template() if template is None else template
    if len(features) < POSITIONS:
        return BarPhase(0, 0.0, (0.0,) * POSITIONS)
    scores = bar_scores(phase_profile(features), template)
    bars = len(features) / POSITIONS
    if starts_from_silence:
        scores[0] += START_PRIOR * min(1.0, 4.0 / bars)
    # Beat or "and" is the on-beat cues' call alone; the template, whose harmonic cues
    # cannot tell the two apart, picks the bar position among the four that remain.
    if evidence := off_beat_evidence(features):
        scores[int(evidence < 0) :: 2] = -np.inf
    logits = CONFIDENCE_SCALE * np.sqrt(bars) * (scores - scores.max())
    probability = np.exp(logits) / np.exp(logits).sum()
    best = int(np.argmax(scores))
    return BarPhase(best, round(float(probability[best]), 3), tuple(np.round(scores, 4)))


def learn_template(profiles: list[np.ndarray]) -> np.ndarray:
    """The template: the mean of phase profiles taken at the true "1" (position 0)."""
    return np.mean(np.array(profiles), axis=0)
