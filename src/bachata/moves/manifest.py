"""Move-library metadata: the project's manifest and existing Bachata Buddy annotations.

Two formats are read into :class:`MoveSpec` records:

**Manifest** (``moves.json``, this project's own)::

    {"library": "my_school",                # optional: the library's name
     "moves": [{
        "move_id": "basic_side",            # unique, letters/digits/_ . -
        "move_name": "Side Basic",
        "file": "basic/basic_side.mp4",     # relative to the manifest's folder
        "style": "modern",                  # modern | sensual | dominican | bolero
        "difficulty": "beginner",           # beginner | intermediate | advanced
        "energy_level": "low",              # low | medium | high
        "counts": 8,                        # length in counts, a multiple of 8
        "tempo": 120.0,                     # BPM the clip was danced at (optional)
        "count1_offset": 0.5,               # seconds into the clip of count 1 (optional)
        "entry": "closed", "exit": "closed",# dance positions, for transitions (optional)
        "family": "basic",                  # optional grouping
        "role": "basic"                     # basic turn travel styling dip intro outro
                                            # footwork (optional: else from family/id)
    }]}

**Annotations** (``data/bachata_annotations.json`` of existing Bachata Buddy data)::

    {"clips": [{"clip_id": "basic_step_1", "video_path": "basic/basic_step.mp4",
                "move_label": "basic", "energy_level": "low", "estimated_tempo": 120,
                "difficulty": "beginner"}]}

with the clips under ``data/Bachata_steps/``.

Every import belongs to a named **library**: the manifest's ``library``, else the name
of its source (the repository or folder: ``bachata_buddy`` for
``.../bachata_buddy/data/bachata_annotations.json``). Ids are unique within a library;
in the database and in blueprints a move's id is ``<library>:<id>``, except in the
built-in ``demo`` library whose ids stay bare. So the demo and real libraries coexist.

Annotations carry no style, length or
count-1 offset: the style comes from the move label (body waves, hip and head rolls are
sensual; footwork and golpes dominican; bolero moves bolero; the rest modern), the
length and offset are measured from the clip.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bachata.blueprint.vocabulary import normalise_difficulty, normalise_energy, normalise_style
from bachata.errors import BachataError

POSITIONS = ("closed", "open", "shadow", "apart")

#: The built-in library (``bachata moves demo``); its move ids carry no library prefix.
DEMO_LIBRARY = "demo"
_LIBRARY_NAME = re.compile(r"[a-z0-9][a-z0-9_\-]{0,39}")

#: Word stems that decide a move's style, first match wins; matched inside the label,
#: then inside the clip id, so "bodywaves" and "sensual_basic" are sensual, not modern.
_STYLE_BY_STEM = [
    (("bolero",), "bolero"),
    (("sensual", "wave", "roll", "caricia", "dip", "cambre"), "sensual"),
    (("footwork", "golpe", "dominican", "traditional", "shine"), "dominican"),
]

#: What a move does in a routine (the planner's building blocks).
ROLES = ("basic", "turn", "travel", "styling", "dip", "intro", "outro", "footwork")

#: Word stems that decide a move's role, first match wins (same matching as styles).
_ROLE_BY_STEM = [
    (("intro",), "intro"),
    (("outro", "ending", "finale"), "outro"),
    (("dip", "cambre", "pose"), "dip"),
    (("footwork", "golpe", "ocho", "shine"), "footwork"),
    (("spin", "turn", "vuelta", "hammerlock", "wrap"), "turn"),
    (("cross_body", "crossbody", "paseala", "travel", "walk"), "travel"),
    (("wave", "roll", "caricia", "styl", "arm", "brush", "machete", "hair"), "styling"),
]


@dataclass
class MoveSpec:
    """One clip and its metadata as read from a manifest (not yet validated)."""

    move_id: str
    move_name: str
    source: Path
    name: str  # file name inside the moves area, e.g. "basic/basic_side.mp4"
    style: str
    difficulty: str
    energy_level: str
    counts: int | None = None
    tempo: float | None = None
    count1_offset: float | None = None
    #: A coarse tempo (an annotation's ``estimated_tempo``): it only picks the octave of
    #: the tempo measured from the clip's audio.
    tempo_hint: float | None = None
    entry: str = "closed"
    exit: str = "closed"
    family: str = ""
    role: str = "basic"


@dataclass
class Problem:
    """A clip that was skipped, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def _humanise(identifier: str) -> str:
    words = re.sub(r"[_\-.]+", " ", identifier).strip()
    words = re.sub(r"\s+\d+$", "", words)  # basic_step_1 -> basic step
    return words.title() or identifier


def _first_stem(rules: list[tuple[tuple[str, ...], str]], *names: str) -> str | None:
    text = " ".join(n.lower().replace("-", "_") for n in names)
    for stems, value in rules:
        if any(stem in text for stem in stems):
            return value
    return None


def style_for_label(label: str, move_id: str = "") -> str:
    """The style of a move: its label's (the category its author gave it), else its clip
    id's ("sensual_basic" in the basic category is sensual), else modern."""
    return _first_stem(_STYLE_BY_STEM, label) or _first_stem(_STYLE_BY_STEM, move_id) or "modern"


def role_for_label(label: str, move_id: str = "") -> str:
    """The role of a move (one of :data:`ROLES`) from its label and clip id: intro,
    outro, dip/pose, footwork, turn, travel, styling; anything else is a basic."""
    return _first_stem(_ROLE_BY_STEM, label, move_id) or "basic"


def _role(value: Any, where: str) -> str:
    role = str(value).strip().lower()
    if role not in ROLES:
        raise BachataError(f"{where} {role!r}: use one of {', '.join(ROLES)}")
    return role


def _relative(value: str, where: str) -> str:
    path = value.replace("\\", "/")
    if not path or path.startswith("/") or ".." in path.split("/") or "\x00" in path:
        raise BachataError(f"{where}: {value!r} must be a relative path inside the library")
    return path


def find_library(path: Path) -> Path:
    """The metadata file behind ``path``: a manifest/annotations file or a folder holding one.

    Looks in the folder for ``moves.json``, ``bachata_annotations.json`` and
    ``data/bachata_annotations.json``.
    """
    path = Path(path)
    if path.is_file():
        return path
    for candidate in ("moves.json", "bachata_annotations.json", "data/bachata_annotations.json"):
        if (path / candidate).is_file():
            return path / candidate
    raise BachataError(
        f"{path}: no moves.json or data/bachata_annotations.json found; "
        "see `bachata moves import --help` for the formats"
    )


def check_library_name(name: str) -> str:
    """``name`` if it is a valid library name (lower-case letters, digits, _ -, max 40)."""
    if not _LIBRARY_NAME.fullmatch(name):
        raise BachataError(
            f"library name {name!r}: use lower-case letters, digits, _ and - (max 40)"
        )
    return name


def library_name(path: Path) -> str:
    """The name of the library behind ``path``: the manifest's ``library`` if it has one,
    else its source's name (the folder holding ``data/`` for annotations, the manifest's
    folder otherwise), made a valid library name."""
    meta = find_library(path).resolve()
    try:
        declared = json.loads(meta.read_text(encoding="utf-8")).get("library")
    except (OSError, ValueError, AttributeError):
        declared = None
    if isinstance(declared, str) and declared.strip():
        return check_library_name(declared.strip())
    folder = meta.parent
    if meta.name == "bachata_annotations.json" and folder.name == "data":
        folder = folder.parent
    return as_library_name(folder.name)


def as_library_name(text: str) -> str:
    """``text`` (a folder or repository name) made a valid library name."""
    name = re.sub(r"[^a-z0-9_\-]+", "_", text.lower()).strip("_-")[:40]
    return check_library_name(name or "library")


def qualified_id(library: str, move_id: str) -> str:
    """A move's id in the database and in blueprints (see the module docstring)."""
    return move_id if library == DEMO_LIBRARY else f"{library}:{move_id}"


def read_library(path: Path) -> tuple[list[MoveSpec], list[Problem]]:
    """Read a manifest or annotations file into move specs and the problems found.

    Entries with unusable metadata are reported as problems and left out; files are not
    opened here (see :func:`bachata.moves.probe.probe_clip`).
    """
    meta = find_library(path)
    try:
        data: Any = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BachataError(f"{meta}: not a readable JSON file ({exc})") from None
    if isinstance(data, dict) and isinstance(data.get("moves"), list):
        return _read_entries(data["moves"], meta, _manifest_entry)
    if isinstance(data, dict) and isinstance(data.get("clips"), list):
        return _read_entries(data["clips"], meta, _annotation_entry)
    raise BachataError(f"{meta}: expected an object with a 'moves' or 'clips' list")


def _read_entries(entries: list[Any], meta: Path, parse) -> tuple[list[MoveSpec], list[Problem]]:
    specs: list[MoveSpec] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"{meta.name}[{index}]"
        try:
            if not isinstance(entry, dict):
                raise BachataError("expected an object")
            spec = parse(entry, meta)
        except (BachataError, KeyError, TypeError, ValueError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            problems.append(Problem(where, reason))
            continue
        if spec.move_id in seen:
            problems.append(Problem(f"{where} {spec.source}", f"duplicate id {spec.move_id!r}"))
            continue
        seen.add(spec.move_id)
        specs.append(spec)
    return specs, problems


def _check_id(value: Any) -> str:
    move_id = str(value).strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}", move_id):
        raise BachataError(f"move id {move_id!r}: use letters, digits, _ . - (max 100)")
    return move_id


def _position(value: Any, where: str) -> str:
    position = str(value or "closed").strip().lower()
    if position not in POSITIONS:
        raise BachataError(f"{where} {position!r}: use one of {', '.join(POSITIONS)}")
    return position


def _manifest_entry(entry: dict[str, Any], meta: Path) -> MoveSpec:
    name = _relative(str(entry["file"]), "file")
    counts = entry.get("counts")
    if counts is not None and (int(counts) < 8 or int(counts) % 8):
        raise BachataError(f"counts {counts!r} must be a multiple of 8")
    tempo = entry.get("tempo")
    if tempo is not None and not 40 <= float(tempo) <= 250:
        raise BachataError(f"tempo {tempo!r} must be between 40 and 250 BPM")
    offset = entry.get("count1_offset")
    if offset is not None and float(offset) < 0:
        raise BachataError(f"count1_offset {offset!r} must not be negative")
    move_id = _check_id(entry["move_id"])
    return MoveSpec(
        move_id=move_id,
        move_name=str(entry.get("move_name") or _humanise(move_id))[:200],
        source=meta.parent / name,
        name=name,
        style=normalise_style(entry["style"]),
        difficulty=normalise_difficulty(entry["difficulty"]),
        energy_level=normalise_energy(entry["energy_level"]),
        counts=int(counts) if counts is not None else None,
        tempo=float(tempo) if tempo is not None else None,
        count1_offset=float(offset) if offset is not None else None,
        entry=_position(entry.get("entry"), "entry"),
        exit=_position(entry.get("exit"), "exit"),
        family=str(entry.get("family") or "")[:40],
        role=_role(entry["role"], "role")
        if entry.get("role")
        else role_for_label(str(entry.get("family") or ""), move_id),
    )


def _annotation_entry(entry: dict[str, Any], meta: Path) -> MoveSpec:
    name = _relative(str(entry["video_path"]), "video_path")
    # data/bachata_annotations.json -> data/Bachata_steps/<video_path>
    root = meta.parent / "Bachata_steps"
    label = str(entry.get("move_label") or name.split("/")[0])
    tempo = entry.get("estimated_tempo")
    move_id = _check_id(entry["clip_id"])
    return MoveSpec(
        move_id=move_id,
        move_name=_humanise(move_id),
        source=root / name,
        name=name,
        style=normalise_style(entry["style"])
        if entry.get("style")
        else style_for_label(label, move_id),
        difficulty=normalise_difficulty(entry["difficulty"]),
        energy_level=normalise_energy(entry["energy_level"]),
        tempo_hint=float(tempo) if tempo not in (None, "", 0) else None,
        family=label[:40],
        role=_role(entry["role"], "role") if entry.get("role") else role_for_label(label, move_id),
    )
