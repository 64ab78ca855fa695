"""Song pages: the library, upload, and a song's beat grid to check and correct."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bachata.choreography import selectors, services
from bachata.choreography.models import Song
from bachata.choreography.web.forms import (
    SongUploadForm,
)
from bachata.choreography.web.shortcuts import stored
from bachata.errors import BachataError, NotFound


@login_required
def songs(request: HttpRequest) -> HttpResponse:
    form = SongUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            song, created = services.song_add_upload(
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                artist=form.cleaned_data["artist"],
                user=request.user,
            )
        except BachataError as exc:
            form.add_error("file", str(exc))
        else:
            verb = "added" if created else "was already in your library"
            messages.success(request, f"{song.title} {verb}: {song.bpm:.1f} BPM")
            return redirect("web-songs")
    library = selectors.visible_songs(user=request.user)
    return render(request, "bachata/songs.html", {"form": form, "songs": library})


@login_required
def song_page(request: HttpRequest, song_id: int) -> HttpResponse:
    """A song's beat grid: hear a click on each 1, move it, halve or double it, or tap it."""
    song = _visible_song(request, song_id)
    if request.method == "POST":
        try:
            services.song_grid_correct(
                song=song,
                user=request.user,
                shift_beats=int(request.POST.get("shift_beats") or 0),
                tempo=request.POST.get("tempo") or None,
                taps=_taps(request.POST.get("taps", "")),
                reset=bool(request.POST.get("reset")),
            )
        except (BachataError, ValueError) as exc:
            messages.error(request, str(exc) if isinstance(exc, BachataError) else "bad input")
        else:
            messages.success(request, "Grid saved: new choreographies of this song use it.")
        return redirect("web-song", song_id=song.pk)
    grid = services.song_grid_document(song=song)
    data = {k: grid[k] for k in ("beats", "downbeats", "eight_counts")}
    can_correct = request.user.is_staff or song.uploaded_by_id == request.user.pk
    return render(
        request,
        "bachata/song.html",
        {"song": song, "grid": grid, "grid_data": data, "can_correct": can_correct},
    )


def _visible_song(request: HttpRequest, song_id: int) -> Song:
    try:
        return selectors.song_get(song_id=song_id, user=request.user)
    except NotFound:
        raise Http404("no such song") from None


def _taps(text: str) -> list[float] | None:
    values = [float(v) for v in text.split(",") if v.strip()][:256]
    return values or None


@login_required
def song_audio(request: HttpRequest, song_id: int) -> HttpResponse:
    """The song's audio, with byte ranges so that the player can seek."""
    return stored(request, _visible_song(request, song_id).audio_path)
