"""Reads of the song and move libraries."""

from __future__ import annotations

from dataclasses import fields

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from bachata.blueprint import SongInfo
from bachata.choreography.models import (
    Move,
    Song,
)
from bachata.errors import BachataError, NotFound
from bachata.music import SongAnalysis
from bachata.planner import LibraryMove


def song_info(*, song: Song) -> SongInfo:
    """The blueprint's song block, filled from the songs table."""
    if song.bpm is None or song.duration is None:
        raise BachataError(f"song {song.pk} has not been analysed")
    return SongInfo(
        id=song.pk, **{name: getattr(song, name) for name in SongInfo.model_fields if name != "id"}
    )


def moves_list(
    *,
    style: str | None = None,
    difficulty: str | None = None,
    energy_level: str | None = None,
    library: str | None = None,
) -> QuerySet[Move]:
    """The moves of every library (or of ``library``), optionally filtered, by id."""
    moves = Move.objects.order_by("move_id")
    if library:
        moves = moves.filter(library=library)
    if style:
        moves = moves.filter(style=style)
    if difficulty:
        moves = moves.filter(difficulty=difficulty)
    if energy_level:
        moves = moves.filter(energy_level=energy_level)
    return moves


#: Names the blueprint's move block and the planner give to columns of the moves table.
_COLUMNS = {"tempo": "tempo_bpm", "entry": "entry_position", "exit": "exit_position"}
_BLOCK = [
    "move_id",
    "library",
    "role",
    "move_name",
    "video_path",
    "duration",
    "difficulty",
    "energy_level",
    "style",
    "length_counts",
    "tempo",
    "count1_offset",
    "entry",
    "exit",
]


def _column(move: Move, name: str) -> object:
    return getattr(move, _COLUMNS.get(name, name))


def move_block(move: Move) -> dict[str, object]:
    """A move as the blueprint's move block describes it (without its place in a song)."""
    return {name: _column(move, name) for name in _BLOCK}


def library_move(move: Move) -> LibraryMove:
    """A stored move as the planner sees it."""
    return LibraryMove(**{f.name: _column(move, f.name) for f in fields(LibraryMove)})


def planner_library(*, library: str | None = None) -> list[LibraryMove]:
    """Every move (of ``library``, or of every library) as the planner sees it."""
    return [library_move(m) for m in moves_list(library=library)]


#: The ``library`` that asks for every library's moves in one plan (mixing on request).
ALL_LIBRARIES = "all"


def default_library() -> str | None:
    """The library a plan draws from when none is chosen: the largest library of filmed
    dancers; the stick-figure ``demo`` library only when it is the only one (None: no
    moves at all)."""
    from bachata.moves.manifest import DEMO_LIBRARY

    sizes = move_libraries()
    filmed = {name: n for name, n in sizes.items() if name != DEMO_LIBRARY}
    if filmed:
        return max(sorted(filmed), key=filmed.__getitem__)
    return DEMO_LIBRARY if DEMO_LIBRARY in sizes else None


def move_libraries() -> dict[str, int]:
    """The libraries and how many moves each has, by name."""
    from django.db.models import Count

    rows = Move.objects.values_list("library").annotate(n=Count("pk")).order_by("library")
    return dict(rows)


def visible_songs(*, user: AbstractBaseUser) -> QuerySet[Song]:
    """Songs a user can dance to: the shared library and their own uploads."""
    from django.db.models import Q

    return Song.objects.filter(Q(uploaded_by__isnull=True) | Q(uploaded_by=user)).order_by("title")


def song_get(*, song_id: int, user: AbstractBaseUser) -> Song:
    """A song the user can see (the shared library or their own), or NotFound."""
    song = visible_songs(user=user).filter(pk=song_id).first()
    if song is None:
        raise NotFound(f"no song {song_id}")
    return song


def song_find(*, song_id: int | None = None, title: str | None = None) -> Song:
    """Any user's song by id or title, for operators (the CLI); NotFound if none."""
    songs = Song.objects.all()
    if song_id is not None:
        songs = songs.filter(pk=song_id)
    if title is not None:
        songs = songs.filter(title=title)
    song = songs.order_by("pk").first()
    if song is None:
        name = song_id if song_id is not None else repr(title)
        raise NotFound(f"no song {name}: see `bachata song list`")
    return song


def songs_all() -> QuerySet[Song]:
    """Every song of every user, by id (for operators)."""
    return Song.objects.order_by("pk")


def song_grid(*, song: Song | None) -> SongAnalysis | None:
    """The song's stored analysis with the dancer's grid correction applied, without
    analysing anything; None when there is no stored analysis."""
    if song is None or song.analysis is None:
        return None
    from bachata.music.grid import GridCorrection, apply_correction

    stored = SongAnalysis.from_dict(song.analysis.result)
    return apply_correction(stored, GridCorrection.from_dict(song.grid_correction))


def song_eight_counts(*, song: Song | None) -> list[float]:
    """The song's count-1 times (s) on its corrected grid (:func:`song_grid`); empty when
    there is no stored analysis."""
    grid = song_grid(song=song)
    return grid.eight_counts if grid is not None else []


def library_styles(*, library: str | None = None) -> set[str]:
    """The styles the move library (or ``library``) has at least one move of."""
    styles = moves_list(library=library).order_by().values_list("style", flat=True)
    return set(styles.distinct())
