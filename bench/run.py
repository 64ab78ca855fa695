"""`make bench`: run every benchmark in this folder and print its figures."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

BENCHMARKS = ["analysis", "planner", "render", "api", "load"]

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    for name in sys.argv[1:] or BENCHMARKS:
        importlib.import_module(name).main()
        print()
