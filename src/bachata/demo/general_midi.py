"""Sampled instruments for the evaluation corpus: a General MIDI score played by FluidSynth.

The synthetic band of :mod:`bachata.demo.synth` is made of sines and noise, the very
material the analyser was developed on. To hear whether it holds on timbres it was not
made from, the same arrangement can be written as a Standard MIDI File and rendered
through a General MIDI soundfont (recorded nylon and steel guitars, bass, bongos, güiro)
by the ``fluidsynth`` program. ``make test`` and ``make bench`` install both from Debian
(``fluidsynth``, ``fluid-soundfont-gm``); :func:`render_general_midi` takes another
``.sf2`` file.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Where Debian's soundfont packages put a General MIDI soundfont, in order of preference.
SOUNDFONTS = (
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
    Path("/usr/share/soundfonts/default.sf2"),
)
#: The General MIDI percussion channel (0-based).
DRUMS = 9
#: Each part of the band: (channel, General MIDI program, or the percussion key on the
#: drum channel; the part's loudest level in the arrangement, played near velocity 120).
GM_PARTS: dict[str, tuple[int, int, float]] = {
    "requinto": (0, 25, 0.16),  # Acoustic Guitar (steel)
    "strum": (1, 24, 0.18),  # Acoustic Guitar (nylon)
    "bass": (2, 33, 0.85),  # Electric Bass (finger)
    "pad": (3, 48, 0.05),  # String Ensemble 1
    "voice": (4, 52, 0.12),  # Choir Aahs
    "guira": (DRUMS, 73, 0.5),  # Short Guiro
    "bongo_high": (DRUMS, 60, 0.3),  # Hi Bongo
    "bongo_low": (DRUMS, 61, 0.55),  # Low Bongo
    "crash": (DRUMS, 49, 0.25),  # Crash Cymbal 1
}
#: Ticks per quarter note; at the file's default tempo (120 BPM) that is 1/1920 s a tick.
DIVISION = 960
TICKS_PER_S = DIVISION * 2


class SoundfontError(RuntimeError):
    """FluidSynth or a General MIDI soundfont is missing, or rendering failed."""


@dataclass(frozen=True)
class Note:
    """One note of a score: start and length in seconds, channel, key and velocity."""

    start_s: float
    length_s: float
    channel: int
    key: int
    velocity: int


def _varlen(value: int) -> bytes:
    """A MIDI variable-length quantity.

    >>> _varlen(0), _varlen(127), _varlen(128), _varlen(0x3FFF)
    (b'\\x00', b'\\x7f', b'\\x81\\x00', b'\\xff\\x7f')
    """
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def midi_file(notes: list[Note], programs: dict[int, int]) -> bytes:
    """A Standard MIDI File (format 0) of ``notes``, each channel set to its program."""
    events = [(0, 0, bytes([0xC0 | channel, p])) for channel, p in programs.items()]
    for n in notes:
        on = max(0, round(n.start_s * TICKS_PER_S))
        off = on + max(1, round(n.length_s * TICKS_PER_S))
        events.append((on, 2, bytes([0x90 | n.channel, n.key, n.velocity])))
        events.append((off, 1, bytes([0x80 | n.channel, n.key, 0])))
    events.sort(key=lambda e: (e[0], e[1]))  # at one tick: programs, note-offs, note-ons
    track, now = bytearray(), 0
    for tick, _, message in events:
        track += _varlen(tick - now) + message
        now = tick
    track += b"\x00\xff\x2f\x00"  # end of track
    header = b"MThd" + struct.pack(">IHHH", 6, 0, 1, DIVISION)
    return header + b"MTrk" + struct.pack(">I", len(track)) + bytes(track)


def find_soundfont(candidates: tuple[Path, ...] = SOUNDFONTS) -> Path:
    """The first of ``candidates`` that exists (default: Debian's General MIDI soundfonts)."""
    for path in candidates:
        if path.is_file():
            return path
    raise SoundfontError(
        f"no General MIDI soundfont at {', '.join(map(str, candidates))}: "
        "`make soundfont` installs Debian's fluid-soundfont-gm"
    )


def render_general_midi(
    notes: list[Note],
    programs: dict[int, int],
    *,
    sr: int,
    seconds: float,
    soundfont: Path | None = None,
) -> np.ndarray:
    """``notes`` played by FluidSynth through ``soundfont`` (default:
    :func:`find_soundfont`): mono float32 audio of ``seconds`` and one more of silence,
    as the synth's mixer makes it (the reverb's tail is cut)."""
    program = shutil.which("fluidsynth")
    if program is None:
        raise SoundfontError("the fluidsynth program is missing: `make soundfont` installs it")
    import soundfile

    with tempfile.TemporaryDirectory(prefix="bachata-gm-") as tmp:
        score, wav = Path(tmp) / "score.mid", Path(tmp) / "band.wav"
        score.write_bytes(midi_file(notes, programs))
        command = [program, "-n", "-i", "-q", "-r", str(sr), "-g", "0.5", "-T", "wav"]
        command += ["-O", "float", "-F", str(wav), str(soundfont or find_soundfont()), str(score)]
        done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        # It exits 0 when the soundfont is no soundfont (and plays its default one).
        if done.returncode != 0 or "error" in done.stderr.lower() or not wav.is_file():
            raise SoundfontError(f"fluidsynth failed: {done.stderr.strip()[-500:]}")
        audio, rate = soundfile.read(wav, dtype="float32", always_2d=True)
    if rate != sr:
        raise SoundfontError(f"fluidsynth rendered at {rate} Hz, not {sr} Hz")
    mono = audio.mean(axis=1)
    out = np.zeros(int(seconds * sr) + sr, dtype=np.float32)
    out[: min(len(out), len(mono))] = mono[: len(out)]
    return out
