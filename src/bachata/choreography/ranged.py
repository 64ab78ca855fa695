"""Serving media files with byte ranges, so that browsers can seek in videos and songs.

Django's ``FileResponse`` (and its development server) answer every request with the
whole file and ``200``; a ``<video>`` then reports nothing seekable. This answers
``Range: bytes=a-b`` with ``206 Partial Content`` and ``Content-Range``, an unsatisfiable
range with ``416``, and honours ``If-None-Match`` / ``If-Modified-Since`` (``304``) and
``If-Range``. One range per request (what media elements ask for); a multi-range
request gets the whole file.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path
from typing import TypedDict, Unpack

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.utils.http import http_date, parse_http_date_safe

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
#: Largest chunk sent for an open-ended range (``bytes=N-``): players ask again.
CHUNK_BYTES = 8 * 1024 * 1024


class _FileSlice:
    """A read-only window ``[start, start + length)`` of an open file (for FileResponse)."""

    def __init__(self, handle, start: int, length: int) -> None:
        self.handle = handle
        self.remaining = length
        handle.seek(start)

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.handle.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


def _etag(path: Path) -> str:
    stat = path.stat()
    key = f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()
    return '"' + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:20] + '"'


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte positions, ``None`` for a header we serve whole; raises
    ``ValueError`` for a range the file cannot satisfy."""
    match = _RANGE.match(header.strip())
    if match is None:
        return None  # not bytes=, or several ranges: answer with the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        n = int(last)
        if n == 0:
            raise ValueError("empty suffix range")
        return max(0, size - n), size - 1
    start = int(first)
    if start >= size:
        raise ValueError("range starts after the end of the file")
    end = min(int(last), size - 1) if last else min(size - 1, start + CHUNK_BYTES - 1)
    if end < start:
        raise ValueError("range ends before it starts")
    return start, end


class FileOptions(TypedDict, total=False):
    """How a file is answered (see :func:`ranged_file_response`)."""

    content_type: str | None
    filename: str | None
    as_attachment: bool


def stored_file_response(
    request: HttpRequest, location: str, **options: Unpack[FileOptions]
) -> HttpResponse:
    """A stored file (video, song) for a reader the caller has already checked.

    Where storage gives signed URLs (Google Cloud Storage), a redirect to one that
    expires after ``BACHATA_SIGNED_URL_SECONDS`` (never cached: each visit signs anew;
    Cloud Storage serves the byte ranges; a download is offered under ``filename``, by
    default the object's name); otherwise the local file with byte ranges
    (:func:`ranged_file_response`, which takes the same ``options``).
    """
    from django.conf import settings

    from bachata.storage import storage_for

    config = settings.BACHATA
    storage = storage_for(config)
    filename = options.get("filename")
    download = (filename or location.rsplit("/", 1)[-1]) if options.get("as_attachment") else None
    url = storage.signed_url(location, seconds=config.signed_url_seconds, filename=download)
    if url:
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    return ranged_file_response(request, storage.local_path(location), **options)


def ranged_file_response(
    request: HttpRequest,
    path: Path,
    *,
    content_type: str | None = None,
    filename: str | None = None,
    as_attachment: bool = False,
) -> HttpResponse:
    """The file at ``path`` as a response that supports byte ranges and revalidation.

    Parameters
    ----------
    request
        The request (its ``Range``, ``If-Range``, ``If-None-Match`` and
        ``If-Modified-Since`` headers are honoured).
    path
        A readable local file.
    content_type
        The media type to answer with (default: guessed from the file name).
    filename
        The name offered to save the file under.
    as_attachment
        Ask the browser to download rather than play.
    """
    path = Path(path)
    content_type = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    stat = path.stat()
    size = stat.st_size
    etag = _etag(path)
    modified = int(stat.st_mtime)
    if_none_match = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    if (if_none_match and etag in {t.strip() for t in if_none_match.split(",")}) or (
        not if_none_match and since is not None and modified <= since
    ):
        response: HttpResponse = HttpResponseNotModified()
        response["ETag"] = etag
        return response

    span = None
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if header and (not if_range or if_range.strip() in (etag, http_date(modified))):
        try:
            span = _parse_range(header, size)
        except ValueError:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response

    handle = path.open("rb")
    if span is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = span
        response = FileResponse(
            _FileSlice(handle, start, end - start + 1), content_type=content_type, status=206
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    if filename:
        disposition = "attachment" if as_attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def thumbnail_response(path: Path) -> FileResponse:
    """A task's thumbnail (JPEG): private, kept by the browser for a day."""
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
