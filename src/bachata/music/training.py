"""Learning the bar-position template of :mod:`bachata.music.downbeats`.

Two sources (``python -m bachata.music.training [CLIPS]`` writes it again):

1. The project's synthetic corpus, whose "1" is known: the mean feature profile around
   it (:func:`train`).
2. Real recordings without any labels (the original project's clips, MIT): where the
   template places their "1", their profiles join the mean, and again, a few rounds
   (:func:`adapt`, self-training). It teaches the template how real bass lines and
   accents sound around the "1" where the synth only guessed. No reference label is
   used: the reference tracker's downbeats only measure the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bachata.demo.corpus import FAMILIES, corpus_song
from bachata.demo.synth import click_track
from bachata.music.analysis import SR, bar_evidence, bar_features, spectrogram
from bachata.music.audio import AudioError, decode_audio
from bachata.music.downbeats import (
    FEATURES,
    POSITIONS,
    TEMPLATE_PATH,
    eighth_grid,
    estimate_bar_phase,
    learn_template,
    phase_profile,
)

#: The unlabelled real recordings the shipped template was adapted to.
UPSTREAM_CLIPS = Path(__file__).resolve().parents[4] / "shared" / "data" / "upstream-clips"
#: Rounds of self-training (the template has settled after three).
ADAPT_ROUNDS = 5


def corpus_profiles(songs_per_family: int = 6, seed: int = 1) -> list[np.ndarray]:
    """Phase profiles of the synthetic corpus (seed 1; tests and bench evaluate seeds 0
    and 2), rotated to start at the true "1".

    Features are taken on the true beats, so the template describes the music, not
    the tracker's errors.
    """

    rng = np.random.default_rng(seed)
    songs = [corpus_song(f, i, seed=seed) for f in FAMILIES for i in range(songs_per_family)]
    # Practice material too: metronomes with the accent on the 1.
    songs += [
        click_track(bpm=float(rng.uniform(90, 160)), duration_s=20.0, lead_in_s=0.5)
        for _ in range(songs_per_family)
    ]
    profiles = []
    for song in songs:
        eighths = eighth_grid(song.beats)
        features = bar_features(spectrogram(song.audio), eighths)
        first_one = int(np.argmin(np.abs(eighths - song.downbeats[0])))
        profiles.append(np.roll(phase_profile(features), -first_one, axis=0))
    return profiles


def recordings_evidence(paths: list[Path]) -> list[tuple[np.ndarray, bool]]:
    """:func:`~bachata.music.analysis.bar_evidence` of each recording with a bar or more
    of beats (unreadable files are left out)."""
    evidence = []
    for path in paths:
        try:
            features, from_silence = bar_evidence(decode_audio(path, sr=SR), SR)
        except AudioError:
            continue
        if len(features) >= POSITIONS:
            evidence.append((features, from_silence))
    return evidence


def adapt(
    profiles: list[np.ndarray], evidence: list[tuple[np.ndarray, bool]], rounds: int = ADAPT_ROUNDS
) -> np.ndarray:
    """Self-training: the template of the labelled ``profiles`` places the "1" in each
    unlabelled recording; their profiles, rotated to it, join the labelled ones in a new
    mean (each recording counts as much as a song), and so on for ``rounds``."""
    template = learn_template(profiles)
    for _ in range(rounds):
        placed = [
            np.roll(
                phase_profile(features),
                -estimate_bar_phase(features, template, starts_from_silence=silent).eighth,
                axis=0,
            )
            for features, silent in evidence
        ]
        template = learn_template(profiles + placed)
    return template


def train(clips: Path | None = UPSTREAM_CLIPS) -> np.ndarray:
    """The shipped template: the synthetic corpus, adapted to the recordings in ``clips``
    (none: the corpus alone)."""
    if clips is None:
        return learn_template(corpus_profiles())
    if not clips.is_dir():
        raise FileNotFoundError(f"{clips}: no such folder of recordings")
    return adapt(corpus_profiles(), recordings_evidence(sorted(clips.rglob("*.mp4"))))


def write_template(template: np.ndarray, path: Path = TEMPLATE_PATH) -> None:
    """Store a template with the feature names it was made for."""
    document = {
        "about": "Bar-position template (eighth-note positions x features) learned by "
        "bachata.music.training.train() from the project's synthetic corpus, adapted "
        "without labels to the original project's real clips.",
        "features": list(FEATURES),
        "template": [[round(float(v), 4) for v in row] for row in template],
    }
    Path(path).write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":  # python -m bachata.music.training [CLIPS]
    import sys

    write_template(train(Path(sys.argv[1]) if len(sys.argv) > 1 else UPSTREAM_CLIPS))
    print(f"wrote {TEMPLATE_PATH}")
