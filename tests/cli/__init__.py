"""Shared by the CLI tests."""

from __future__ import annotations

import subprocess
import sys


def bachata(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``python -m bachata.cli ARGS`` in a process of its own with ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "bachata.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
