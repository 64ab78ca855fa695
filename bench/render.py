"""Render speed and memory on a 3-minute 1280x720 blueprint (`make bench`).

Two libraries: **real footage** — the original project's clips from
``../shared/data/upstream-clips``, timed by our importer and scaled once to 1280x720
with a little temporal grain (the fixture's copies are 320x180; real 720p footage has
detail and noise that flat demo clips lack, and that is what costs encoding time) — and
the flat-coloured demo clips, which encode far faster. Cold: empty normalised-clip
cache (the clips' mezzanines made first, as an import does, and timed on their own).
Warm: the same blueprint again. Naive: re-encode every clip, concatenate with a
re-encode, re-encode again to add the audio. Each render runs in its own process; its
peak RSS is that of its whole process tree (Python and ffmpeg).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

# Only what a render needs at the top: each render runs in a child process that imports
# this module; see _child for what it loads as `bachata render` would.
from bachata.blueprint import Blueprint
from bachata.render import render_blueprint
from bachata.render.assemble import frame_plan
from bachata.render.stream import PLAYLIST, HlsStream

if TYPE_CHECKING:
    from bachata.planner import LibraryMove

ROOT = Path("data/bench").resolve()
STRUCTURE = (
    ("derecho", 24),
    ("majao", 16),
    ("break", 2),
    ("mambo", 16),
    ("derecho", 16),
    ("majao", 16),
)


CLIPS = Path(
    os.environ.get("BACHATA_UPSTREAM_CLIPS")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "upstream-clips"
)


def _timing_recipe() -> str:
    """A digest of the code that times clips: a cached library is remade when it changes."""
    import hashlib

    import bachata.moves.timing
    import bachata.music.analysis
    import bachata.music.downbeats

    digest = hashlib.sha256()
    for module in (bachata.moves.timing, bachata.music.analysis, bachata.music.downbeats):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(bachata.music.downbeats.TEMPLATE_PATH.read_bytes())
    return digest.hexdigest()[:12]


def _real_library() -> list[LibraryMove]:
    """The upstream clips as planner moves (timing measured once, cached as JSON)."""
    from bachata.moves.manifest import read_library
    from bachata.moves.probe import ClipError, probe_clip
    from bachata.moves.timing import clip_timing

    index = ROOT / "real720" / f"library-{_timing_recipe()}.json"
    if not index.exists():
        moves = []
        specs, _ = read_library(CLIPS)
        for spec in specs:
            try:
                info = probe_clip(spec.source)
                timing = clip_timing(spec, info, spec.source)
            except ClipError:
                continue
            moves.append(
                {
                    "move_id": spec.move_id,
                    "move_name": spec.move_name,
                    "video_path": f"real720/{spec.name}",
                    "duration": info.duration,
                    "difficulty": spec.difficulty,
                    "energy_level": spec.energy_level,
                    "style": spec.style,
                    "eight_counts": timing.eight_counts,
                    "tempo": timing.tempo,
                    "count1_offset": timing.count1_offset,
                    "family": spec.family,
                    "role": spec.role,
                }
            )
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_text(json.dumps(moves))
    from bachata.planner import LibraryMove

    return [LibraryMove(**m) for m in json.loads(index.read_text())]


def _scale_to_720p(blueprint: Blueprint) -> None:
    """Make the 1280x720 copies of the clips the blueprint uses (once)."""
    from bachata.media import run_ffmpeg

    for location in sorted({m.video_path for m in blueprint.moves}):
        target = ROOT / location
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        source = CLIPS / "data" / "Bachata_steps" / location.removeprefix("real720/")
        partial = target.with_suffix(".partial.mp4")
        run_ffmpeg(
            [
                "-i", str(source),
                "-vf", "scale=1280:720:flags=lanczos,noise=alls=6:allf=t",
                "-c:v", "libx264", "-preset", "veryfast", "-b:v", "2M", "-maxrate", "2.5M",
                "-bufsize", "4M", "-pix_fmt", "yuv420p", "-c:a", "copy", str(partial),
            ]
        )  # fmt: skip
        partial.replace(target)


def _blueprint(library: str = "demo") -> Blueprint:
    from bachata.blueprint import OutputConfig, SongInfo
    from bachata.demo.clips import build_demo_library
    from bachata.demo.library import demo_library
    from bachata.demo.synth import synth_bachata, write_wav
    from bachata.media import encode_audio
    from bachata.music import analyse, decode_audio
    from bachata.music.analysis import SR
    from bachata.planner import PlanRequest, plan_choreography

    build_demo_library(ROOT / "Bachata_steps")
    song_path = ROOT / "songs" / "bench.mp3"
    if not song_path.exists():
        song_path.parent.mkdir(parents=True, exist_ok=True)
        song = synth_bachata(bpm=127, structure=STRUCTURE, seed=7)
        with tempfile.TemporaryDirectory() as tmp:
            write_wav(f"{tmp}/s.wav", song.audio, song.sr)
            encode_audio(Path(f"{tmp}/s.wav"), song_path)
    analysis = analyse(decode_audio(song_path, sr=SR), SR)
    moves = demo_library() if library == "demo" else _real_library()
    blueprint = plan_choreography(
        analysis=analysis,
        song=SongInfo(
            id=1,
            title="bench",
            artist="",
            audio_path="songs/bench.mp3",
            bpm=analysis.bpm,
            duration=analysis.duration,
        ),
        library=moves,
        request=PlanRequest("advanced", "high", "modern", seed=2),
        task_id="00000000-0000-4000-8000-000000000000",
        output_config=OutputConfig(),
    )
    blueprint = _every_move_its_own_clip(blueprint, moves)
    if library == "real":
        _scale_to_720p(blueprint)
    return blueprint


def _every_move_its_own_clip(blueprint: Blueprint, library: list[LibraryMove]) -> Blueprint:
    """The hard case for a render: a routine repeats its combos, so its pieces repeat
    and come from the cache; here each repeated move is swapped for another clip of
    the same length that plays at 0.8-1.25x (as an edited plan would), so nearly every
    move is a clip of its own to encode."""
    from bachata.planner import place_move

    used: set[str] = set()
    slots = []
    for slot in blueprint.moves:
        move = slot
        if slot.move_id in used:
            for other in library:
                if other.move_id in used or other.eight_counts != slot.eight_counts:
                    continue
                placed = place_move(
                    other,
                    start=slot.start_time,
                    end=slot.end_time,
                    eight_counts=other.eight_counts,
                    section=slot.section,
                )
                if 0.8 <= (placed.speed or 1.0) <= 1.25:
                    move = placed
                    break
        used.add(move.move_id)
        slots.append(move)
    return blueprint.model_copy(update={"moves": slots, "combos": None})


#: How often the render's process tree is sampled for its memory (seconds). One sample
#: walks every process of the machine (about 8 ms of CPU); every 20 ms, that took a
#: quarter of a core from the render measured on two cores (cold 33 s instead of 28-30 s).
#: An ffmpeg per piece lives 1-3 s, so 0.2 s still sees every piece at its peak.
SAMPLE_S = 0.2


def _render_in_child(kind: str, blueprint_file: Path, cache: Path) -> tuple[float, float, dict]:
    """Run one render in a fresh process; return (seconds, peak RSS of its process tree,
    MB, what the child reported).

    The tree (Python plus the ffmpeg it runs) is sampled every :data:`SAMPLE_S`:
    ru_maxrss would carry over the parent's high-water mark through fork and exec.
    """
    import subprocess
    import sys

    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, kind, str(blueprint_file), str(cache)],
        stdout=subprocess.PIPE,
        text=True,
    )
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(SAMPLE_S)
    if process.returncode != 0:
        raise RuntimeError(f"{kind} render failed")
    report = json.loads(process.stdout.read() or "{}")
    return time.perf_counter() - started, peak / 2**20, report


def _child(kind: str, blueprint_file: str, cache: str) -> None:
    # What `bachata render` loads before it renders (the CLI, the job's render path,
    # settings and storage), so its start-up counts as a dancer's would.
    import bachata.cli
    import bachata.jobs.rendering
    import bachata.storage  # noqa: F401

    blueprint = Blueprint.model_validate_json(Path(blueprint_file).read_text())
    out = Path(cache).parent / f"{kind}.mp4"
    if kind == "naive":
        sys.path.insert(0, str(Path(__file__).parent))
        from naive import render_naive

        render_naive(blueprint, resolve=lambda loc: ROOT / loc, out=out)
    else:
        # As the render job does: the preview stream is written while the render runs,
        # published by a rename (local storage).
        streams = Path(cache).parent / f"stream-{kind}"
        streams.mkdir(exist_ok=True)
        started = time.perf_counter()
        first: dict[str, float] = {}

        def publish(name: str, path: Path) -> None:
            os.replace(path, streams / name)
            if name == PLAYLIST:
                first.setdefault("first_segment_s", time.perf_counter() - started)

        plan = frame_plan(blueprint)
        with HlsStream(plan, blueprint.output_config.fps, publish) as stream:
            render_blueprint(
                blueprint,
                resolve=lambda loc: ROOT / loc,
                out=out,
                cache_dir=Path(cache),
                stream=stream,
            )
        print(json.dumps(first))


def _import_mezzanines(blueprint: Blueprint, cache: Path) -> None:
    """Make the clips' mezzanines as `bachata moves import` does, timed on their own:
    the cold render then starts from imported clips and an empty piece cache."""
    from bachata.media import sha256_file
    from bachata.render.cache import prepare_for_cutting

    clips = sorted({ROOT / m.video_path for m in blueprint.moves})
    started = time.perf_counter()
    made = [p for c in clips if (p := prepare_for_cutting(c, sha256_file(c), cache))]
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in made) / 2**20
    print(
        f"  import {seconds:6.1f} s   mezzanines of {len(made)} of {len(clips)} clips, "
        f"{size:.0f} MB (the clips: {sum(c.stat().st_size for c in clips) / 2**20:.0f} MB)"
    )


def main() -> None:
    for library in ("real", "demo"):
        if library == "real" and not (CLIPS / "reference-beats.json").is_file():
            print(f"== render (real footage): {CLIPS} not found, skipped")
            continue
        blueprint = _blueprint(library)
        clips = len({m.video_path for m in blueprint.moves})
        print(
            f"== render ({library} clips): {blueprint.total_duration:.0f} s blueprint, "
            f"{len(blueprint.moves)} moves of {clips} clips, "
            f"{blueprint.output_config.resolution} @ {blueprint.output_config.fps} fps"
        )
        work = Path(tempfile.mkdtemp(prefix="bench-render-"))
        try:
            blueprint_file = work / "blueprint.json"
            blueprint_file.write_text(blueprint.to_json())
            _import_mezzanines(blueprint, work / "cache")
            seconds = {}
            for kind, target in (("cold", 30), ("warm", 2), ("naive", None)):
                seconds[kind], peak, report = _render_in_child(kind, blueprint_file, work / "cache")
                goal = f" (targets: <= {target} s, <= 300 MB)" if target else ""
                size = (work / f"{kind}.mp4").stat().st_size
                rate = size * 8 / blueprint.total_duration / 1e6
                print(
                    f"  {kind:<6} {seconds[kind]:6.1f} s   peak RSS {peak:5.0f} MB   "
                    f"{rate:4.2f} Mb/s{goal}"
                )
                if "first_segment_s" in report:
                    watch = {"cold": 10, "warm": 5}[kind]
                    print(
                        f"         stream playable after {report['first_segment_s']:.1f} s "
                        f"(target <= {watch} s)"
                    )
            ratio = seconds["naive"] / seconds["cold"]
            print(f"  cold is {ratio:.1f}x faster than naive (target >= 4.5x on real footage)")
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 4:
        _child(*sys.argv[1:])
    else:
        main()
