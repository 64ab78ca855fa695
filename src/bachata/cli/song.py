"""``bachata song``: add, analyse and list songs."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from bachata.cli.root import BachataGroup, setup_django

AUDIO = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(cls=BachataGroup)
def song() -> None:
    """Songs: add one to the library, analyse any audio file, list the library."""


@song.command()
@click.argument("file", type=AUDIO)
@click.option("--title", help="Song title (default: the file name).")
@click.option("--artist", default="", help="Artist name.")
def add(file: Path, title: str | None, artist: str) -> None:
    """Add FILE (mp3, wav, ogg, flac, m4a) to the library and analyse it once."""
    setup_django()
    from rich.console import Console

    from bachata.choreography.services import song_add

    with Console(stderr=True).status(f"Analysing {file.name}…"):
        added, created = song_add(path=file, title=title, artist=artist)
    verb = "added" if created else "already in the library"
    click.echo(
        f"song {added.pk} {verb}: {added.title} — {added.bpm:.1f} BPM, {added.duration:.1f} s "
        f"({added.audio_path})"
    )


@song.command()
@click.argument("file", type=AUDIO)
@click.option("--json", "as_json", is_flag=True, help="Print the whole analysis as JSON.")
def analyse(file: Path, as_json: bool) -> None:
    """Analyse FILE without storing anything: tempo, beats, downbeats, 8-counts, sections."""
    from bachata.music import analyse as run_analysis
    from bachata.music import decode_audio, probe_audio
    from bachata.music.analysis import SR

    probe_audio(file)
    result = run_analysis(decode_audio(file, sr=SR), SR)
    if as_json:
        data = result.to_dict()
        data["timings"] = {k: round(v, 4) for k, v in result.timings.items()}
        click.echo(json.dumps(data))
        return
    click.echo(
        f"{file.name}: {result.bpm:.2f} BPM, {result.duration:.1f} s, "
        f"confidence {result.confidence:.2f}"
    )
    click.echo(
        f"beats {len(result.beats)}, 8-counts {len(result.eight_counts)}, "
        f"pulse starts at {result.pulse_start:.2f} s"
    )
    for section in result.sections:
        s = asdict(section)
        click.echo(f"  {s['start']:7.2f}-{s['end']:7.2f} s  {s['kind']:<6} {s['energy_level']}")


@song.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_songs(as_json: bool) -> None:
    """List the songs in the library."""
    setup_django()
    from bachata.choreography.selectors import songs_all

    rows = [
        {
            "id": s.pk,
            "title": s.title,
            "artist": s.artist,
            "bpm": s.bpm,
            "duration": s.duration,
            "audio_path": s.audio_path,
        }
        for s in songs_all()
    ]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for r in rows:
        click.echo(
            f"{r['id']:>4}  {r['title'][:40]:<40} {r['artist'][:20]:<20} "
            f"{r['bpm'] or 0:6.1f} BPM {r['duration'] or 0:6.1f} s"
        )


@song.command()
@click.argument("song_id", type=int, metavar="SONG")
@click.option(
    "--shift-beats",
    type=click.IntRange(-7, 7),
    default=0,
    help="Move the 1 by this many beats (-1: one beat earlier).",
)
@click.option("--tempo", type=click.Choice(["double", "half"]), help="Double or halve the tempo.")
@click.option("--reset", is_flag=True, help="Back to the analysed grid.")
@click.option("--json", "as_json", is_flag=True, help="Print the grid as JSON.")
def grid(song_id: int, shift_beats: int, tempo: str | None, reset: bool, as_json: bool) -> None:
    """Show SONG's beat grid (bpm, beats, downbeats, 8-counts); with options, correct it.

    Corrections are stored with the song, apply to every new plan and never change the
    stored analysis. They add up: --shift-beats 1 twice moves the 1 by two beats.
    """
    setup_django()
    from bachata.choreography import selectors, services

    found = selectors.song_find(song_id=song_id)
    if shift_beats or tempo or reset:
        services.song_grid_correct(
            song=found, user=None, shift_beats=shift_beats, tempo=tempo, reset=reset
        )
    document = services.song_grid_document(song=found)
    if as_json:
        click.echo(json.dumps(document))
        return
    correction = document["correction"] or "none (as analysed)"
    click.echo(
        f"song {found.pk}: {found.title} — {document['bpm']:.2f} BPM, correction: {correction}"
    )
    click.echo(
        f"downbeat confidence {document['downbeat_confidence']:.2f}"
        + ("  — please check where the 1 is" if document["check_the_one"] else "")
    )
    ones = document["eight_counts"]
    click.echo(f"{len(ones)} 8-counts; the first 1s at {', '.join(f'{t:.2f}' for t in ones[:8])} s")
