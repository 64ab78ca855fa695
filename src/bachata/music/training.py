"""Learning the bar-position template of :mod:`bachata.music.downbeats` from the
project's synthetic corpus (``python -m bachata.music.training`` writes it again)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bachata.demo.corpus import FAMILIES, corpus_song
from bachata.demo.synth import click_track
from bachata.music.analysis import HOP, SR, chroma, spectrogram
from bachata.music.downbeats import (
    FEATURES,
    TEMPLATE_PATH,
    eighth_features,
    eighth_grid,
    learn_template,
    phase_profile,
)


def train(songs_per_family: int = 6, seed: int = 1) -> np.ndarray:
    """Learn the template from the synthetic corpus (seed 1; the tests evaluate seed 0).

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
        spec = spectrogram(song.audio)
        eighths = eighth_grid(song.beats)
        features = eighth_features(
            spec,
            eighths,
            sr=SR,
            hop_length=HOP,
            pitch=chroma(spec),
            bass_pitch=chroma(spec, fmin=40.0, fmax=200.0),
        )
        first_one = int(np.argmin(np.abs(eighths - song.downbeats[0])))
        profiles.append(np.roll(phase_profile(features), -first_one, axis=0))
    return learn_template(profiles)


def write_template(template: np.ndarray, path: Path = TEMPLATE_PATH) -> None:
    """Store a template with the feature names it was made for."""
    document = {
        "about": "Bar-position template (eighth-note positions x features) learned by "
        "bachata.music.downbeats.train() from the project's synthetic corpus.",
        "features": list(FEATURES),
        "template": [[round(float(v), 4) for v in row] for row in template],
    }
    Path(path).write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":  # python -m bachata.music.training
    write_template(train())
    print(f"wrote {TEMPLATE_PATH}")
