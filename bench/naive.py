"""The straightforward render, for comparison in ``make bench`` only.

Re-encode every clip, concatenate with a re-encode, then re-encode again to add the
audio; no cache, one ffmpeg at a time. Its encoder settings are frozen (x264 veryfast,
CRF 20: what the product used before the cold-render work), so that the ratio printed
by the benchmark compares pipelines, not presets.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bachata.blueprint import Blueprint
from bachata.media import run_ffmpeg
from bachata.render.assemble import frame_plan

NAIVE_X264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]


def render_naive(
    blueprint: Blueprint, *, resolve: Callable[[str], Path], out: Path
) -> dict[str, float]:
    """The straightforward way, for comparison in ``make bench``: re-encode every clip,
    concatenate with a re-encode, then re-encode again to add the audio. No cache."""
    output = blueprint.output_config
    width, height = output.size
    plan = frame_plan(blueprint)
    timings: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="naive-"))
    try:
        clock = time.perf_counter()
        parts = []
        for index, (move, (_first, frames)) in enumerate(zip(blueprint.moves, plan, strict=True)):
            part = work / f"{index:04d}.mp4"
            run_ffmpeg(
                [
                    "-ss",
                    f"{move.clip_start or 0:.4f}",
                    "-i",
                    str(resolve(move.video_path)),
                    "-vf",
                    f"setpts=(PTS-STARTPTS)/{move.speed or 1:.6f},scale={width}:{height}:"
                    f"force_original_aspect_ratio=decrease,pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,"
                    f"fps={output.fps},tpad=stop_mode=clone:stop=-1",
                    "-frames:v",
                    str(frames),
                    "-an",
                    *NAIVE_X264,
                    str(part),
                ]
            )
            parts.append(part)
        timings["clips"] = time.perf_counter() - clock
        clock = time.perf_counter()
        listing = work / "parts.txt"
        listing.write_text("".join(f"file '{p}'\n" for p in parts))
        joined = work / "joined.mp4"
        run_ffmpeg(["-f", "concat", "-safe", "0", "-i", str(listing), *NAIVE_X264, str(joined)])
        timings["join"] = time.perf_counter() - clock
        clock = time.perf_counter()
        run_ffmpeg(
            [
                "-i",
                str(joined),
                "-ss",
                f"{blueprint.moves[0].start_time:.6f}",
                "-i",
                str(resolve(blueprint.song.audio_path)),
                "-map",
                "0:v:0",
                "-map",
                "1:a:0",
                *NAIVE_X264,
                "-c:a",
                output.audio_codec,
                "-t",
                f"{blueprint.total_duration:.6f}",
                str(out),
            ]
        )
        timings["audio"] = time.perf_counter() - clock
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return timings
