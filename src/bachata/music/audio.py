"""Reading audio files: probe (what is it?) and decode (mono float32 at a sample rate).

PyAV (FFmpeg's libraries) reads every format we accept — mp3, wav, ogg, flac, m4a —
by content, not by file name. Corrupt or non-audio input raises :class:`AudioError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from bachata.errors import AudioError

#: Container formats we accept, as FFmpeg names them, and the extension we store under.
ACCEPTED_FORMATS: dict[str, str] = {
    "mp3": "mp3",
    "wav": "wav",
    "ogg": "ogg",
    "flac": "flac",
    "mov,mp4,m4a,3gp,3g2,mj2": "m4a",
}
ACCEPTED_EXTENSIONS = ("mp3", "wav", "ogg", "flac", "m4a")


@dataclass(frozen=True)
class AudioInfo:
    """What a probe finds out about an audio file."""

    format: str
    extension: str
    codec: str
    duration: float
    sample_rate: int
    channels: int


def probe_audio(path: Path, *, name: str | None = None) -> AudioInfo:
    """Identify an audio file by its content (``name`` is how errors refer to it).

    Raises
    ------
    AudioError
        When the file is empty, not a media file, of a format we do not accept, or has
        no audio stream.
    """
    path = Path(path)
    label = name or path.name
    if not path.is_file() or path.stat().st_size == 0:
        raise AudioError(f"{label}: the file is empty or missing")
    try:
        with av.open(str(path)) as container:
            fmt = container.format.name
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if fmt not in ACCEPTED_FORMATS:
                raise AudioError(
                    f"{label}: {container.format.long_name or fmt} is not a song format we "
                    f"accept; use {', '.join(ACCEPTED_EXTENSIONS)}"
                )
            if stream is None:
                raise AudioError(f"{label}: the file has no audio stream")
            duration = _duration(container, stream)
            return AudioInfo(
                format=fmt,
                extension=ACCEPTED_FORMATS[fmt],
                codec=stream.codec_context.name,
                duration=duration,
                sample_rate=int(stream.codec_context.sample_rate or 0),
                channels=int(stream.codec_context.channels or 0),
            )
    except AudioError:
        raise
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise AudioError(f"{label}: not a readable audio file ({_in_words(exc)})") from None


def _duration(container: av.container.InputContainer, stream: av.audio.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _in_words(exc: Exception) -> str:
    """FFmpeg's reason without its error number or the (server-side) file path.

    >>> _in_words(ValueError("[Errno 1094995529] Invalid data found: '/tmp/tmpa1b2.mp3'"))
    'invalid data found'
    """
    text = getattr(exc, "strerror", None) or str(exc)
    text = re.sub(r"\[Errno -?\d+\]\s*", "", str(text))
    text = re.split(r":\s*'", text)[0].strip()
    return (text[:1].lower() + text[1:]) or "unknown reason"


def decode_audio(
    path: Path, *, sr: int = 22050, max_seconds: float | None = None, name: str | None = None
) -> np.ndarray:
    """Decode an audio file to mono float32 samples at ``sr`` Hz.

    Parameters
    ----------
    path
        Any file FFmpeg can read.
    sr
        Target sample rate in Hz.
    max_seconds
        Stop after this many seconds (guards against huge files).
    name
        How error messages refer to the file (default: its file name).

    Returns
    -------
    numpy.ndarray
        1-D float32 array in [-1, 1].

    Raises
    ------
    AudioError
        When the audio cannot be decoded (for example a truncated or corrupt file).
    """
    chunks: list[np.ndarray] = []
    total = 0
    limit = int(max_seconds * sr) if max_seconds else None
    try:
        with av.open(str(path)) as container:
            stream = next(s for s in container.streams if s.type == "audio")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=sr)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += len(chunk)
                if limit is not None and total >= limit:
                    break
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except StopIteration:
        raise AudioError(f"{name or Path(path).name}: the file has no audio stream") from None
    except (av.FFmpegError, ValueError) as exc:
        raise AudioError(
            f"{name or Path(path).name}: the audio could not be decoded ({_in_words(exc)})"
        ) from None
    if not chunks:
        raise AudioError(f"{name or Path(path).name}: the file contains no audio samples")
    audio = np.concatenate(chunks).astype(np.float32, copy=False)
    return audio[:limit] if limit is not None else audio
