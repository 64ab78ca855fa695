"""Where a move library comes from: a folder, a file, or a git repository.

A Bachata Buddy repository keeps its library in ``data/`` (annotations and clips). Only
that folder is fetched: a shallow, sparse, blob-filtered clone into the cache, updated in
place on the next import of the same URL.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bachata.errors import BachataError

_GIT_URL = re.compile(r"^(?:https?|ssh|git|file)://\S+$|^[\w.\-]+@[\w.\-]+:\S+$")


def is_git_url(source: str) -> bool:
    """True for a git URL (https://, ssh://, git://, file:// or user@host:path)."""
    return bool(_GIT_URL.match(source.strip()))


def repository_name(url: str) -> str:
    """The repository's name in ``url``: ``bachata_buddy`` for
    ``https://github.com/erickrex/bachata_buddy.git``."""
    last = re.split(r"[/:]", url.strip().rstrip("/"))[-1]
    return last.removesuffix(".git") or "library"


def _git(*args: str, cwd: Path | None = None) -> None:
    git = shutil.which("git")
    if git is None:
        raise BachataError("importing from a git URL needs git: install it, or pass a folder")
    result = subprocess.run(
        [git, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )
    if result.returncode != 0:
        raise BachataError(f"git {args[0]} failed: {result.stderr.strip()[-800:]}")


def fetch_repository(url: str, cache_dir: Path) -> Path:
    """Fetch only ``data/`` of the repository at ``url`` (its default branch, no history)
    into ``cache_dir/sources/``; return the checkout's folder.

    A second call with the same URL updates the checkout in place. Nothing is left
    behind when the fetch fails.

    Raises
    ------
    BachataError
        When git is missing or the repository cannot be fetched (the reason is git's).
    """
    digest = hashlib.sha256(url.strip().encode()).hexdigest()[:12]
    target = Path(cache_dir) / "sources" / f"{repository_name(url)}-{digest}"
    if (target / ".git").is_dir():
        _git("fetch", "--depth", "1", "--filter=blob:none", "origin", "HEAD", cwd=target)
        _git("reset", "--hard", "FETCH_HEAD", cwd=target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=".incoming-"))
    try:
        clone = partial / "checkout"
        _git(
            "clone", "--depth", "1", "--filter=blob:none", "--sparse", "--no-tags", "--quiet",
            url.strip(), str(clone),
        )  # fmt: skip
        _git("sparse-checkout", "set", "data", cwd=clone)
        clone.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target
