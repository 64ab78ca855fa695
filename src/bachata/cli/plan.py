"""``bachata plan``: a blueprint for a song, from its stored analysis and the library."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.cli.root import setup_django
from bachata.errors import NotFound


@click.command()
@click.argument("song")
@click.option(
    "--difficulty", "-d", type=click.Choice(DIFFICULTIES), default="beginner", show_default=True
)
@click.option(
    "--energy", "-e", type=click.Choice(ENERGY_LEVELS), default="medium", show_default=True
)
@click.option("--style", "-s", type=click.Choice(STYLES), default="modern", show_default=True)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed gives the same plan.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the blueprint JSON here instead of printing it.",
)
@click.option(
    "--library",
    help="The move library to draw from (default: the largest library of filmed dancers; "
    "'all' mixes every library).",
)
@click.option("--report", is_flag=True, help="Print the quality report instead of the blueprint.")
def plan(
    song: str,
    difficulty: str,
    energy: str,
    style: str,
    seed: int,
    out: Path | None,
    report: bool,
    library: str | None,
) -> None:
    """Plan a choreography for SONG (a stored song's id, or an audio file to add first).

    Prints the blueprint (or writes it with --out); nothing is stored and no video is
    rendered. The quality report (share of moves on a "1", tempo mismatch, repeats,
    energy correlation) is part of the blueprint; --report prints just that.
    """
    setup_django()
    from bachata.choreography.selectors import song_find
    from bachata.choreography.services import choreography_plan, song_add

    if song.isdigit():
        stored = song_find(song_id=int(song))
    elif Path(song).is_file():
        stored, _ = song_add(path=Path(song))
    else:
        raise NotFound(f"{song!r} is neither a song id nor an audio file")
    from bachata.planner.quality import alignment_summary

    blueprint = choreography_plan(
        song=stored,
        difficulty=difficulty,
        energy_level=energy,
        style=style,
        seed=seed,
        library=library,
    )
    if report:
        assert blueprint.quality is not None
        data = blueprint.quality.model_dump(mode="json")
        data["fallbacks"] = blueprint.generation_parameters.fallbacks or []
        data["moves"] = len(blueprint.moves)
        data["summary"] = alignment_summary(blueprint.quality)
        click.echo(json.dumps(data, indent=2))
        return
    text = blueprint.to_json(indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}: {len(blueprint.moves)} moves, {blueprint.total_duration:.1f} s")
    else:
        click.echo(text)
