"""Adding songs: validate the audio, store it content-addressed, analyse it once."""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from bachata.choreography.models import Song, SongAnalysisRecord
from bachata.errors import Forbidden
from bachata.media import sha256_file
from bachata.music import ANALYSER_VERSION, AudioError, SongAnalysis, analyse, decode_audio
from bachata.music.analysis import SR
from bachata.music.audio import probe_audio
from bachata.music.grid import (
    GridCorrection,
    apply_correction,
    grid_document,
    shift_from_taps,
)
from bachata.storage import storage_for

log = logging.getLogger(__name__)

MIN_SECONDS = 20.0
#: Largest upload accepted through the API or the web pages.
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
MAX_SECONDS = 15 * 60.0
#: Below this RMS level (dBFS) a file counts as silent.
SILENCE_DBFS = -60.0


def _check_length(name: str, seconds: float) -> None:
    if seconds < MIN_SECONDS:
        raise AudioError(
            f"{name}: {seconds:.1f} s is too short; a song must last at least {MIN_SECONDS:.0f} s"
        )
    if seconds > MAX_SECONDS:
        raise AudioError(
            f"{name}: {seconds / 60:.1f} min is too long; songs can last up to "
            f"{MAX_SECONDS / 60:.0f} min"
        )


def _analysis_record(sha: str, samples: np.ndarray) -> SongAnalysisRecord:
    """The stored analysis of this audio by the current analyser, computing it if needed."""
    record = SongAnalysisRecord.objects.filter(
        audio_sha256=sha, analyser_version=ANALYSER_VERSION
    ).first()
    if record is not None:
        return record
    started = time.perf_counter()
    result = analyse(samples, SR)
    seconds = time.perf_counter() - started
    log.info("song analysed", extra={"sha256": sha[:12], "bpm": result.bpm, "seconds": seconds})
    try:
        with transaction.atomic():
            return SongAnalysisRecord.objects.create(
                audio_sha256=sha,
                analyser_version=ANALYSER_VERSION,
                result=result.to_dict(),
                seconds=round(seconds, 3),
            )
    except IntegrityError:  # analysed concurrently by someone else: use theirs
        return SongAnalysisRecord.objects.get(audio_sha256=sha, analyser_version=ANALYSER_VERSION)


def song_add(
    *,
    path: Path,
    title: str | None = None,
    artist: str | None = None,
    user: AbstractBaseUser | None = None,
    original_name: str | None = None,
) -> tuple[Song, bool]:
    """Add a song from an audio file; return ``(song, created)``.

    The file is identified by content (mp3, wav, ogg, flac, m4a), must last 20 s to
    15 min and must not be silent. It is stored once under the songs area, named by its
    SHA-256, and analysed once. Adding the same audio again returns the owner's existing
    song; another user's upload of the same audio gets a song record of its own that
    shares the stored file and the analysis.

    Raises
    ------
    AudioError
        For anything wrong with the file; nothing is stored then.
    """
    path = Path(path)
    name = original_name or path.name
    info = probe_audio(path, name=name)
    if info.duration:
        _check_length(name, info.duration)
    sha = sha256_file(path)
    owned = Song.objects.filter(audio_sha256=sha, uploaded_by=user)
    existing = owned.first()
    if existing is not None:
        return existing, False
    twin = Song.objects.filter(audio_sha256=sha).select_related("analysis").first()
    if twin is not None and twin.analysis is not None:
        # Somebody else has this audio: share the stored file and its analysis, never
        # their song record (its title, artist and id are theirs).
        return _song_create(
            owned,
            title=title or Path(name).stem,
            artist=artist,
            audio_path=twin.audio_path,
            sha=sha,
            analysis=twin.analysis,
            user=user,
        )

    samples = decode_audio(path, sr=SR, max_seconds=MAX_SECONDS + 1, name=name)
    _check_length(name, len(samples) / SR)
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms == 0 or 20 * np.log10(rms) < SILENCE_DBFS:
        raise AudioError(f"{name}: the audio is silent")
    record = _analysis_record(sha, samples)
    result = SongAnalysis.from_dict(record.result)
    if not result.beats:
        raise AudioError(f"{name}: no steady beat was found; is this a song?")

    storage = storage_for(settings.BACHATA)
    location = storage.put("songs", f"{sha}.{info.extension}", path)
    try:
        return _song_create(
            owned,
            title=title or Path(name).stem,
            artist=artist,
            audio_path=location,
            sha=sha,
            analysis=record,
            user=user,
        )
    except BaseException:
        if not Song.objects.filter(audio_path=location).exists():
            storage.delete(location)
        raise


def _song_create(
    owned: QuerySet[Song],
    *,
    title: str,
    artist: str | None,
    audio_path: str,
    sha: str,
    analysis: SongAnalysisRecord,
    user: AbstractBaseUser | None,
) -> tuple[Song, bool]:
    result = SongAnalysis.from_dict(analysis.result)
    try:
        with transaction.atomic():
            song = Song.objects.create(
                title=title.replace("_", " ").strip()[:300] or "Untitled",
                artist=(artist or "").strip()[:300],
                audio_path=audio_path,
                audio_sha256=sha,
                bpm=result.bpm,
                duration=result.duration,
                analysis=analysis,
                uploaded_by=user,
            )
    except IntegrityError:  # the same owner added the same audio concurrently
        return owned.get(), False
    return song, True


def song_add_upload(
    *, upload: UploadedFile, title: str | None, artist: str, user: AbstractBaseUser | None
) -> tuple[Song, bool]:
    """:func:`song_add` for a file uploaded through the API or a web form."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise AudioError(
            f"{upload.name}: the file is over {MAX_UPLOAD_BYTES // 2**20} MB", code="too_large"
        )
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name or "").suffix[:10]) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        return song_add(
            path=Path(tmp.name),
            title=title or None,
            artist=artist or "",
            user=user,
            original_name=upload.name or "upload",
        )


def song_analysis(*, song: Song, corrected: bool = True) -> SongAnalysis:
    """The song's analysis by the current analyser; re-analysed only after a version bump.

    With ``corrected`` (the default, what plans use) the dancer's grid correction is
    applied; ``corrected=False`` gives the analysis as the analyser made it.
    """
    result = _raw_analysis(song)
    if not corrected:
        return result
    return apply_correction(result, GridCorrection.from_dict(song.grid_correction))


def _raw_analysis(song: Song) -> SongAnalysis:
    record = song.analysis
    if record is None or record.analyser_version != ANALYSER_VERSION:
        storage = storage_for(settings.BACHATA)
        samples = decode_audio(storage.local_path(song.audio_path), sr=SR)
        record = _analysis_record(song.audio_sha256, samples)
        result = SongAnalysis.from_dict(record.result)
        Song.objects.filter(pk=song.pk).update(
            analysis=record, bpm=result.bpm, duration=result.duration
        )
        song.analysis, song.bpm, song.duration = record, result.bpm, result.duration
        return result
    return SongAnalysis.from_dict(record.result)


def song_grid_correct(
    *,
    song: Song,
    user: AbstractBaseUser | None,
    shift_beats: int = 0,
    tempo: str | None = None,
    taps: list[float] | None = None,
    reset: bool = False,
) -> SongAnalysis:
    """Correct the song's beat grid, as a DJ fixes a beat grid, and return the new grid.

    The correction is relative to the grid as it stands (``shift_beats`` moves the "1" by
    whole beats, ``tempo`` doubles or halves it, ``taps`` puts the "1" under the
    dancer's taps, in seconds into the song); ``reset`` goes back to the analysed grid.
    It is stored with the song and used by every new plan; the stored analysis itself
    is never changed.

    ``user`` is who asks (``None``: an operator at the command line).

    Raises
    ------
    Forbidden
        For a song of the shared library, unless the user is staff, or another user's.
    GridError
        When the correction leaves no 8-count, or fewer than two taps were given.
    """
    if user is not None and not (
        user.is_staff or (song.uploaded_by_id is not None and song.uploaded_by_id == user.pk)
    ):
        raise Forbidden("only the person who uploaded a song (or staff) can correct its grid")
    raw = song_analysis(song=song, corrected=False)
    correction = GridCorrection() if reset else GridCorrection.from_dict(song.grid_correction)
    if taps:
        shift_beats += shift_from_taps(apply_correction(raw, correction), taps)
    correction = correction.then(shift_beats=shift_beats, tempo=tempo)
    grid = apply_correction(raw, correction)  # raises GridError before anything is stored
    song.grid_correction = None if correction.is_identity else correction.to_dict()
    Song.objects.filter(pk=song.pk).update(grid_correction=song.grid_correction)
    log.info("song grid corrected", extra={"song_id": song.pk, "correction": song.grid_correction})
    return grid


def song_grid_document(*, song: Song) -> dict[str, object]:
    """The grid plans use, as the API, CLI and web page show it (see ``grid_document``)."""
    analysis = song_analysis(song=song)
    document = grid_document(analysis, GridCorrection.from_dict(song.grid_correction))
    return {"song_id": song.pk, **document}
