"""The General MIDI band: scores written as MIDI files and played by FluidSynth."""

from __future__ import annotations

import numpy as np
import pytest

from bachata.demo.general_midi import (
    DRUMS,
    Note,
    SoundfontError,
    find_soundfont,
    midi_file,
    render_general_midi,
)

SR = 22050


def test_a_midi_file_holds_programs_then_notes_in_time_order():
    data = midi_file([Note(0.5, 0.25, 2, 45, 100), Note(0.0, 0.1, DRUMS, 60, 90)], {2: 33})
    assert data[:4] == b"MThd" and data[14:18] == b"MTrk"
    track = data[22:]
    assert track[:3] == b"\x00\xc2\x21"  # program change first: channel 2, bass
    assert track[3:7] == b"\x00\x99\x3c\x5a"  # the drum hit at 0 s
    assert track.endswith(b"\x00\xff\x2f\x00")
    # The drum ends at 0.1 s (tick 192); the bass starts at 0.5 s (tick 960), 768 later.
    assert track[7:11] == b"\x81\x40\x89\x3c"
    assert track[12:17] == b"\x86\x00\x92\x2d\x64"


def _onset_s(audio: np.ndarray) -> float:
    return float(np.argmax(np.abs(audio) > 0.1 * np.abs(audio).max()) / SR)


def test_notes_sound_when_and_at_the_pitch_they_are_written():
    bass = render_general_midi([Note(0.5, 1.0, 0, 45, 110)], {0: 33}, sr=SR, seconds=2.0)
    assert len(bass) >= 2 * SR
    assert abs(_onset_s(bass) - 0.5) < 0.02
    window = bass[int(0.6 * SR) : int(1.4 * SR)]
    spectrum = np.abs(np.fft.rfft(window * np.hanning(len(window))))
    freqs = np.fft.rfftfreq(len(window), 1 / SR)
    low = freqs < 400
    # The strongest partial is a harmonic of A2 (key 45, 110 Hz); a semitone off, the
    # ratio would be 6 % away from a whole number.
    ratio = freqs[low][np.argmax(spectrum[low])] / 110.0
    assert ratio > 0.9 and abs(ratio - round(ratio)) < 0.03

    bongo = render_general_midi([Note(1.25, 0.1, DRUMS, 60, 110)], {}, sr=SR, seconds=2.0)
    assert abs(_onset_s(bongo) - 1.25) < 0.02


def test_a_missing_soundfont_is_a_clear_error(tmp_path):
    with pytest.raises(SoundfontError, match=r"none\.sf2.*make soundfont"):
        find_soundfont((tmp_path / "none.sf2",))
    not_a_soundfont = tmp_path / "notes.sf2"
    not_a_soundfont.write_text("not a soundfont")
    with pytest.raises(SoundfontError, match=r"(?s)failed.*not a SoundFont"):
        render_general_midi(
            [Note(0.0, 0.1, 0, 60, 100)], {0: 24}, sr=SR, seconds=1.0, soundfont=not_a_soundfont
        )
