"""Synthetic bachata and click tracks with known beats, for tests, benchmarks and demos.

Nothing is downloaded: every sound is made here from sines and noise. A bachata track
has the band's roles — güira (scraped noise on eighths), bongo (high bongo eighths with
the low "tap" on counts 4 and 8), bass (root on 1 and 3, anticipation before the next
bar), requinto (arpeggiated chords changing each bar) — and a song form: a free-time
guitar intro, sections of different energy and a near-silent break.

>>> song = synth_bachata(bpm=128, structure=(("derecho", 8),), intro_s=2.0)
>>> round(song.bpm)
128
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

SR = 22050

#: Default song form: (section kind, bars). Bachata sections are 4 or 8 bars of two 8-counts.
DEFAULT_STRUCTURE: tuple[tuple[str, int], ...] = (
    ("derecho", 16),
    ("majao", 8),
    ("break", 2),
    ("mambo", 8),
    ("derecho", 8),
    ("majao", 8),
)

_GAIN = {"derecho": 0.55, "majao": 0.75, "mambo": 1.0, "break": 0.0}
# A minor bachata progression: Am Dm E Am / Am G F E (root MIDI notes and chord tones).
_CHORDS = [
    (45, (57, 60, 64)),
    (50, (57, 62, 65)),
    (40, (56, 59, 64)),
    (45, (57, 60, 64)),
    (45, (57, 60, 64)),
    (43, (55, 59, 62)),
    (41, (53, 57, 60)),
    (40, (56, 59, 64)),
]


@dataclass
class SyntheticSong:
    """Audio plus its ground truth (all times in seconds)."""

    audio: np.ndarray
    sr: int
    bpm: float
    beats: np.ndarray
    downbeats: np.ndarray
    eight_counts: np.ndarray
    sections: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def duration(self) -> float:
        """Length of the audio in seconds."""
        return len(self.audio) / self.sr

    def section(self, kind: str) -> tuple[float, float]:
        """``(start, end)`` of the first section of ``kind``."""
        return next((s, e) for k, s, e in self.sections if k == kind)


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _tone(freq: float, dur_s: float, sr: int, decay_s: float, harmonics=(1.0,)) -> np.ndarray:
    t = np.arange(int(dur_s * sr)) / sr
    wave = sum(a * np.sin(2 * np.pi * freq * (i + 1) * t) for i, a in enumerate(harmonics))
    attack = np.minimum(1.0, t / 0.004)
    return (wave * attack * np.exp(-t / decay_s)).astype(np.float32)


def _noise_burst(rng: np.random.Generator, dur_s: float, sr: int, decay_s: float) -> np.ndarray:
    n = int(dur_s * sr)
    noise = np.diff(rng.standard_normal(n + 1)).astype(np.float32)  # high-passed
    return noise * np.exp(-np.arange(n) / sr / decay_s).astype(np.float32) * 0.5


class _Mixer:
    def __init__(self, seconds: float, sr: int) -> None:
        self.sr = sr
        self.buffer = np.zeros(int(seconds * sr) + sr, dtype=np.float32)

    def add(self, at_s: float, sound: np.ndarray, gain: float) -> None:
        start = round(at_s * self.sr)
        if start < 0 or gain == 0:
            return
        end = min(len(self.buffer), start + len(sound))
        self.buffer[start:end] += gain * sound[: end - start]


def synth_bachata(
    *,
    bpm: float,
    structure: tuple[tuple[str, int], ...] = DEFAULT_STRUCTURE,
    intro_s: float = 6.0,
    tail_s: float = 1.5,
    sr: int = SR,
    seed: int = 0,
    jitter_ms: float = 4.0,
) -> SyntheticSong:
    """Render a bachata-style track at a fixed tempo with its ground truth.

    Parameters
    ----------
    bpm
        Tempo in beats per minute.
    structure
        Song form after the intro: ``(kind, bars)`` with kinds ``derecho``, ``majao``,
        ``mambo`` and ``break`` (near silence).
    intro_s
        Length of the free-time guitar intro in seconds (no pulse); 0 for none.
    tail_s
        Ring-out after the last bar, seconds.
    sr
        Sample rate in Hz.
    seed
        Seed of the humanisation (timing jitter, velocities, noise).
    jitter_ms
        Standard deviation of the players' timing error in milliseconds.

    Returns
    -------
    SyntheticSong
        Audio (float32 mono, peak 0.9) and the true beats, downbeats, 8-count starts
        and sections.
    """
    rng = np.random.default_rng(seed)
    beat_s = 60.0 / bpm
    bars = sum(n for _, n in structure)
    total = intro_s + bars * 4 * beat_s + tail_s
    mix = _Mixer(total, sr)

    guira = [_noise_burst(rng, 0.06, sr, 0.018) for _ in range(8)]
    bongo_high = _tone(430, 0.12, sr, 0.035, (1.0, 0.3))
    bongo_low = _tone(255, 0.2, sr, 0.06, (1.0, 0.4))
    jitter = jitter_ms / 1000.0

    def when(t: float) -> float:
        return t + rng.normal(0.0, jitter)

    # Free-time intro: rubato strummed chords, no percussion.
    t = 0.3
    chord_index = 0
    while t < intro_s - 0.8:
        _, tones = _CHORDS[chord_index % 4]
        for k, note in enumerate(tones):
            pluck = _tone(_hz(note), 1.6, sr, 0.5, (1.0, 0.5, 0.25))
            mix.add(t + 0.03 * k, pluck, 0.18)
        t += rng.uniform(0.9, 1.7)
        chord_index += 1

    beats: list[float] = []
    sections: list[tuple[str, float, float]] = []
    if intro_s > 0:
        sections.append(("intro", 0.0, intro_s))
    bar_start = intro_s
    bar_number = 0
    for kind, n_bars in structure:
        gain = _GAIN[kind]
        sections.append((kind, bar_start, bar_start + n_bars * 4 * beat_s))
        for _ in range(n_bars):
            root, tones = _CHORDS[bar_number % len(_CHORDS)]
            for beat in range(4):
                t0 = bar_start + beat * beat_s
                beats.append(t0)
                count = (bar_number % 2) * 4 + beat + 1  # 1..8
                if kind == "break":
                    if beat == 0:  # a soft pad: near silence
                        pad = _tone(_hz(tones[0]), 4 * beat_s, sr, 2.0)
                        mix.add(t0, pad, 0.01)
                    continue
                v = rng.uniform(0.85, 1.0) * gain
                # güira: eighths (single time in the mambo), accented on the beat
                if kind == "mambo":
                    mix.add(when(t0), guira[rng.integers(8)], 0.5 * v)
                else:
                    mix.add(when(t0), guira[rng.integers(8)], 0.32 * v)
                    mix.add(when(t0 + beat_s / 2), guira[rng.integers(8)], 0.2 * v)
                # bongo: high bongo on the beat, the low "tap" on 4 and 8
                if count in (4, 8):
                    mix.add(when(t0), bongo_low, 0.55 * v)
                else:
                    mix.add(when(t0), bongo_high, 0.3 * v)
                    if kind != "derecho":  # majao / mambo: busier bongo
                        mix.add(when(t0 + beat_s / 2), bongo_high, 0.18 * v)
                # requinto: arpeggio in eighths, chord changes on the bar
                for half in (0, 1):
                    note = tones[(beat * 2 + half) % 3] + 12 * (half == 1 and beat % 2)
                    pluck = _tone(_hz(note), 0.5, sr, 0.18, (1.0, 0.45, 0.2))
                    mix.add(when(t0 + half * beat_s / 2), pluck, 0.16 * v)
            if kind != "break":
                # bass: root on 1 (long) and 3, anticipation of the next bar on "4-and"
                g = gain * rng.uniform(0.9, 1.0)
                mix.add(when(bar_start), _tone(_hz(root), 1.5 * beat_s, sr, 0.5, (1, 0.5)), 0.8 * g)
                mix.add(
                    when(bar_start + 2 * beat_s),
                    _tone(_hz(root + 7), beat_s, sr, 0.3, (1, 0.5)),
                    0.5 * g,
                )
                next_root = _CHORDS[(bar_number + 1) % len(_CHORDS)][0]
                mix.add(
                    when(bar_start + 3.5 * beat_s),
                    _tone(_hz(next_root), 0.5 * beat_s, sr, 0.2, (1, 0.5)),
                    0.45 * g,
                )
            bar_start += 4 * beat_s
            bar_number += 1

    audio = mix.buffer[: int(total * sr)]
    audio = audio + rng.normal(0, 1e-4, len(audio)).astype(np.float32)  # room noise
    audio *= 0.9 / max(1e-9, float(np.max(np.abs(audio))))
    beat_times = np.array(beats)
    return SyntheticSong(
        audio=audio.astype(np.float32),
        sr=sr,
        bpm=float(bpm),
        beats=beat_times,
        downbeats=beat_times[::4],
        eight_counts=beat_times[::8],
        sections=sections,
    )


def click_track(
    *, bpm: float, duration_s: float, sr: int = SR, lead_in_s: float = 0.0
) -> SyntheticSong:
    """A metronome: a high click on each bar's 1, lower clicks on the other beats.

    >>> click_track(bpm=120, duration_s=10).beats[:3].tolist()
    [0.0, 0.5, 1.0]
    """
    beat_s = 60.0 / bpm
    mix = _Mixer(duration_s, sr)
    accent = _tone(1760, 0.03, sr, 0.01)
    plain = _tone(880, 0.03, sr, 0.01)
    times = np.arange(lead_in_s, duration_s - 0.05, beat_s)
    for i, t in enumerate(times):
        mix.add(t, accent if i % 4 == 0 else plain, 0.9 if i % 4 == 0 else 0.6)
    audio = mix.buffer[: int(duration_s * sr)]
    return SyntheticSong(
        audio=audio,
        sr=sr,
        bpm=float(bpm),
        beats=times,
        downbeats=times[::4],
        eight_counts=times[::8],
        sections=[("click", float(lead_in_s), duration_s)],
    )


def write_wav(path: str, audio: np.ndarray, sr: int) -> None:
    """Write mono float audio as 16-bit PCM WAV."""
    import soundfile

    soundfile.write(path, np.clip(audio, -1, 1), sr, subtype="PCM_16")
