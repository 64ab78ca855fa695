"""The normalised-clip cache: exact pieces, made once, safe under concurrency."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import av
import numpy as np
import pytest

from bachata.blueprint import OutputConfig
from bachata.media import run_ffmpeg
from bachata.moves.probe import probe_clip
from bachata.render.cache import (
    ClipPiece,
    cache_key,
    cheap_to_cut,
    cut_source,
    make_mezzanine,
    mezzanine_path,
    normalised_clip,
    prepare_for_cutting,
)


def _piece(tiny_library, speed=1.0, frames=60):
    entry = json.loads(tiny_library.read_text())["moves"][0]
    return ClipPiece(
        source=tiny_library.parent / entry["file"],
        checksum="c" * 64,
        clip_start=0.5,
        speed=speed,
        frames=frames,
    )


def _frames(path):
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_piece_has_the_output_format_and_exact_frame_count(tiny_library, tmp_path):
    output = OutputConfig(resolution="320x240", fps=25)
    path, hit = normalised_clip(_piece(tiny_library, speed=1.1, frames=47), output, tmp_path)
    assert not hit
    info = probe_clip(path)
    assert (info.width, info.height, info.fps, info.has_audio) == (320, 240, 25.0, False)
    assert _frames(path) == 47


def test_second_request_is_a_hit_and_other_settings_are_other_entries(tiny_library, tmp_path):
    output = OutputConfig(resolution="320x180", fps=30)
    first, _ = normalised_clip(_piece(tiny_library), output, tmp_path)
    again, hit = normalised_clip(_piece(tiny_library), output, tmp_path)
    assert hit and again == first
    faster, hit = normalised_clip(_piece(tiny_library, speed=1.2), output, tmp_path)
    assert not hit and faster != first
    other = cache_key(_piece(tiny_library), OutputConfig(resolution="640x360", fps=30))
    assert other != cache_key(_piece(tiny_library), output)


def test_short_clip_is_padded_with_its_last_frame(tiny_library, tmp_path):
    output = OutputConfig(resolution="256x144", fps=30)
    path, _ = normalised_clip(_piece(tiny_library, frames=200), output, tmp_path)
    assert _frames(path) == 200  # the clip has ~150 frames after its in-point


def test_concurrent_requests_make_one_complete_entry(tiny_library, tmp_path):
    output = OutputConfig(resolution="320x180", fps=30)
    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(lambda _: normalised_clip(_piece(tiny_library), output, tmp_path), range(4))
        )
    paths = {path for path, _ in results}
    assert len(paths) == 1
    assert sorted(hit for _, hit in results) == [False, True, True, True]
    (path,) = paths
    assert _frames(path) == 60
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_stale_partial_files_are_swept(tmp_path):
    import os
    import time

    from bachata.render.cache import sweep_partials

    old = tmp_path / ".abc123-x1y2.mp4"
    old_mezzanine = tmp_path / "mezzanine" / ".0123-v1-k8.mp4"  # an import killed mid-way
    fresh = tmp_path / ".def456-z9.mp4"
    entry = tmp_path / "abc123.mp4"
    old_mezzanine.parent.mkdir()
    for path in (old, old_mezzanine, fresh, entry):
        path.write_bytes(b"x")
    hours_ago = time.time() - 2 * 3600
    for path in (old, old_mezzanine, entry):
        os.utime(path, (hours_ago, hours_ago))
    assert sweep_partials(tmp_path) == 2
    assert not old.exists() and not old_mezzanine.exists()
    assert fresh.exists() and entry.exists()
    assert sweep_partials(tmp_path / "missing") == 0


@pytest.fixture(scope="module")
def camera_clip(tmp_path_factory):
    """6 s whose every frame differs (ffmpeg's testsrc2), encoded with x264's defaults as
    cameras and editors do: one keyframe for the whole clip, B-frames, CABAC."""
    path = tmp_path_factory.mktemp("camera") / "clip.mp4"
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", "testsrc2=size=256x144:rate=30:duration=6",
            "-c:v", "libx264", "-g", "250", "-pix_fmt", "yuv420p", str(path),
        ]
    )  # fmt: skip
    return path


def _keyframe_times(path):
    with av.open(str(path)) as container:
        return [
            float(packet.pts * packet.time_base)
            for packet in container.demux(video=0)
            if packet.is_keyframe and packet.pts is not None
        ]


def _grey_frames(path):
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray").astype(float) for f in container.decode(video=0)]


def test_a_mezzanine_has_the_clips_frames_and_a_keyframe_every_second(camera_clip, tmp_path):
    path, existed = make_mezzanine(camera_clip, "m" * 64, tmp_path)
    assert not existed and path == mezzanine_path("m" * 64, tmp_path)
    assert _keyframe_times(camera_clip) == [0.0]
    assert _keyframe_times(path) == pytest.approx([0, 1, 2, 3, 4, 5], abs=0.04)
    assert _frames(path) == _frames(camera_clip) == 180
    assert probe_clip(path).has_audio is False
    assert make_mezzanine(camera_clip, "m" * 64, tmp_path) == (path, True)
    assert cut_source(camera_clip, "m" * 64, tmp_path) == path
    assert cut_source(camera_clip, "o" * 64, tmp_path) == camera_clip  # not imported here


def test_a_piece_cut_from_the_mezzanine_shows_the_same_frames(camera_clip, tmp_path):
    mezzanine, _ = make_mezzanine(camera_clip, "m" * 64, tmp_path / "m")
    output = OutputConfig(resolution="256x144", fps=30)

    def piece(source, cache):
        wanted = ClipPiece(source, "c" * 64, clip_start=2.37, speed=1.07, frames=90)
        return _grey_frames(normalised_clip(wanted, output, tmp_path / cache)[0])

    ours, theirs = piece(mezzanine, "a"), piece(camera_clip, "b")
    assert len(ours) == len(theirs) == 90
    for i in range(90):
        gaps = {j: np.abs(ours[i] - theirs[j]).mean() for j in (i - 1, i, i + 1) if 0 <= j < 90}
        assert min(gaps, key=gaps.get) == i, (i, gaps)


def test_only_clips_that_are_dear_to_cut_get_a_mezzanine(camera_clip, tiny_library, tmp_path):
    """The demo clips are already cut-friendly (Baseline H.264, a keyframe a second):
    a mezzanine of them would cost import time and disk for nothing."""
    demo_clip = _piece(tiny_library).source
    assert cheap_to_cut(demo_clip) and not cheap_to_cut(camera_clip)
    assert prepare_for_cutting(demo_clip, "d" * 64, tmp_path) is None
    assert not mezzanine_path("d" * 64, tmp_path).exists()
    assert prepare_for_cutting(camera_clip, "m" * 64, tmp_path) == mezzanine_path(
        "m" * 64, tmp_path
    )
    assert cheap_to_cut(mezzanine_path("m" * 64, tmp_path))  # a mezzanine is one
