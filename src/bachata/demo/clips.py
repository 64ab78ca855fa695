"""The built-in demo library and demo songs, generated here (nothing is downloaded).

Each demo clip is a real video of one move: a coloured stage, the move's name, a large
count 1-8 that changes exactly on the beat, a stick-figure dancer stepping the bachata
basic rhythm (three steps and a tap), and a click track in its audio (a high click on
count 1) so that tempo and count 1 can also be measured from the clip itself. Clips
start with a short lead-in before count 1, like real recordings.
"""

from __future__ import annotations

import colorsys
import json
import math
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bachata.demo.synth import SR, _tone, synth_bachata, write_wav
from bachata.media import encode_audio, ffmpeg_exe
from bachata.moves.manifest import DEMO_LIBRARY

LEAD_IN_S = 0.5
TAIL_S = 0.3


@dataclass(frozen=True)
class DemoMove:
    """Metadata of one demo move (the manifest entry, minus the file)."""

    move_id: str
    move_name: str
    family: str
    style: str
    difficulty: str
    energy_level: str
    counts: int
    tempo: float
    entry: str = "closed"
    exit: str = "closed"


#: The demo moves, one per row: counts in beats (8s), tempo in BPM; every one starts
#: and ends in closed position.
_MOVE_TABLE = """
id                  family    style      difficulty    energy  8s  bpm  name
basic_side          basic     modern     beginner      low     8   120  Side Basic
basic_forward_back  basic     modern     beginner      medium  8   126  Forward-Back Basic
box_step            basic     modern     beginner      medium  16  118  Box Step
lady_turn           turn      modern     beginner      high    8   128  Lady Right Turn
cross_body_lead     turn      modern     intermediate  medium  16  122  Cross-Body Lead
hammerlock          turn      modern     intermediate  high    16  130  Hammerlock
arm_styling         styling   modern     intermediate  low     8   116  Arm Styling
double_spin         spin      modern     advanced      high    8   132  Double Spin
shadow_combo        shadow    modern     advanced      medium  16  124  Shadow Combination
turn_pattern_combo  turn      modern     advanced      low     16  121  Turn Pattern Combination
hip_roll            body      sensual    beginner      low     8   114  Hip Roll
sensual_basic       basic     sensual    beginner      medium  8   118  Sensual Basic
sensual_turn        turn      sensual    beginner      high    8   124  Sensual Turn
body_wave           body      sensual    intermediate  low     8   112  Body Wave
head_roll           body      sensual    advanced      medium  8   116  Head Roll
dip_combo           dip       sensual    advanced      high    16  120  Dip Combination
dominican_basic     basic     dominican  beginner      medium  8   130  Dominican Basic
dominican_side_tap  basic     dominican  beginner      low     8   127  Dominican Side Tap
golpes              footwork  dominican  intermediate  high    8   134  Golpes
footwork_combo      footwork  dominican  advanced      high    16  136  Footwork Combination
"""
DEMO_MOVES: tuple[DemoMove, ...] = tuple(
    DemoMove(id_, name, family, style, difficulty, energy, int(counts), int(bpm))
    for id_, family, style, difficulty, energy, counts, bpm, name in (
        row.split(maxsplit=7) for row in _MOVE_TABLE.strip().splitlines()[1:]
    )
)

#: Demo songs: (file stem, title, BPM, seed).
DEMO_SONGS: tuple[tuple[str, str, float, int], ...] = (
    ("demo_corazon_124", "Corazón de Prueba", 124.0, 11),
    ("demo_noche_132", "Noche Sintética", 132.0, 12),
)

# Side basic: position (in steps) at each count boundary 0..8 (1-2-3-tap, 5-6-7-tap).
_STEPS = [0, 1, 1, 2, 2, 1, 1, 0, 0]


def move_colour(index: int) -> tuple[int, int, int]:
    """A distinct, dark-ish stage colour for the move at ``index``."""
    hue = (index * 0.61803398875) % 1.0
    r, g, b = colorsys.hsv_to_rgb(hue, 0.55, 0.55)
    return int(r * 255), int(g * 255), int(b * 255)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _click_audio(move: DemoMove, total_s: float) -> np.ndarray:
    beat = 60.0 / move.tempo
    audio = np.zeros(int(total_s * SR) + SR, dtype=np.float32)
    high, low = _tone(1760, 0.04, SR, 0.012), _tone(880, 0.04, SR, 0.012)
    for i in range(move.counts):
        start = round((LEAD_IN_S + i * beat) * SR)
        click, gain = (high, 0.8) if i % 8 == 0 else (low, 0.5)
        audio[start : start + len(click)] += gain * click[: len(audio) - start]
    return audio[: int(total_s * SR)]


def render_move_clip(
    move: DemoMove,
    out: Path,
    *,
    size: tuple[int, int] = (1280, 720),
    fps: int = 30,
    colour: tuple[int, int, int] = (60, 40, 90),
) -> None:
    """Render one demo clip to ``out`` (H.264 + AAC MP4).

    The count shown in frame ``k`` is the count whose beat started at or before
    ``k / fps``: it changes on the first frame at or after each beat.
    """
    width, height = size
    beat = 60.0 / move.tempo
    total = LEAD_IN_S + move.counts * beat + TAIL_S
    n_frames = math.ceil(total * fps)
    scale = height / 720

    base = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(base)
    draw.text(
        (int(40 * scale), int(30 * scale)),
        move.move_name,
        fill="white",
        font=_font(max(10, int(64 * scale))),
    )
    info = f"{move.difficulty} · {move.energy_level} energy · {move.style} · {move.tempo:g} BPM"
    draw.text(
        (int(42 * scale), int(110 * scale)),
        info,
        fill=(230, 230, 230),
        font=_font(max(8, int(30 * scale))),
    )
    digit_font = _font(max(20, int(300 * scale)))

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "click.wav"
        write_wav(str(wav), _click_audio(move, total), SR)
        command = [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            f"{width}x{height}",
            "-r",
            str(fps),
            "-i",
            "-",
            "-i",
            str(wav),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "26",
            "-pix_fmt",
            "yuv420p",
            "-g",
            str(fps),
            "-c:a",
            "aac",
            "-b:a",
            "96k",
            "-movflags",
            "+faststart",
            str(out),
        ]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdin is not None
        try:
            for k in range(n_frames):
                t = k / fps
                frame = base.copy()
                pen = ImageDraw.Draw(frame)
                counted = (t - LEAD_IN_S) / beat
                label = str(int(counted) % 8 + 1) if 0 <= counted < move.counts else "·"
                pen.text(
                    (int(width * 0.62), int(height * 0.32)), label, fill="white", font=digit_font
                )
                _draw_dancer(pen, move, counted, width, height, scale)
                proc.stdin.write(frame.tobytes())
            proc.stdin.close()
        except BrokenPipeError:
            pass
        if proc.wait() != 0:
            raise RuntimeError(f"ffmpeg failed rendering {out}: {proc.stderr.read().decode()}")


def _draw_dancer(
    pen: ImageDraw.ImageDraw, move: DemoMove, counted: float, width: int, height: int, scale: float
) -> None:
    """A stick figure stepping 1-2-3-tap; turns and spins swing their arms overhead."""
    c = min(max(counted, 0.0), move.counts - 1e-6) % 8
    i = int(c)
    x_steps = _STEPS[i] + (_STEPS[i + 1] - _STEPS[i]) * (c - i)
    cx = int(width * 0.22 + x_steps * 70 * scale)
    ground = int(height * 0.88)
    hip = ground - int(170 * scale)
    shoulder = hip - int(140 * scale)
    lw = max(2, int(8 * scale))
    tap = i in (3, 7)
    swing = math.sin(2 * math.pi * counted / 2)
    width_factor = abs(math.cos(math.pi * counted / 2)) if move.family in ("turn", "spin") else 1
    feet = int(45 * scale * max(0.3, width_factor))
    lift = int(30 * scale) if tap else 0
    pen.line([(cx, hip), (cx - feet, ground)], fill="white", width=lw)
    pen.line([(cx, hip), (cx + feet, ground - lift)], fill="white", width=lw)
    pen.line([(cx, hip), (cx, shoulder)], fill="white", width=lw)
    hand_y = shoulder - int(90 * scale) if move.family in ("turn", "spin") else hip
    arm = int(80 * scale * max(0.3, width_factor))
    pen.line([(cx, shoulder), (cx - arm, hand_y + int(20 * scale * swing))], fill="white", width=lw)
    pen.line([(cx, shoulder), (cx + arm, hand_y - int(20 * scale * swing))], fill="white", width=lw)
    r = int(32 * scale)
    pen.ellipse([cx - r, shoulder - 2 * r - 4, cx + r, shoulder - 4], outline="white", width=lw)


def build_demo_library(
    folder: Path,
    *,
    size: tuple[int, int] = (1280, 720),
    fps: int = 30,
    moves: Iterable[DemoMove] = DEMO_MOVES,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the demo clips and their ``moves.json`` manifest into ``folder``.

    Clips that exist with the same settings are reused, so a second call is instant.
    Returns the manifest's path.
    """
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    stamp = f"{size[0]}x{size[1]}@{fps}"
    for index, move in enumerate(moves):
        name = f"{move.family}/{move.move_id}.mp4"
        target = folder / name
        marker = target.with_suffix(".settings")
        if not (target.exists() and marker.exists() and marker.read_text() == stamp):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial.mp4")
            render_move_clip(move, partial, size=size, fps=fps, colour=move_colour(index))
            partial.replace(target)
            marker.write_text(stamp)
        if progress:
            progress(move.move_id)
        entry = asdict(move)
        entry["file"] = name
        entry["count1_offset"] = LEAD_IN_S
        entries.append(entry)
    manifest = folder / "moves.json"
    document = {"library": DEMO_LIBRARY, "moves": entries}
    manifest.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return manifest


def build_demo_songs(folder: Path) -> list[Path]:
    """Write the demo songs (synthetic bachata, >= 60 s, different tempos) as MP3 files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, _title, bpm, seed in DEMO_SONGS:
        target = folder / f"{stem}.mp3"
        if not target.exists():
            song = synth_bachata(bpm=bpm, seed=seed)
            with tempfile.TemporaryDirectory() as tmp:
                wav = Path(tmp) / "song.wav"
                write_wav(str(wav), song.audio, song.sr)
                partial = Path(tmp) / "song.mp3"
                encode_audio(wav, partial)
                partial.replace(target)
        paths.append(target)
    return paths
