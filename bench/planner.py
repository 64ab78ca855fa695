"""Planning speed on a 5-minute song once its analysis is stored (`make bench`).

Times what the service does after its two queries: decode the stored analysis JSON and
plan against the demo library, for several requests.
"""

from __future__ import annotations

import json
import time

from bachata.blueprint import Blueprint, SongInfo
from bachata.demo.library import demo_library
from bachata.demo.synth import synth_bachata
from bachata.music import SongAnalysis, analyse
from bachata.planner import PlanRequest, plan_choreography

STRUCTURE = (
    ("derecho", 32),
    ("majao", 16),
    ("break", 2),
    ("mambo", 16),
    ("derecho", 32),
    ("majao", 16),
    ("mambo", 16),
    ("derecho", 24),
)


def bench_blueprint() -> Blueprint:
    """A realistic blueprint (5-minute song, demo library) for filling databases."""
    song = synth_bachata(bpm=128, structure=STRUCTURE, seed=3)
    analysis = analyse(song.audio, song.sr)
    info = SongInfo(
        id=1,
        title="bench",
        artist="",
        audio_path="songs/bench.mp3",
        bpm=analysis.bpm,
        duration=analysis.duration,
    )
    return plan_choreography(
        analysis=analysis,
        song=info,
        library=demo_library(),
        request=PlanRequest("intermediate", "medium", "modern", seed=1),
        task_id="00000000-0000-4000-8000-000000000000",
    )


def main() -> None:
    song = synth_bachata(bpm=128, structure=STRUCTURE, seed=3)
    stored = json.dumps(analyse(song.audio, song.sr).to_dict())
    library = demo_library()
    print(f"== planner: {song.duration / 60:.1f}-minute song, {len(library)} moves")
    times = []
    for difficulty, energy, style in [
        ("beginner", "low", "modern"),
        ("intermediate", "medium", "sensual"),
        ("advanced", "high", "dominican"),
    ] * 5:
        started = time.perf_counter()
        analysis = SongAnalysis.from_dict(json.loads(stored))
        info = SongInfo(
            id=1,
            title="bench",
            artist="",
            audio_path="songs/bench.mp3",
            bpm=analysis.bpm,
            duration=analysis.duration,
        )
        blueprint = plan_choreography(
            analysis=analysis,
            song=info,
            library=library,
            request=PlanRequest(difficulty, energy, style, seed=1),
            task_id="00000000-0000-4000-8000-000000000000",
        )
        times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"  plan: median {times[len(times) // 2] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms"
        f" ({len(blueprint.moves)} moves; target <= 100 ms)"
    )


if __name__ == "__main__":
    main()
