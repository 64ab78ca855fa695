"""``bachata demo``: the whole product end to end on the built-in demo data."""

from __future__ import annotations

import json

import click

from bachata.cli.root import setup_django
from bachata.demo import DEMO_PASSWORD, DEMO_USER

#: The library the demo's dancers are imported as (the original project's name).
DEMO_DANCERS = "bachata_buddy"


def ensure_demo_user():
    """The demo account (an ordinary user), created on first use."""
    from bachata.choreography import selectors, services

    user = selectors.user_find(username=DEMO_USER)
    return user or services.user_register(username=DEMO_USER, password=DEMO_PASSWORD)


@click.command()
@click.option("--difficulty", default="intermediate", show_default=True)
@click.option("--energy", default="medium", show_default=True)
@click.option("--style", default="modern", show_default=True)
@click.option("--seed", default=7, show_default=True)
def demo(difficulty: str, energy: str, style: str, seed: int) -> None:
    """Demo data, a demo user, a song analysed, a blueprint stored, the render queued and
    worked through the local job backend, and the video written to data/choreographies/.

    The last line printed is the path of the video.
    """
    setup_django()
    from pathlib import Path

    from django.conf import settings

    from bachata.blueprint import OutputConfig
    from bachata.choreography import selectors
    from bachata.choreography.services import choreography_create, moves_import
    from bachata.cli.moves import demo as build_demo_data
    from bachata.cli.worker import run_worker
    from bachata.demo.clips import DEMO_SONGS
    from bachata.errors import BachataError

    click.get_current_context().invoke(build_demo_data, import_moves=False)
    # The real dancers the project carries (a curated copy of the original library, MIT).
    dancers = Path(__file__).resolve().parents[3] / "tests" / "data" / "upstream-clips"
    report = moves_import(path=dancers, library=DEMO_DANCERS)
    click.echo(f"dancers: {report.summary()}")
    user = ensure_demo_user()
    song = selectors.song_find(title=DEMO_SONGS[0][1])
    click.echo(f"demo user: {DEMO_USER} / {DEMO_PASSWORD}")
    click.echo(f"song: {song.title} — {song.bpm:.1f} BPM, {song.duration:.0f} s (analysed once)")

    task = choreography_create(
        user=user,
        song=song,
        difficulty=difficulty,
        energy_level=energy,
        style=style,
        seed=seed,
        library=DEMO_DANCERS,
        # The clips are 320x180 copies: 360p is as large as they look like video.
        output_config=OutputConfig(resolution="640x360", fps=30),
    )
    blueprint = task.blueprint.blueprint_json
    click.echo(
        f"task {task.task_id}: blueprint stored, render queued (JOB_BACKEND={settings.JOB_BACKEND})"
    )
    for move in blueprint["moves"]:
        click.echo(
            f"  {move['start_time']:7.2f}-{move['end_time']:7.2f} s  "
            f"{move['move_name']:<26} x{move['speed']:.3f}  {move['energy_level']}"
        )
    from bachata.blueprint import QualityReport
    from bachata.planner.quality import alignment_summary

    quality = blueprint["quality"]
    click.echo(
        f"{len(blueprint['moves'])} moves, {blueprint['total_duration']:.1f} s; "
        f"{alignment_summary(QualityReport(**quality))}, repeats: "
        f"{quality['back_to_back_repeats']}, energy correlation: "
        f"{quality['energy_correlation']}"
    )

    if settings.JOB_BACKEND == "local":
        click.echo("working the queue (bachata worker --once)…")
        run_worker(concurrency=1, once=True)
    task = selectors.task_get(task_id=task.task_id, user=user)
    if task.status != "completed":
        raise BachataError(f"the render did not complete: {task.status} {task.error_message}")
    click.echo(f"render: {json.dumps(task.render_stats)}")
    click.echo("see the blueprint in psql:")
    click.echo(
        f'  .venv/bin/bachata db psql -c "SELECT jsonb_pretty(blueprint_json) '
        f"FROM blueprints WHERE task_id = '{task.task_id}';\""
    )
    click.echo(str(settings.BACHATA.data_dir / task.output_video_uri))
