"""``bachata moves``: import, list and generate the demo move library."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.cli.progress import progress_bar
from bachata.cli.root import BachataGroup, setup_django


@click.group(cls=BachataGroup)
def moves() -> None:
    """The move library: import clips, list moves, build the demo library."""


@moves.command(name="import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_(path: Path) -> None:
    """Import the clips described by PATH.

    PATH is a moves.json manifest, an existing Bachata Buddy
    data/bachata_annotations.json (clips under data/Bachata_steps/), or a folder holding
    either. Every clip is probed and validated; bad ones are listed and skipped, the rest
    are imported in one transaction. Re-importing changes nothing.
    """
    setup_django()
    from bachata.choreography.services import moves_import
    from bachata.moves.manifest import find_library, read_library

    specs, _ = read_library(find_library(path))
    with progress_bar("Checking clips", total=len(specs)) as advance:
        report = moves_import(path=path, progress=lambda _move_id: advance())
    for problem in report.skipped:
        click.echo(f"skipped {problem}", err=True)
    click.echo(report.summary())


@moves.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of move blocks.")
@click.option("--style", type=click.Choice(STYLES), help="Only this style.")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), help="Only this difficulty.")
@click.option("--energy", type=click.Choice(ENERGY_LEVELS), help="Only this energy level.")
def list_moves(
    as_json: bool, style: str | None, difficulty: str | None, energy: str | None
) -> None:
    """Show the move library."""
    setup_django()
    from bachata.choreography.selectors import move_block, moves_list

    rows = [
        move_block(m) for m in moves_list(style=style, difficulty=difficulty, energy_level=energy)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        click.echo(
            f"{r['move_id']:<22} {r['move_name'][:26]:<26} {r['style']:<9} {r['difficulty']:<12} "
            f"{r['energy_level']:<6} {r['length_counts']:>3} counts {r['tempo']:6.1f} BPM"
        )
    click.echo(f"{len(rows)} moves")


@moves.command()
@click.option("--resolution", default="1280x720", show_default=True, help="Clip size WIDTHxHEIGHT.")
@click.option("--fps", default=30, show_default=True, help="Clip frame rate.")
@click.option("--no-import", is_flag=True, help="Only write the files.")
def demo(resolution: str, fps: int, no_import: bool) -> None:
    """Generate the built-in demo library and demo songs (once) and import them."""
    setup_django()
    from django.conf import settings

    from bachata.moves.demo import DEMO_MOVES, DEMO_SONGS, build_demo_library, build_demo_songs

    width, height = (int(v) for v in resolution.lower().split("x"))
    config = settings.BACHATA
    with progress_bar("Demo clips", total=len(DEMO_MOVES)) as advance:
        manifest = build_demo_library(
            config.moves_dir, size=(width, height), fps=fps, progress=lambda _move_id: advance()
        )
    songs = build_demo_songs(config.data_dir / "demo")
    if no_import:
        click.echo(f"wrote {manifest} and {len(songs)} songs")
        return
    from bachata.choreography.services import moves_import, song_add

    report = moves_import(path=manifest)
    click.echo(f"demo moves: {report.summary()}")
    for path, (_stem, title, _bpm, _seed) in zip(songs, DEMO_SONGS, strict=True):
        song, _ = song_add(path=path, title=title, artist="Bachata Buddy demo band")
        click.echo(f"demo song {song.pk}: {song.title} ({song.bpm:.1f} BPM, {song.duration:.0f} s)")


@moves.command(name="set-timing")
@click.argument("move_id", metavar="MOVE")
@click.option("--count1", type=float, help="Seconds into the clip where count 1 falls.")
@click.option("--tempo", type=float, help="The clip's tempo in BPM.")
def set_timing(move_id: str, count1: float | None, tempo: float | None) -> None:
    """Set MOVE's count 1 and/or tempo by hand (re-imports keep them).

    Use it when a clip's measured timing is off: watch the clip, note where the
    dancers' 1 is and the tempo of its music.
    """
    if count1 is None and tempo is None:
        raise click.UsageError("give --count1, --tempo or both")
    setup_django()
    from bachata.choreography.services import move_timing_set

    move = move_timing_set(move_id=move_id, count1_offset=count1, tempo=tempo)
    click.echo(
        f"{move.move_id}: count 1 at {move.count1_offset:.3f} s, {move.tempo_bpm:.2f} BPM, "
        f"{move.length_counts} counts"
    )
