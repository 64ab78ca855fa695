"""The evaluation corpus: synthetic songs in families of arrangements that put
different cues on the "1" (chord changes anticipated, bass patterns, percussion, timbre,
vocals and noise), at 90-160 BPM, humanised and drifting; played by the additive synth
or by the sampled instruments of a General MIDI soundfont."""

from __future__ import annotations

import numpy as np

from bachata.demo.synth import Arrangement, SyntheticSong, synth_bachata

#: The evaluation corpus: families of arrangements that put different cues on the "1".
FAMILIES: dict[str, Arrangement] = {
    "plain": Arrangement(),
    "anticipated_on_4": Arrangement(chord_change="on4"),
    "bass_anticipates": Arrangement(chord_change="and4", bass="anticipated"),
    "anticipated_and_4": Arrangement(chord_change="and4", bass="syncopated"),
    "root_fifth_warm": Arrangement(bass="root_fifth", timbre="warm", chord_change="on4"),
    "guira_only": Arrangement(percussion="guira", chord_change="on4"),
    "vocals_and_noise": Arrangement(vocals=True, noise_db=-22, timbre="pure", chord_change="and4"),
    "accent_on_1": Arrangement(percussion="accent1", chord_change="on4", bass="syncopated"),
}
#: The same band as sampled instruments (a General MIDI soundfont played by FluidSynth,
#: :mod:`bachata.demo.general_midi`): timbres the analyser was not made from and the
#: downbeat template was not learned from (``train`` uses :data:`FAMILIES` only).
SAMPLED_FAMILIES: dict[str, Arrangement] = {
    "sampled_on_4": Arrangement(instruments="general_midi", chord_change="on4"),
    "sampled_and_4": Arrangement(
        instruments="general_midi", chord_change="and4", bass="syncopated"
    ),
    "sampled_vocals_noise": Arrangement(
        instruments="general_midi", vocals=True, noise_db=-22, chord_change="and4"
    ),
}
#: Every family :func:`corpus_song` knows; tests and ``make bench`` evaluate them all.
ALL_FAMILIES: dict[str, Arrangement] = {**FAMILIES, **SAMPLED_FAMILIES}

_FORMS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("derecho", 8), ("majao", 8), ("break", 2), ("mambo", 8)),
    (("derecho", 16), ("mambo", 8), ("derecho", 8)),
    (("majao", 8), ("derecho", 8), ("break", 1), ("majao", 8)),
)


def corpus_song(family: str, index: int, *, seed: int = 0) -> SyntheticSong:
    """Song ``index`` of a corpus family: tempo 90-160 BPM, humanised, drifting, maybe
    with a free-time intro or a pickup, all drawn from ``(family, index, seed)``.

    >>> corpus_song("plain", 0).bpm == corpus_song("plain", 0).bpm
    True
    """
    key = sum(ord(c) for c in family) * 1000 + index
    rng = np.random.default_rng([seed, key])
    return synth_bachata(
        bpm=float(rng.uniform(90.0, 160.0)),
        structure=_FORMS[int(rng.integers(len(_FORMS)))],
        intro_s=float(rng.choice([0.0, 0.0, 3.0, 6.0])),
        jitter_ms=float(rng.uniform(3.0, 15.0)),
        drift=float(rng.uniform(-0.02, 0.02)),
        pickup_beats=int(rng.choice([0, 0, 1, 2, 3])),
        seed=int(rng.integers(1 << 30)),
        arrangement=ALL_FAMILIES[family],
    )
