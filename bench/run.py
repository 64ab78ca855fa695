"""`make bench`: run every benchmark in this folder, each in its own process, and print
its figures (separate processes: each sets up its own database and settings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = ["analysis", "downbeats", "planner", "render", "api", "stats", "load"]

if __name__ == "__main__":
    here = Path(__file__).parent
    failed = []
    for name in sys.argv[1:] or BENCHMARKS:
        code = f"import sys; sys.path.insert(0, {str(here)!r}); import {name}; {name}.main()"
        if subprocess.run([sys.executable, "-c", code]).returncode != 0:
            failed.append(name)
        print()
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")
