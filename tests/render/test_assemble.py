"""Rendering real MP4s from blueprints, checked frame by frame."""

from __future__ import annotations

import av
import numpy as np
import pytest

from bachata.blueprint import OutputConfig, PathPolicy, parse_blueprint
from bachata.moves.probe import probe_clip
from bachata.render import render_blueprint
from bachata.render.assemble import frame_plan
from tests.conftest import make_blueprint


def _render(render_root, blueprint, out, cache):
    return render_blueprint(
        blueprint, resolve=lambda loc: render_root / loc, out=out, cache_dir=cache
    )


def _colour_changes(path):
    """Frame indices where the stage colour (between dancer and count) changes."""
    changes, previous = [], None
    with av.open(str(path)) as container:
        for k, frame in enumerate(container.decode(video=0)):
            rgb = frame.to_ndarray(format="rgb24")
            h, w, _ = rgb.shape
            corner = rgb[int(h * 0.5) : int(h * 0.5) + 6, int(w * 0.47) : int(w * 0.47) + 6]
            corner = corner.reshape(-1, 3).mean(axis=0)
            if previous is not None and np.abs(corner - previous).max() > 25:
                changes.append(k)
            previous = corner
    return changes


@pytest.mark.parametrize(
    "output",
    [
        OutputConfig(resolution="256x144", fps=30),
        OutputConfig(resolution="320x240", fps=24),  # other aspect: padded
    ],
)
def test_video_follows_the_blueprint(render_root, tmp_path, output):
    blueprint = make_blueprint(render_root, output=output)
    out = tmp_path / "video.mp4"
    result = _render(render_root, blueprint, out, tmp_path / "cache")
    info = probe_clip(out)
    width, height = output.size
    assert (info.width, info.height) == (width, height)
    assert info.fps == pytest.approx(output.fps, rel=1e-3)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert abs(info.duration - blueprint.total_duration) <= 1 / output.fps
    with av.open(str(out)) as container:
        audio = container.streams.audio[0]
        assert abs(float(audio.duration * audio.time_base) - blueprint.total_duration) < 0.1
        assert container.format.name.startswith("mov,mp4")
    t0 = blueprint.moves[0].start_time
    expected = [round((m.start_time - t0) * output.fps) for m in blueprint.moves[1:]]
    assert _colour_changes(out) == expected
    for move, first in zip(blueprint.moves, [0, *expected], strict=True):
        assert abs(first / output.fps - (move.start_time - t0)) <= 1 / output.fps
    assert result.frames == frame_plan(blueprint)[-1][0] + frame_plan(blueprint)[-1][1]


def test_faststart_puts_the_index_first(render_root, tmp_path):
    out = tmp_path / "video.mp4"
    _render(render_root, make_blueprint(render_root), out, tmp_path / "cache")
    head = out.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and head.find(b"moov") < max(head.find(b"mdat"), 4096)


def test_second_render_comes_from_the_cache(render_root, tmp_path):
    blueprint = make_blueprint(render_root, seed=3)
    first = _render(render_root, blueprint, tmp_path / "a.mp4", tmp_path / "cache")
    assert first.cache_misses > 0
    second = _render(render_root, blueprint, tmp_path / "b.mp4", tmp_path / "cache")
    assert second.cache_misses == 0 and second.cache_hits == len(blueprint.moves)
    assert probe_clip(tmp_path / "b.mp4").duration == pytest.approx(
        probe_clip(tmp_path / "a.mp4").duration
    )


def test_other_containers_and_codecs(render_root, tmp_path):
    output = OutputConfig(
        video_format="webm",
        video_codec="libvpx-vp9",
        audio_codec="libopus",
        resolution="192x108",
        fps=15,
    )
    blueprint = make_blueprint(render_root, output=output)
    out = tmp_path / "video.webm"
    _render(render_root, blueprint, out, tmp_path / "cache")
    info = probe_clip(out)
    assert (info.video_codec, info.audio_codec) == ("vp9", "opus")
    assert info.fps == pytest.approx(15, rel=1e-3)
    assert abs(info.duration - blueprint.total_duration) <= 1 / 15 + 0.01


def test_a_failed_render_leaves_no_file(render_root, tmp_path):
    data = make_blueprint(render_root).to_json_dict()
    data["moves"][1]["video_path"] = "Bachata_steps/nope/missing.mp4"
    broken = parse_blueprint(data, path_policy=PathPolicy(roots=(render_root,), buckets=()))
    out = tmp_path / "out" / "video.mp4"

    def resolve(location):
        path = render_root / location
        if not path.exists():
            raise FileNotFoundError(location)
        return path

    with pytest.raises(FileNotFoundError):
        render_blueprint(broken, resolve=resolve, out=out, cache_dir=tmp_path / "cache")
    assert not out.exists()
    assert not out.parent.exists() or list(out.parent.iterdir()) == []
