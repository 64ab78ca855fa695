"""Reading audio: every accepted format by content, clear errors for the rest."""

from __future__ import annotations

import pytest

from bachata.music import AudioError, decode_audio, probe_audio


@pytest.mark.parametrize("ext", ["wav", "mp3", "ogg", "flac", "m4a"])
def test_accepted_formats_probe_and_decode(audio_dir, ext):
    info = probe_audio(audio_dir / f"song.{ext}")
    assert info.extension == ext
    assert 33 < info.duration < 35
    samples = decode_audio(audio_dir / f"song.{ext}", sr=22050)
    assert samples.dtype.name == "float32" and samples.ndim == 1
    assert abs(len(samples) / 22050 - info.duration) < 0.2


def test_format_is_read_from_content_not_name(audio_dir, tmp_path):
    disguised = tmp_path / "song.mp3"
    disguised.write_bytes((audio_dir / "song.flac").read_bytes())
    assert probe_audio(disguised).extension == "flac"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.mp3", "empty"),
        ("notes.mp3", "not a readable audio file"),
        ("picture.mp3", "not a"),
    ],
)
def test_bad_files_get_a_clear_error(audio_dir, name, message):
    with pytest.raises(AudioError, match=message) as excinfo:
        probe_audio(audio_dir / name)
    assert name in str(excinfo.value)


def test_decode_stops_at_max_seconds(audio_dir):
    samples = decode_audio(audio_dir / "song.wav", sr=8000, max_seconds=5)
    assert len(samples) == 5 * 8000
