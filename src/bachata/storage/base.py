"""The storage interface and the factory that picks a backend from the configuration."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Protocol

from bachata.config import Config
from bachata.errors import BachataError

#: area -> (local folder under the data root, GCS prefix)
AREAS: dict[str, tuple[str, str]] = {
    "songs": ("songs", "songs"),
    "moves": ("Bachata_steps", "moves"),
    "choreographies": ("choreographies", "choreographies"),
    # the preview stream of a running render: <task_id>/index.m3u8 and its segments
    "streams": ("streams", "streams"),
}


def check_name(name: str) -> str:
    """A file name inside an area: relative, no ``..``, no backslashes or NUL bytes."""
    parts = name.split("/")
    bad_part = any(p in ("", ".", "..") for p in parts)
    if not name or bad_part or any(c in name for c in ("\\", "\x00", ":")):
        raise BachataError(f"{name!r} is not a valid storage name")
    return name


class Storage(Protocol):
    """Put files into an area and get readable local copies back."""

    def put(self, area: str, name: str, source: Path, *, move: bool = False) -> str:
        """Store ``source`` as ``name`` in ``area`` atomically; return its location.

        ``move`` allows consuming ``source`` (renaming it into place where possible).
        """
        ...

    def local_path(self, location: str) -> Path:
        """A local file with the content of ``location`` (a cached copy for remote ones)."""
        ...

    def exists(self, location: str) -> bool:
        """Whether ``location`` holds a complete file."""
        ...

    def delete(self, location: str) -> None:
        """Remove ``location`` if it exists."""
        ...

    def signed_url(self, location: str, *, seconds: int, filename: str | None = None) -> str | None:
        """A URL that lets whoever holds it read ``location`` for ``seconds`` (with byte
        ranges), offering ``filename`` as a download; ``None`` where the backend has no
        such URLs (local files are served by the app itself)."""
        ...


def storage_for(config: Config, *, client: object | None = None) -> Storage:
    """The backend named by ``BACHATA_STORAGE`` (``local`` or ``gcs``).

    Made once per settings and reused (a Google Cloud client authenticates and opens its
    connection pool when made: once per process, not once per request), unless a
    ``client`` is given.
    """
    return _storage(config, client) if client is not None else _shared_storage(config)


@cache
def _shared_storage(config: Config) -> Storage:
    return _storage(config, None)


def _storage(config: Config, client: object | None) -> Storage:
    if config.storage == "local":
        from bachata.storage.local import LocalStorage

        return LocalStorage(config.data_dir)
    if config.storage == "gcs":
        from bachata.storage.gcs import GCSStorage

        return GCSStorage(config.gcs_bucket, config.cache_dir / "gcs", client=client)
    raise BachataError(f"BACHATA_STORAGE={config.storage!r}: use 'local' or 'gcs'")
