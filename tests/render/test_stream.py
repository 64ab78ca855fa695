"""The preview stream: the same frames as the MP4, at the same times, in order."""

from __future__ import annotations

import hashlib
import itertools
import shutil
import time

import av
import pytest

from bachata.blueprint import OutputConfig
from bachata.render import render_blueprint
from bachata.render.assemble import frame_plan
from bachata.render.stream import PLAYLIST, HlsStream, streamable
from tests.conftest import make_blueprint


def _frames(path):
    """(pts seconds, digest) of every decoded video frame."""
    out = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            digest = hashlib.sha1(frame.to_ndarray(format="yuv420p").tobytes()).hexdigest()
            out.append((float(frame.pts * frame.time_base), digest))
    return out


def _audio_span(path):
    """(first, last end) of the audio packets, in seconds."""
    with av.open(str(path)) as container:
        audio = container.streams.audio[0]
        packets = [p for p in container.demux(audio) if p.pts is not None]
    first = packets[0].pts * audio.time_base
    last = packets[-1].pts * audio.time_base + packets[-1].duration * audio.time_base
    return float(first), float(last)


def _render(render_root, blueprint, tmp_path, stream):
    """Render ``blueprint`` to ``tmp_path/video.mp4``, telling ``stream`` as it goes."""
    return render_blueprint(
        blueprint,
        resolve=lambda loc: render_root / loc,
        out=tmp_path / "video.mp4",
        cache_dir=tmp_path / "cache",
        stream=stream,
    )


def _render_with_stream(render_root, blueprint, tmp_path):
    published: list[str] = []
    served = tmp_path / "served"
    served.mkdir()

    def publish(name, path):
        shutil.copy(path, served / name)
        published.append(name)

    plan = frame_plan(blueprint)
    with HlsStream(plan, blueprint.output_config.fps, publish) as stream:
        _render(render_root, blueprint, tmp_path, stream)
        # The render is done; the stream writer may still be catching up.
        _wait_for(lambda: stream.published == len(plan))
    assert stream.error is None
    return served, published, plan


def test_the_stream_shows_the_mp4s_frames_at_the_mp4s_times(render_root, tmp_path):
    output = OutputConfig(resolution="256x144", fps=30)
    blueprint = make_blueprint(render_root, output=output, seed=4)
    served, published, plan = _render_with_stream(render_root, blueprint, tmp_path)

    segments = [f"seg-{i:05d}.ts" for i in range(len(plan))]
    # Each segment is published before the playlist that names it.
    assert [n for n in published if n != PLAYLIST] == segments
    for i, name in enumerate(segments):
        assert published.index(name) < published.index(PLAYLIST, published.index(name))
        assert i == 0 or published.index(name) > published.index(PLAYLIST)

    playlist = (served / PLAYLIST).read_text().splitlines()
    assert playlist[-1] == "#EXT-X-ENDLIST"
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in playlist
    durations = [float(line[8:].rstrip(",")) for line in playlist if line.startswith("#EXTINF:")]
    assert durations == pytest.approx([frames / 30 for _first, frames in plan], abs=1e-6)
    assert [line for line in playlist if line.endswith(".ts")] == segments
    target = int(next(x for x in playlist if x.startswith("#EXT-X-TARGETDURATION:")).split(":")[1])
    assert all(round(d) <= target for d in durations)

    # Frame for frame, the stream is the MP4: same pictures, same presentation times.
    mp4 = _frames(tmp_path / "video.mp4")
    streamed = []
    for (first, frames), name in zip(plan, segments, strict=True):
        got = _frames(served / name)
        assert len(got) == frames
        assert got[0][0] == pytest.approx(first / 30, abs=0.5 / 30)
        streamed += got
    assert [d for _t, d in streamed] == [d for _t, d in mp4]
    offset = streamed[0][0] - mp4[0][0]
    for (ts, _), (tm, _) in zip(streamed, mp4, strict=True):
        assert ts - offset == pytest.approx(tm, abs=1e-3)

    # The audio runs on without gaps or overlaps beyond one AAC frame, start to end.
    spans = [_audio_span(served / name) for name in segments]
    assert spans[0][0] == pytest.approx(0, abs=0.05)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert abs(start - end) < 0.03
    # as the MP4's audio: the song's length plus at most the encoder's padding
    assert spans[-1][1] == pytest.approx(blueprint.total_duration, abs=0.1)


class _Recorder:
    """Takes the stream's place in a render to note where the audio and pieces are."""

    def __init__(self):
        self.audio = None
        self.pieces = {}

    def audio_ready(self, audio):
        self.audio = audio

    def piece_ready(self, index, piece):
        self.pieces[index] = piece


def _wait_for(condition) -> None:
    for _ in range(200):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_segments_go_out_in_order_and_a_stopped_stream_is_left_open(render_root, tmp_path):
    blueprint = make_blueprint(render_root, output=OutputConfig(resolution="256x144"), seed=4)
    plan = frame_plan(blueprint)
    assert len(plan) >= 3
    made = _Recorder()
    _render(render_root, blueprint, tmp_path, made)
    served: dict[str, bytes] = {}
    with HlsStream(plan, 30, lambda name, path: served.update({name: path.read_bytes()})) as s:
        s.piece_ready(0, made.pieces[0])
        s.piece_ready(2, made.pieces[2])
        time.sleep(0.3)
        assert served == {}, "no segment before the audio is there"
        s.audio_ready(made.audio)
        _wait_for(lambda: s.published == 1)
        time.sleep(0.3)
        assert s.published == 1, "piece 2 may not go out before piece 1"
        s.piece_ready(1, made.pieces[1])
        _wait_for(lambda: s.published == 3)
    assert s.error is None
    playlist = served[PLAYLIST].decode()
    assert playlist.count("#EXTINF:") == 3
    assert "#EXT-X-ENDLIST" not in playlist, "stopped before the end: the stream stays open"
    assert sorted(served) == [PLAYLIST, "seg-00000.ts", "seg-00001.ts", "seg-00002.ts"]


def test_only_h264_outputs_stream():
    assert streamable(OutputConfig())
    assert streamable(OutputConfig(video_format="mkv", audio_codec="libmp3lame"))
    webm = OutputConfig(video_format="webm", video_codec="libvpx-vp9", audio_codec="libopus")
    assert not streamable(webm)
