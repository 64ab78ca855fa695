"""Local storage under the data root (development, CI, single machines)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from bachata.errors import BachataError, NotFound
from bachata.storage.base import AREAS, check_name


class LocalStorage:
    """Files under ``root``; locations are paths relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def put(self, area: str, name: str, source: Path, *, move: bool = False) -> str:
        """Copy ``source`` into the area via a temporary file and an atomic rename.

        With ``move`` the source is renamed into place when it is on the same file system.
        """
        folder, _ = AREAS[area]
        location = f"{folder}/{check_name(name)}"
        target = self.root / location
        if target.exists() and target.resolve() == Path(source).resolve():
            return location  # already in place (e.g. a library generated into the area)
        target.parent.mkdir(parents=True, exist_ok=True)
        if move:
            try:
                os.replace(source, target)
                return location
            except OSError:  # another file system: copy below
                pass
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-", suffix=target.suffix)
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return location

    def local_path(self, location: str) -> Path:
        """The file behind ``location`` (must stay inside the root)."""
        if location.startswith("gs://"):
            raise BachataError(f"{location}: gs:// locations need BACHATA_STORAGE=gcs")
        path = Path(location)
        resolved = (path if path.is_absolute() else self.root / check_name(location)).resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise BachataError(f"{location!r} is outside the data root")
        if not resolved.is_file():
            raise NotFound(f"{location}: no such file")
        return resolved

    def exists(self, location: str) -> bool:
        """Whether the file exists."""
        try:
            self.local_path(location)
        except (NotFound, BachataError):
            return False
        return True

    def signed_url(self, location: str, *, seconds: int, filename: str | None = None) -> str | None:
        """Local files have no URL of their own: the app serves them."""
        return None

    def delete(self, location: str) -> None:
        """Remove the file if it is there."""
        with contextlib.suppress(NotFound):
            self.local_path(location).unlink(missing_ok=True)
