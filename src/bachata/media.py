"""The ffmpeg binary (from the imageio-ffmpeg wheel) and a helper to run it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from functools import cache
from pathlib import Path

from bachata.errors import BachataError


@cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped inside the ``imageio-ffmpeg`` wheel."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


#: util-linux's setpriv gives ffmpeg a parent-death signal: when the process (thread)
#: that started it dies — a render job killed with SIGKILL — ffmpeg is killed too
#: instead of encoding on for nobody. Without setpriv, ffmpeg runs as it is.
_SETPRIV = shutil.which("setpriv")


def dies_with_parent(command: list[str]) -> list[str]:
    """``command`` made to receive SIGKILL when the thread that starts it dies (see
    :data:`_SETPRIV`); unchanged where setpriv is missing."""
    return [_SETPRIV, "--pdeathsig", "KILL", *command] if _SETPRIV else command


def run_ffmpeg(args: list[str], *, timeout: float | None = None) -> None:
    """Run ``ffmpeg -hide_banner -loglevel error -y <args>``; raise with its stderr on failure.

    ffmpeg dies with the process that runs it (see :data:`_SETPRIV`).
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    result = subprocess.run(
        dies_with_parent(command), capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise BachataError(f"ffmpeg failed: {result.stderr.strip()[-2000:]}")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's content, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def encode_audio(wav_path: Path, out_path: Path) -> None:
    """Encode a WAV file to the format of ``out_path``'s extension (mp3, ogg, flac, m4a)."""
    codec = {
        ".mp3": "libmp3lame",
        ".ogg": "libvorbis",
        ".flac": "flac",
        ".m4a": "aac",
        ".wav": "pcm_s16le",
    }[out_path.suffix.lower()]
    run_ffmpeg(["-i", str(wav_path), "-c:a", codec, str(out_path)])
