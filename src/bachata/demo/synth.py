"""Synthetic bachata and click tracks with known beats, for tests, benchmarks and demos.

Nothing is downloaded: every sound is made here from sines and noise, or played by
Debian's General MIDI soundfont (``Arrangement(instruments="general_midi")``). A bachata track
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
from typing import Protocol

import numpy as np

from bachata.demo.general_midi import DRUMS, GM_PARTS, Note, render_general_midi
from bachata.music.beats import tempo_from_beats

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

    @property
    def mean_bpm(self) -> float:
        """The tempo the beats keep on the whole: 60 / the slope of a line fitted through
        them, as reference trackers report a song's tempo. ``bpm`` is the tempo the song
        starts at; the two differ where the tempo drifts."""
        return tempo_from_beats(self.beats)

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


class _Band(Protocol):
    """Who plays the notes: each part of the band at a time, level (0-1) and pitch."""

    def play(
        self,
        part: str,
        at_s: float,
        level: float,
        *,
        pitch: int | None = None,
        length_s: float = 0.0,
        decay_s: float | None = None,
    ) -> None: ...

    def audio(self) -> np.ndarray: ...


class _SynthBand:
    """The band made of sines and noise (every sound is made here)."""

    def __init__(self, seconds: float, sr: int, rng: np.random.Generator, harmonics) -> None:
        self.mix, self.sr, self.rng, self.harmonics = _Mixer(seconds, sr), sr, rng, harmonics
        self.guira = [_noise_burst(rng, 0.06, sr, 0.018) for _ in range(8)]
        self.hits = {
            "bongo_high": _tone(430, 0.12, sr, 0.035, (1.0, 0.3)),
            "bongo_low": _tone(255, 0.2, sr, 0.06, (1.0, 0.4)),
            "crash": _noise_burst(rng, 0.5, sr, 0.15),
        }

    def play(self, part, at_s, level, *, pitch=None, length_s=0.0, decay_s=None) -> None:
        """Mix one note or hit into the track."""
        sr = self.sr
        if part == "guira":
            sound = self.guira[self.rng.integers(8)]
        elif part in self.hits:
            sound = self.hits[part]
        elif part == "voice":
            t = np.arange(int(length_s * sr)) / sr
            vibrato = 0.004 * np.sin(2 * np.pi * 5.5 * t) * np.minimum(1.0, t / 0.3)
            phase = 2 * np.pi * _hz(pitch) * np.cumsum(1.0 + vibrato) / sr
            wave = sum(a * np.sin((i + 1) * phase) for i, a in enumerate(self.harmonics))
            env = np.minimum(1.0, t / 0.06) * np.minimum(1.0, (t[-1] - t + 1e-3) / 0.08)
            sound = (wave * env).astype(np.float32)
        else:
            decay, harmonics = {
                "strum": (0.5, self.harmonics),
                "requinto": (0.18, self.harmonics),
                "pad": (2.0, (1.0,)),
                "bass": (decay_s, (1, 0.5)),
            }[part]
            sound = _tone(_hz(pitch), length_s, sr, decay, harmonics)
        self.mix.add(at_s, sound, level)

    def audio(self) -> np.ndarray:
        """The mixed track."""
        return self.mix.buffer


class _GeneralMidiBand:
    """The band as sampled instruments: a General MIDI score played by FluidSynth
    (:mod:`bachata.demo.general_midi`), so the analysis hears timbres it was not made
    from: nylon and steel guitars, a fingered bass, bongos, a güiro, a crash, a choir."""

    def __init__(self, seconds: float, sr: int) -> None:
        self.seconds, self.sr = seconds, sr
        self.notes: list[Note] = []

    def play(self, part, at_s, level, *, pitch=None, length_s=0.0, decay_s=None) -> None:
        """Add one note to the score (velocity from the part's level)."""
        channel, program_or_key, loudest = GM_PARTS[part]
        key = pitch if pitch is not None else program_or_key
        # A soundfont's loudness goes with the square of the velocity (SoundFont 2.01's
        # default velocity curve); the arrangement's levels are amplitudes.
        velocity = int(np.clip(round(120 * np.sqrt(level / loudest)), 1, 127))
        self.notes.append(Note(at_s, max(length_s, 0.1), channel, key, velocity))

    def audio(self) -> np.ndarray:
        """The score rendered through the General MIDI soundfont."""
        programs = {c: p for c, p, _ in GM_PARTS.values() if c != DRUMS}
        return render_general_midi(self.notes, programs, sr=self.sr, seconds=self.seconds)


@dataclass(frozen=True)
class Arrangement:
    """How the band plays: the knobs the evaluation corpus varies
    (:data:`bachata.demo.corpus.FAMILIES`).

    Parameters
    ----------
    chord_change
        Where the requinto and guitar move to the next bar's chord: ``"on1"`` (on the
        bar line), ``"on4"`` (anticipated a whole beat) or ``"and4"`` (on the "and" of 4).
    bass
        Bass pattern: ``"tumbao"`` (root on 1, fifth on 3, octave on 4),
        ``"anticipated"`` (1, 3 and the next bar's root on "4-and"), ``"root_fifth"``
        (1 and 3 only) or ``"syncopated"`` (1, "2-and", 3, 4).
    percussion
        ``"full"`` (güira eighths, bongo with the low tap on 4 and 8), ``"guira"``
        (güira only) or ``"accent1"`` (full, plus a cymbal-like hit on each bar's 1).
    timbre
        Harmonic profile of the pitched instruments: ``"bright"``, ``"warm"`` or ``"pure"``.
    vocals
        A sung line (vibrato, phrases starting on pickups before the bar).
    noise_db
        Level of broadband noise relative to the mix's peak (dB); ``None`` for none.
    instruments
        ``"synth"`` (sines and noise, made here) or ``"general_midi"`` (sampled
        instruments of a General MIDI soundfont played by FluidSynth).
    """

    chord_change: str = "on1"
    bass: str = "tumbao"
    percussion: str = "full"
    timbre: str = "bright"
    vocals: bool = False
    noise_db: float | None = None
    instruments: str = "synth"


_TIMBRES = {
    "bright": (1.0, 0.45, 0.2),
    "warm": (1.0, 0.7, 0.35, 0.15),
    "pure": (1.0,),
}
#: Bass notes per bar: (beat position, interval over the root, length in beats, level);
#: ``"next"`` means the next bar's root (an anticipation).
_BASS_PATTERNS: dict[str, tuple[tuple[float, object, float, float], ...]] = {
    "tumbao": ((0.0, 0, 1.0, 0.85), (2.0, 7, 1.0, 0.55), (3.0, 12, 1.0, 0.5)),
    "anticipated": ((0.0, 0, 1.5, 0.8), (2.0, 7, 1.0, 0.5), (3.5, "next", 0.5, 0.45)),
    "root_fifth": ((0.0, 0, 2.0, 0.8), (2.0, 7, 2.0, 0.55)),
    "syncopated": ((0.0, 0, 1.5, 0.8), (1.5, 12, 0.5, 0.4), (2.0, 7, 1.0, 0.5), (3.0, 5, 1, 0.4)),
}
_CHORD_SHIFT = {"on1": 0.0, "on4": 1.0, "and4": 0.5}


def synth_bachata(
    *,
    bpm: float,
    structure: tuple[tuple[str, int], ...] = DEFAULT_STRUCTURE,
    intro_s: float = 6.0,
    tail_s: float = 1.5,
    sr: int = SR,
    seed: int = 0,
    jitter_ms: float = 4.0,
    drift: float = 0.0,
    pickup_beats: int = 0,
    arrangement: Arrangement | None = None,
) -> SyntheticSong:
    """Render a bachata-style track with its ground truth.

    Parameters
    ----------
    bpm
        Tempo in beats per minute at the start of the pulse.
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
    drift
        Relative tempo change from the first to the last beat (0.02: 2 % faster by the end).
    pickup_beats
        Beats of the band playing before the first full bar (a song that starts on a
        pickup, 0-3); they are beats but not a bar.
    arrangement
        How the band plays (default: :class:`Arrangement` defaults).

    Returns
    -------
    SyntheticSong
        Audio (float32 mono, peak 0.9) and the true beats, downbeats, 8-count starts
        and sections.
    """
    band = arrangement or Arrangement()
    rng = np.random.default_rng(seed)
    bars = sum(n for _, n in structure)
    n_beats = pickup_beats + bars * 4
    # Beat times: a tempo that changes linearly by ``drift`` over the song.
    periods = 60.0 / bpm / (1.0 + drift * np.arange(n_beats + 1) / max(1, n_beats))
    grid = intro_s + np.concatenate([[0.0], np.cumsum(periods)])
    total = float(grid[-1]) + tail_s
    player: _Band = (
        _GeneralMidiBand(total, sr)
        if band.instruments == "general_midi"
        else _SynthBand(total, sr, rng, _TIMBRES[band.timbre])
    )
    jitter = jitter_ms / 1000.0

    def at(beat: float) -> float:
        """Time of a (fractional) beat index on the grid, before humanisation."""
        i = int(np.clip(np.floor(beat), 0, n_beats - 1))
        return float(grid[i] + (beat - i) * (grid[i + 1] - grid[i]))

    def when(beat: float) -> float:
        return at(beat) + rng.normal(0.0, jitter)

    # Free-time intro: rubato strummed chords, no percussion.
    t = 0.3
    chord_index = 0
    while t < intro_s - 0.8:
        _, tones = _CHORDS[chord_index % 4]
        for k, note in enumerate(tones):
            player.play("strum", t + 0.03 * k, 0.18, pitch=note, length_s=1.6)
        t += rng.uniform(0.9, 1.7)
        chord_index += 1

    kinds = [kind for kind, n in structure for _ in range(n)]
    sections: list[tuple[str, float, float]] = []
    if intro_s > 0:
        sections.append(("intro", 0.0, float(grid[pickup_beats])))
    first = pickup_beats
    for kind, n_bars in structure:
        sections.append((kind, float(grid[first]), float(grid[first + 4 * n_bars])))
        first += 4 * n_bars
    shift = _CHORD_SHIFT[band.chord_change]

    def chord(beat: float) -> tuple[int, tuple[int, ...]]:
        """The chord sounding at a beat (the harmony may anticipate the bar line)."""
        bar = int(np.floor((beat - pickup_beats + shift) / 4))
        return _CHORDS[bar % len(_CHORDS)]

    for b in range(n_beats):
        bar, beat = divmod(b - pickup_beats, 4)
        kind = kinds[bar] if bar >= 0 else kinds[0]
        gain = _GAIN[kind] * (0.7 if bar < 0 else 1.0)
        count = (bar % 2) * 4 + beat + 1  # 1..8
        if kind == "break":
            if beat == 0:  # a soft pad: near silence
                length = 4 * float(grid[b + 1] - grid[b])
                player.play("pad", at(b), 0.01, pitch=chord(b)[1][0], length_s=length)
            continue
        beat_s = float(grid[b + 1] - grid[b])
        v = rng.uniform(0.85, 1.0) * gain
        # güira: eighths (single time in the mambo), accented on the beat
        if kind == "mambo":
            player.play("guira", when(b), 0.5 * v)
        else:
            player.play("guira", when(b), 0.32 * v)
            player.play("guira", when(b + 0.5), 0.2 * v)
        if band.percussion != "guira":
            # bongo: high bongo on the beat, the low "tap" on 4 and 8
            if count in (4, 8):
                player.play("bongo_low", when(b), 0.55 * v)
            else:
                player.play("bongo_high", when(b), 0.3 * v)
                if kind != "derecho":  # majao / mambo: busier bongo
                    player.play("bongo_high", when(b + 0.5), 0.18 * v)
        if band.percussion == "accent1" and beat == 0:
            player.play("crash", when(b), 0.25 * v)
        # requinto: arpeggio in eighths over the chord sounding at that eighth
        for half in (0, 1):
            tones = chord(b + 0.5 * half)[1]
            note = tones[(beat * 2 + half) % 3] + 12 * (half == 1 and beat % 2)
            player.play("requinto", when(b + 0.5 * half), 0.16 * v, pitch=note, length_s=0.5)
        if beat == 0 and bar >= 0:
            root = _CHORDS[bar % len(_CHORDS)][0]
            next_root = _CHORDS[(bar + 1) % len(_CHORDS)][0]
            g = _GAIN[kind] * rng.uniform(0.9, 1.0)
            for pos, interval, length, level in _BASS_PATTERNS[band.bass]:
                note = next_root if interval == "next" else root + int(interval)
                player.play(
                    "bass",
                    when(b + pos),
                    level * g,
                    pitch=note,
                    length_s=length * beat_s,
                    decay_s=0.5 * length / 1.5,
                )
    if band.vocals:
        _sing(player, rng, at, pickup_beats, kinds, chord)

    audio = player.audio()[: int(total * sr)]
    audio = audio + rng.normal(0, 1e-4, len(audio)).astype(np.float32)  # room noise
    audio *= 0.9 / max(1e-9, float(np.max(np.abs(audio))))
    if band.noise_db is not None:
        noise = np.cumsum(rng.standard_normal(len(audio))).astype(np.float32)  # brownish
        noise = np.diff(noise, prepend=0) * 0.5 + 0.02 * (noise - noise.mean()) / len(noise) ** 0.5
        noise *= 0.9 * 10 ** (band.noise_db / 20) / max(1e-9, float(np.std(noise)))
        audio = audio + noise
        audio *= 0.9 / max(1e-9, float(np.max(np.abs(audio))))
    beat_times = grid[:n_beats]
    bar_starts = beat_times[pickup_beats::4]
    return SyntheticSong(
        audio=audio.astype(np.float32),
        sr=sr,
        bpm=float(bpm),
        beats=beat_times,
        downbeats=bar_starts,
        eight_counts=bar_starts[::2],
        sections=sections,
    )


def _sing(player: _Band, rng, at, pickup_beats, kinds, chord) -> None:
    """A vocal line: held chord tones, phrases of four bars from a pickup."""
    for bar in range(0, len(kinds) - 3, 4):
        if any(k == "break" for k in kinds[bar : bar + 4]):
            continue
        beat = pickup_beats + bar * 4 - 1.0  # each phrase starts on the 4 before the bar
        while beat < pickup_beats + (bar + 4) * 4 - 2:
            length = float(rng.choice([1.0, 1.5, 2.0]))
            t0, t1 = at(beat), at(beat + length)
            tones = chord(beat + 0.5)[1]
            note = tones[int(rng.integers(3))] + 12
            player.play("voice", t0, 0.12, pitch=note, length_s=t1 - t0)
            beat += length


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
