"""The normalised-clip cache: exact pieces, made once, safe under concurrency."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import av

from bachata.blueprint import OutputConfig
from bachata.moves.probe import probe_clip
from bachata.render.cache import ClipPiece, cache_key, normalised_clip


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
    fresh = tmp_path / ".def456-z9.mp4"
    entry = tmp_path / "abc123.mp4"
    for path in (old, fresh, entry):
        path.write_bytes(b"x")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    os.utime(entry, (hours_ago, hours_ago))
    assert sweep_partials(tmp_path) == 1
    assert not old.exists() and fresh.exists() and entry.exists()
    assert sweep_partials(tmp_path / "missing") == 0
