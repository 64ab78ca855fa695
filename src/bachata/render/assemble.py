"""Assemble a choreography video from a blueprint.

1. Frame plan: the video starts at the first move's ``start_time``; move ``i`` covers
   frames ``round((start_i - t0) * fps)`` up to ``round((end_i - t0) * fps)``, so every
   move's first frame is within half a frame of its ``start_time``.
2. Pieces: each move's clip (its mezzanine, when the clip was imported here), from
   ``clip_start`` at ``speed``, scaled and padded to the resolution for exactly its frame
   count — taken from the normalised-clip cache, so a piece is encoded once and reused
   by every later render. Missing pieces encode one per core at a time, beside the
   song's audio.
3. Join: the pieces are concatenated by stream copy (no re-encoding).
4. Audio: the song from the first move's start for ``total_duration``, encoded (and
   cached) with the output's audio codec, muxed with the joined video (copied), with
   +faststart.

The result is written to a temporary file beside ``out`` and renamed into place, so
``out`` never holds a partial video.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, Unpack

from bachata.blueprint import Blueprint, MoveSlot, OutputConfig
from bachata.media import run_ffmpeg, sha256_file
from bachata.render.cache import (
    ClipPiece,
    cut_source,
    normalised_clip,
    sweep_partials,
    write_once,
)
from bachata.render.stream import HlsStream

#: ``progress(stage, fraction)`` with fraction in 0..1.
Progress = Callable[[str, float], None]

#: Share of a whole render (percent, from-to) each stage covers: clips take the most.
STAGE_PERCENT = {"clips": (5, 85), "join": (85, 90), "audio": (90, 97), "store": (97, 100)}


def overall_percent(stage: str, fraction: float) -> int:
    """Progress of the whole render (0-100) from a stage's own progress (0-1)."""
    low, high = STAGE_PERCENT.get(stage, (0, 100))
    return int(low + (high - low) * max(0.0, min(1.0, fraction)))


_AUDIO_ARGS = {
    "aac": ["-aac_coder", "fast", "-b:a", "160k"],
    "libmp3lame": ["-b:a", "192k"],
    "libopus": ["-b:a", "128k"],
}


@dataclass
class RenderResult:
    """What a render produced and how long each stage took (seconds)."""

    path: Path
    frames: int
    duration: float
    cache_hits: int
    cache_misses: int
    timings: dict[str, float] = field(default_factory=dict)


def render_workers() -> int:
    """How many pieces encode at once: one per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


def frame_plan(blueprint: Blueprint) -> list[tuple[int, int]]:
    """``(first_frame, frame_count)`` of every move in the output video."""
    fps = blueprint.output_config.fps
    t0 = blueprint.moves[0].start_time
    plan = []
    for move in blueprint.moves:
        first = round((move.start_time - t0) * fps)
        last = round((move.end_time - t0) * fps)
        plan.append((first, max(1, last - first)))
    return plan


def _checksum(path: Path, cache: dict[tuple[str, int, int], str]) -> str:
    """The file's SHA-256, remembered while its size and modification time stay the same."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in cache:
        cache[key] = sha256_file(path)
    return cache[key]


_CHECKSUMS: dict[tuple[str, int, int], str] = {}


class RenderHooks(TypedDict, total=False):
    """Who hears of a render as it runs: ``progress(stage, fraction)`` and a ``stream``
    told of the audio and of each piece as they are written (to stream them while the
    render runs, see :mod:`bachata.render.stream`)."""

    progress: Progress | None
    stream: HlsStream | None


def render_blueprint(
    blueprint: Blueprint,
    *,
    resolve: Callable[[str], Path],
    out: Path,
    cache_dir: Path,
    **hooks: Unpack[RenderHooks],
) -> RenderResult:
    """Render ``blueprint`` to ``out``.

    Parameters
    ----------
    blueprint
        A validated blueprint.
    resolve
        Turns a blueprint location (song or clip) into a readable local file.
    out
        The video file to write (its folder is created).
    cache_dir
        The normalised-clip cache.
    **hooks
        ``progress`` and ``stream`` (see :class:`RenderHooks`).
    """
    report = hooks.get("progress") or (lambda stage, fraction: None)
    stream = hooks.get("stream")
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    output = blueprint.output_config
    plan = frame_plan(blueprint)
    total_frames = plan[-1][0] + plan[-1][1]

    report("clips", 0.0)
    sweep_partials(cache_dir)
    wanted = [
        _piece(move, frames, resolve=resolve, cache_dir=cache_dir)
        for move, (_first, frames) in zip(blueprint.moves, plan, strict=True)
    ]
    # Pieces (and the song's audio) encode side by side, one ffmpeg per core: x264 keeps
    # both cores busy on its own only part of the time (measured 10 % faster on 2 cores).
    duration = total_frames / output.fps
    pool = ThreadPoolExecutor(max_workers=render_workers())
    try:
        audio_job = pool.submit(
            song_audio,
            resolve(blueprint.song.audio_path),
            start=blueprint.moves[0].start_time,
            duration=duration,
            codec=output.audio_codec,
            cache_dir=cache_dir,
        )
        if stream is not None:
            audio_job.add_done_callback(
                lambda job: job.exception() is None and stream.audio_ready(job.result())
            )
        jobs = {
            pool.submit(normalised_clip, piece, output, cache_dir): i
            for i, piece in enumerate(wanted)
        }
        for done, job in enumerate(as_completed(jobs), start=1):
            report("clips", done / len(jobs))
            if stream is not None:
                stream.piece_ready(jobs[job], job.result()[0])
        made = [job.result() for job in jobs]
        audio = audio_job.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # stopped: start no further piece
        raise
    finally:
        pool.shutdown(wait=True)
    pieces = [path for path, _hit in made]
    hits = sum(hit for _path, hit in made)
    timings["clips"] = time.perf_counter() - clock

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".render-") as tmp:
        work = Path(tmp)
        clock = time.perf_counter()
        report("join", 0.0)
        listing = work / "pieces.txt"
        listing.write_text("".join(f"file '{p.resolve()}'\n" for p in pieces))
        joined = work / f"joined{_suffix(output)}"
        run_ffmpeg(
            ["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", "-an", str(joined)]
        )
        timings["join"] = time.perf_counter() - clock

        clock = time.perf_counter()
        report("audio", 0.0)
        staged = work / f"video{_suffix(output)}"
        run_ffmpeg(
            [
                "-i",
                str(joined),
                "-i",
                str(audio),
                "-map",
                "0:v:0",
                "-map",
                "1:a:0",
                "-c",
                "copy",
                *_container_args(output),
                str(staged),
            ]
        )
        timings["audio"] = time.perf_counter() - clock
        report("store", 0.0)
        os.replace(staged, out)
    return RenderResult(
        path=out,
        frames=total_frames,
        duration=duration,
        cache_hits=hits,
        cache_misses=len(pieces) - hits,
        timings=timings,
    )


def _piece(
    move: MoveSlot, frames: int, *, resolve: Callable[[str], Path], cache_dir: Path
) -> ClipPiece:
    clip = resolve(move.video_path)
    checksum = _checksum(clip, _CHECKSUMS)
    return ClipPiece(
        source=cut_source(clip, checksum, cache_dir),
        checksum=checksum,
        clip_start=move.clip_start if move.clip_start is not None else 0.0,
        # 0.1 % steps: at most ~2 ms of drift over an 8-count, and the same move at the
        # same tempo shares cache entries across slots and renders.
        speed=round(move.speed or 1.0, 3),
        frames=frames,
    )


def song_audio(song: Path, *, start: float, duration: float, codec: str, cache_dir: Path) -> Path:
    """The song from ``start`` for ``duration`` seconds, encoded once with ``codec`` and
    cached (a re-render or another video format of the same plan reuses it)."""
    import hashlib
    import json

    recipe = json.dumps(
        {
            "song": _checksum(song, _CHECKSUMS),
            "start": round(start, 6),
            "duration": round(duration, 6),
            "codec": codec,
            "args": _AUDIO_ARGS[codec],
        },
        sort_keys=True,
    )
    key = hashlib.sha256(recipe.encode()).hexdigest()[:32]
    target = Path(cache_dir) / f"audio-{key}.mka"
    write_once(
        target,
        lambda tmp: run_ffmpeg(
            [
                "-ss",
                f"{start:.6f}",
                "-i",
                str(song),
                "-vn",
                "-t",
                f"{duration:.6f}",
                "-c:a",
                codec,
                *_AUDIO_ARGS[codec],
                str(tmp),
            ]
        ),
    )
    return target


def _suffix(output: OutputConfig) -> str:
    return {"mp4": ".mp4", "mov": ".mov", "mkv": ".mkv", "webm": ".webm"}[output.video_format]


def _container_args(output: OutputConfig) -> list[str]:
    if output.video_format in ("mp4", "mov"):
        return ["-movflags", "+faststart"]
    return []
