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
@click.argument("source")
@click.option(
    "--library",
    help="Name of the library (default: the manifest's, or the source's name).",
)
def import_(source: str, library: str | None) -> None:
    """Import the move library at SOURCE.

    SOURCE is a moves.json manifest, an existing Bachata Buddy
    data/bachata_annotations.json (clips under data/Bachata_steps/), a folder holding
    either (e.g. a checkout of a Bachata Buddy repository), or the git URL of such a
    repository, of which only data/ is fetched (shallow and sparse, into the cache):

        bachata moves import https://github.com/erickrex/bachata_buddy

    Every clip is probed and validated; bad ones are listed and skipped, the rest are
    imported in one transaction. Ids are unique within a library, so libraries coexist;
    re-importing changes nothing.
    """
    setup_django()
    from django.conf import settings

    from bachata.choreography.services import moves_import
    from bachata.moves.manifest import as_library_name, find_library, read_library
    from bachata.moves.sources import fetch_repository, is_git_url, repository_name

    if is_git_url(source):
        click.echo(f"fetching data/ of {source} ...", err=True)
        path = fetch_repository(source, settings.BACHATA.cache_dir)
        library = library or as_library_name(repository_name(source))
    else:
        path = Path(source)
        if not path.exists():
            raise click.BadParameter(f"{source}: no such file or folder", param_hint="SOURCE")
    specs, _ = read_library(find_library(path))
    with progress_bar("Checking and preparing clips", total=len(specs)) as advance:
        report = moves_import(path=path, library=library, progress=lambda _move_id: advance())
    for problem in report.skipped:
        click.echo(f"skipped {problem}", err=True)
    click.echo(report.summary())


@moves.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of move blocks.")
@click.option("--style", type=click.Choice(STYLES), help="Only this style.")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), help="Only this difficulty.")
@click.option("--energy", type=click.Choice(ENERGY_LEVELS), help="Only this energy level.")
@click.option("--library", help="Only the moves of this library.")
def list_moves(
    as_json: bool,
    style: str | None,
    difficulty: str | None,
    energy: str | None,
    library: str | None,
) -> None:
    """Show the move libraries and their moves."""
    setup_django()
    from bachata.choreography.selectors import move_block, move_libraries, moves_list

    moves = moves_list(style=style, difficulty=difficulty, energy_level=energy, library=library)
    rows = [move_block(m) for m in moves]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    width = max((len(r["move_id"]) for r in rows), default=10)
    for r in rows:
        click.echo(
            f"{r['move_id']:<{width}} {r['move_name'][:26]:<26} {r['role']:<8} {r['style']:<9} "
            f"{r['difficulty']:<12} {r['energy_level']:<6} {r['length_counts']:>3} counts "
            f"{r['tempo']:6.1f} BPM"
        )
    libraries = ", ".join(f"{name} ({count})" for name, count in move_libraries().items())
    click.echo(f"{len(rows)} moves; libraries: {libraries or 'none'}")


@moves.command()
@click.option("--library", required=True, help="The library to remove.")
@click.option(
    "--force",
    is_flag=True,
    help="Remove even if stored blueprints use its moves (they are kept, marked unrenderable).",
)
def remove(library: str, force: bool) -> None:
    """Remove a library's moves and clip files.

    Refused while stored blueprints use them, unless --force.
    """
    setup_django()
    from bachata.choreography.services import moves_remove

    report = moves_remove(library=library, force=force)
    marked = (
        f"; {report.blueprints_marked} blueprints kept, marked unrenderable"
        if report.blueprints_marked
        else ""
    )
    click.echo(f"removed library {library}: {report.moves} moves, {report.files} clips{marked}")


@moves.command()
@click.option("--resolution", default="1280x720", show_default=True, help="Clip size WIDTHxHEIGHT.")
@click.option("--fps", default=30, show_default=True, help="Clip frame rate.")
@click.option("--no-import", is_flag=True, help="Only write the files.")
@click.option(
    "--import-moves/--songs-only",
    default=True,
    help="Also import the stick-figure library (test material), or only add the songs.",
)
def demo(resolution: str, fps: int, no_import: bool, import_moves: bool) -> None:
    """Generate the demo songs and the stick-figure demo library (once) and import them."""
    setup_django()
    from django.conf import settings

    from bachata.demo.clips import DEMO_MOVES, DEMO_SONGS, build_demo_library, build_demo_songs
    from bachata.moves.manifest import DEMO_LIBRARY

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

    if import_moves:
        report = moves_import(path=manifest, library=DEMO_LIBRARY)
        click.echo(f"demo moves (stick figures): {report.summary()}")
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
