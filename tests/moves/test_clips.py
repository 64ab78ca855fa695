"""Probing, timing and the demo clips themselves."""

from __future__ import annotations

import json
import math

import av
import numpy as np
import pytest

from bachata.demo.clips import (
    DEMO_MOVES,
    DEMO_SONGS,
    LEAD_IN_S,
    build_demo_songs,
    render_move_clip,
)
from bachata.moves import ClipError, MoveSpec, clip_timing, probe_clip
from bachata.music import decode_audio, probe_audio


def _spec(source, **kwargs):
    return MoveSpec(
        move_id="m",
        move_name="M",
        source=source,
        name="m.mp4",
        style="modern",
        difficulty="beginner",
        energy_level="low",
        **kwargs,
    )


def _clip(tiny_library, move_id):
    entry = next(
        e for e in json.loads(tiny_library.read_text())["moves"] if e["move_id"] == move_id
    )
    return tiny_library.parent / entry["file"], entry


def test_probe_reads_the_clip(tiny_library):
    path, entry = _clip(tiny_library, "box_step")
    info = probe_clip(path)
    assert (info.width, info.height, info.fps) == (256, 144, 30.0)
    assert info.video_codec == "h264" and info.audio_codec == "aac" and info.has_audio
    expected = LEAD_IN_S + 16 * 60 / entry["tempo"] + 0.3
    assert abs(info.duration - expected) < 0.05


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"hello, I am not a video" * 20, "not a readable video"),
    ],
)
def test_probe_rejects_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.mp4"
    path.write_bytes(content)
    with pytest.raises(ClipError, match=message):
        probe_clip(path)
    with pytest.raises(ClipError, match="not found"):
        probe_clip(tmp_path / "missing.mp4")


def test_audio_only_file_is_not_a_clip(audio_dir):
    with pytest.raises(ClipError, match="no video stream"):
        probe_clip(audio_dir / "song.m4a")


@pytest.mark.parametrize("move_id", ["basic_side", "cross_body_lead", "footwork_combo"])
def test_timing_measured_from_the_clip_audio_matches_the_truth(tiny_library, move_id):
    path, entry = _clip(tiny_library, move_id)
    timing = clip_timing(_spec(path), probe_clip(path), path)
    assert timing.measured
    assert abs(timing.tempo - entry["tempo"]) / entry["tempo"] < 0.01
    assert abs(timing.count1_offset - LEAD_IN_S) < 0.03
    assert timing.counts == entry["counts"]


def test_metadata_timing_is_used_when_given(tiny_library):
    path, entry = _clip(tiny_library, "box_step")
    timing = clip_timing(
        _spec(path, tempo=entry["tempo"], count1_offset=0.5, counts=8), probe_clip(path), path
    )
    assert (timing.tempo, timing.count1_offset, timing.counts, timing.measured) == (
        entry["tempo"],
        0.5,
        8,
        False,
    )


def test_clips_shorter_than_their_counts_are_refused(tiny_library):
    path, entry = _clip(tiny_library, "basic_side")
    info = probe_clip(path)
    with pytest.raises(ClipError, match="only 8 fit"):
        clip_timing(_spec(path, tempo=entry["tempo"], count1_offset=0.5, counts=16), info, path)
    with pytest.raises(ClipError, match="shorter than one 8-count"):
        clip_timing(_spec(path, tempo=60.0, count1_offset=0.5), info, path)


def test_demo_library_covers_the_vocabulary():
    assert len(DEMO_MOVES) >= 12
    assert {m.difficulty for m in DEMO_MOVES} == {"beginner", "intermediate", "advanced"}
    assert {m.energy_level for m in DEMO_MOVES} == {"low", "medium", "high"}
    assert len({m.style for m in DEMO_MOVES}) >= 2
    assert {m.counts for m in DEMO_MOVES} == {8, 16}
    assert len({m.move_id for m in DEMO_MOVES}) == len(DEMO_MOVES)


def test_full_size_demo_clip(tmp_path):
    out = tmp_path / "clip.mp4"
    render_move_clip(DEMO_MOVES[0], out)
    info = probe_clip(out)
    assert (info.width, info.height, info.fps, info.has_audio) == (1280, 720, 30.0, True)


def _digit_changes(path, fps):
    """Frame indices where the count digit (right half of the frame) changes."""
    changes, previous = [], None
    with av.open(str(path)) as container:
        for k, frame in enumerate(container.decode(video=0)):
            gray = frame.to_ndarray(format="gray").astype(np.int16)
            h, w = gray.shape
            region = gray[int(h * 0.25) :, int(w * 0.58) :]
            if previous is not None and (np.abs(region - previous) > 60).sum() > 20:
                changes.append(k)
            previous = region
    return changes


def test_the_count_changes_exactly_on_the_beat(tiny_library):
    path, entry = _clip(tiny_library, "box_step")
    beat = 60.0 / entry["tempo"]
    expected = [math.ceil((LEAD_IN_S + i * beat) * 30 - 1e-9) for i in range(entry["counts"] + 1)]
    assert _digit_changes(path, 30) == expected


def test_demo_songs(tmp_path):
    paths = build_demo_songs(tmp_path)
    assert len(paths) >= 2
    tempos = {bpm for _, _, bpm, _ in DEMO_SONGS}
    assert len(tempos) == len(DEMO_SONGS)
    for path in paths:
        assert probe_audio(path).duration >= 60
    assert len(decode_audio(paths[0], sr=8000)) > 60 * 8000
    again = build_demo_songs(tmp_path)
    assert [p.stat().st_mtime for p in again] == [p.stat().st_mtime for p in paths]


def test_long_footage_without_a_length_is_used_for_four_eight_counts(tiny_library):
    path, _ = _clip(tiny_library, "box_step")  # 16 counts at 118 BPM
    info = probe_clip(path)
    long_info = type(info)(**{**info.__dict__, "duration": 60.0})
    timing = clip_timing(_spec(path, tempo=118.0, count1_offset=0.5), long_info, path)
    assert timing.counts == 32
