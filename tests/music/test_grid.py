"""Dancer corrections of the beat grid (pure: no database)."""

from __future__ import annotations

import doctest

import pytest

import bachata.moves.timing
import bachata.music.analysis
import bachata.music.downbeats
import bachata.music.grid
import bachata.planner.quality
from bachata.demo.synth import synth_bachata
from bachata.music import analyse
from bachata.music.grid import (
    GridCorrection,
    GridError,
    apply_correction,
    grid_document,
    shift_from_taps,
)


@pytest.fixture(scope="module")
def song():
    truth = synth_bachata(bpm=120, seed=3, intro_s=0.0, structure=(("derecho", 16),))
    return truth, analyse(truth.audio, truth.sr)


def test_shifting_moves_every_one_by_whole_beats(song):
    _, raw = song
    later = apply_correction(raw, GridCorrection(shift_beats=1))
    beat = 60 / raw.bpm
    assert later.beats == raw.beats
    assert later.eight_counts[0] == pytest.approx(raw.eight_counts[0] + beat, abs=0.02)
    assert set(later.eight_counts) <= set(later.downbeats) <= set(later.beats)
    assert all(row[0] == one for row, one in zip(later.count_grid, later.eight_counts, strict=True))
    assert later.grid_source == "corrected" and later.downbeat_confidence == 1.0
    assert raw.grid_source == "analysed"  # the analysis itself is untouched


def test_double_and_half_tempo(song):
    _, raw = song
    double = apply_correction(raw, GridCorrection(tempo="double"))
    assert double.bpm == pytest.approx(2 * raw.bpm, rel=0.01)
    assert len(double.beats) == 2 * len(raw.beats) - 1
    assert double.eight_counts[0] == raw.eight_counts[0]
    half = apply_correction(raw, GridCorrection(tempo="half"))
    assert half.bpm == pytest.approx(raw.bpm / 2, rel=0.01)
    assert half.eight_counts[0] == raw.eight_counts[0]


def test_corrections_add_up_and_wrap_at_an_eight_count():
    c = GridCorrection().then(shift_beats=3).then(shift_beats=3)
    assert c.shift_beats == -2  # six beats later is two beats earlier in the next 8-count
    assert GridCorrection(tempo="double").then(tempo="half").is_identity
    with pytest.raises(GridError, match="already doubled"):
        GridCorrection(tempo="double").then(tempo="double")
    with pytest.raises(GridError, match="double or half"):
        GridCorrection(tempo="triple")
    assert GridCorrection.from_dict(c.to_dict()) == c
    assert GridCorrection.from_dict(None).is_identity


def test_taps_on_the_one_give_the_shift(song):
    _, raw = song
    # A dancer taps (a little late, a little early) on beat 2 of the analysed grid's bars.
    one = raw.beats.index(raw.eight_counts[0])
    taps = [raw.beats[one + 1 + 4 * k] + d for k, d in enumerate([0.03, -0.04, 0.05, 0.0])]
    assert shift_from_taps(raw, taps) == 1
    taps = [raw.beats[one + 3 + 4 * k] for k in range(4)]
    assert shift_from_taps(raw, taps) == -1
    with pytest.raises(GridError, match="at least twice"):
        shift_from_taps(raw, [1.0])


def test_the_document_asks_to_check_an_uncertain_one(song):
    _, raw = song
    from dataclasses import replace

    unsure = replace(raw, downbeat_confidence=0.3)
    assert grid_document(unsure, GridCorrection())["check_the_one"] is True
    corrected = grid_document(
        apply_correction(unsure, GridCorrection(shift_beats=2)), GridCorrection(shift_beats=2)
    )
    assert corrected["check_the_one"] is False
    assert corrected["correction"] == {"shift_beats": 2, "tempo": None}


def test_a_grid_with_too_few_beats_is_refused():
    from bachata.demo.synth import click_track

    clicks = click_track(bpm=120, duration_s=6, lead_in_s=0.2)
    raw = analyse(clicks.audio, clicks.sr)
    with pytest.raises(GridError, match="too few beats"):
        apply_correction(raw, GridCorrection(tempo="half"))


@pytest.mark.parametrize(
    "module",
    [
        bachata.music.grid,
        bachata.music.downbeats,
        bachata.music.analysis,
        bachata.planner.quality,
        bachata.moves.timing,
    ],
)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
