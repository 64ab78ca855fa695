"""The synthetic songs' ground truth."""

from __future__ import annotations

import pytest

from bachata.demo.synth import synth_bachata


def test_mean_bpm_is_the_tempo_the_beats_keep():
    """A drifting song's starting tempo is not what a tracker can measure: its beats
    keep the tempo of the line through them."""
    steady = synth_bachata(bpm=120, seed=1, intro_s=0.0, structure=(("derecho", 8),))
    assert steady.mean_bpm == pytest.approx(120, rel=1e-3)
    drifting = synth_bachata(bpm=120, seed=1, intro_s=0.0, structure=(("derecho", 8),), drift=0.04)
    assert drifting.bpm == 120
    assert drifting.mean_bpm == pytest.approx(120 * 1.02, rel=2e-3)
