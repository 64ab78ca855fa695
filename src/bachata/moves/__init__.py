"""The move library: clip metadata, probing, timing and the demo clips."""

from bachata.moves.manifest import MoveSpec, Problem, find_library, read_library
from bachata.moves.probe import ClipError, ClipInfo, probe_clip
from bachata.moves.timing import ClipTiming, clip_timing

__all__ = [
    "ClipError",
    "ClipInfo",
    "ClipTiming",
    "MoveSpec",
    "Problem",
    "clip_timing",
    "find_library",
    "probe_clip",
    "read_library",
]
