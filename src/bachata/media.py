"""The ffmpeg binary (from the imageio-ffmpeg wheel) and a helper to run it."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

from bachata.errors import BachataError


@cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped inside the ``imageio-ffmpeg`` wheel."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, timeout: float | None = None) -> None:
    """Run ``ffmpeg -hide_banner -loglevel error -y <args>``; raise with its stderr on failure."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise BachataError(f"ffmpeg failed: {result.stderr.strip()[-2000:]}")


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
