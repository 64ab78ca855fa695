"""Render speed and memory on a 3-minute 1280x720 blueprint (`make bench`).

Cold: empty normalised-clip cache. Warm: the same blueprint again. Naive: re-encode every
clip, concatenate with a re-encode, re-encode again to add the audio. Each render runs in
its own process; its peak RSS is that of its whole process tree (Python and ffmpeg).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bachata.blueprint import Blueprint, OutputConfig, SongInfo
from bachata.media import encode_audio
from bachata.moves.demo import build_demo_library
from bachata.music import analyse, decode_audio
from bachata.music.analysis import SR
from bachata.music.synth import synth_bachata, write_wav
from bachata.planner import PlanRequest, plan_choreography
from bachata.planner.demo import demo_library
from bachata.render import render_blueprint, render_naive

ROOT = Path("data/bench").resolve()
STRUCTURE = (
    ("derecho", 24),
    ("majao", 16),
    ("break", 2),
    ("mambo", 16),
    ("derecho", 16),
    ("majao", 16),
)


def _blueprint() -> Blueprint:
    build_demo_library(ROOT / "Bachata_steps")
    song_path = ROOT / "songs" / "bench.mp3"
    if not song_path.exists():
        song_path.parent.mkdir(parents=True, exist_ok=True)
        song = synth_bachata(bpm=127, structure=STRUCTURE, seed=7)
        with tempfile.TemporaryDirectory() as tmp:
            write_wav(f"{tmp}/s.wav", song.audio, song.sr)
            encode_audio(Path(f"{tmp}/s.wav"), song_path)
    analysis = analyse(decode_audio(song_path, sr=SR), SR)
    library = demo_library()
    return plan_choreography(
        analysis=analysis,
        song=SongInfo(
            id=1,
            title="bench",
            artist="",
            audio_path="songs/bench.mp3",
            bpm=analysis.bpm,
            duration=analysis.duration,
        ),
        library=library,
        request=PlanRequest("advanced", "high", "modern", seed=2),
        task_id="00000000-0000-4000-8000-000000000000",
        output_config=OutputConfig(),
    )


def _render_in_child(kind: str, blueprint_file: Path, cache: Path) -> tuple[float, float]:
    """Run one render in a fresh process; return (seconds, peak RSS of its process tree, MB).

    The tree (Python plus the ffmpeg it runs) is sampled every 20 ms: ru_maxrss would
    carry over the parent's high-water mark through fork and exec.
    """
    import subprocess
    import sys

    import psutil

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, kind, str(blueprint_file), str(cache)])
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.02)
    if process.returncode != 0:
        raise RuntimeError(f"{kind} render failed")
    return time.perf_counter() - started, peak / 2**20


def _child(kind: str, blueprint_file: str, cache: str) -> None:
    blueprint = Blueprint.model_validate_json(Path(blueprint_file).read_text())
    out = Path(cache).parent / f"{kind}.mp4"
    if kind == "naive":
        render_naive(blueprint, resolve=lambda loc: ROOT / loc, out=out)
    else:
        render_blueprint(blueprint, resolve=lambda loc: ROOT / loc, out=out, cache_dir=Path(cache))


def main() -> None:
    blueprint = _blueprint()
    print(
        f"== render: {blueprint.total_duration:.0f} s blueprint, {len(blueprint.moves)} moves, "
        f"{blueprint.output_config.resolution} @ {blueprint.output_config.fps} fps"
    )
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        blueprint_file = work / "blueprint.json"
        blueprint_file.write_text(blueprint.to_json())
        for kind, target in (("cold", 30), ("warm", 5), ("naive", None)):
            seconds, peak = _render_in_child(kind, blueprint_file, work / "cache")
            goal = f" (targets: <= {target} s, <= 512 MB)" if target else ""
            print(f"  {kind:<6} {seconds:6.1f} s   peak RSS {peak:5.0f} MB{goal}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 4:
        _child(*sys.argv[1:])
    else:
        main()
