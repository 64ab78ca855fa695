"""Probing move clips: what a video file holds, checked before it is accepted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av

from bachata.errors import ClipError


@dataclass(frozen=True)
class ClipInfo:
    """The facts of a clip that import and render need."""

    duration: float
    fps: float
    width: int
    height: int
    video_codec: str
    audio_codec: str | None

    @property
    def has_audio(self) -> bool:
        """Whether the clip has an audio track (the music the dancer danced to)."""
        return self.audio_codec is not None


def probe_clip(path: Path) -> ClipInfo:
    """Read a clip's duration, frame rate, size and codecs (about 25 ms).

    Raises
    ------
    ClipError
        When the file is missing, empty, not a video, or its video cannot be decoded.
    """
    path = Path(path)
    if not path.is_file():
        raise ClipError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise ClipError(f"{path}: the file is empty")
    try:
        with av.open(str(path)) as container:
            video = next((s for s in container.streams if s.type == "video"), None)
            if video is None:
                raise ClipError(f"{path}: no video stream")
            audio = next((s for s in container.streams if s.type == "audio"), None)
            fps = float(video.average_rate or video.base_rate or 0)
            if video.duration is not None and video.time_base is not None:
                duration = float(video.duration * video.time_base)
            elif container.duration is not None:
                duration = container.duration / av.time_base
            else:
                duration = 0.0
            # Decoding the first frame proves the video is readable, not just its header.
            next(container.decode(video))
            info = ClipInfo(
                duration=duration,
                fps=fps,
                width=int(video.codec_context.width),
                height=int(video.codec_context.height),
                video_codec=video.codec_context.name,
                audio_codec=audio.codec_context.name if audio is not None else None,
            )
    except ClipError:
        raise
    except StopIteration:
        raise ClipError(f"{path}: the video has no frames") from None
    except (av.FFmpegError, ValueError, UnicodeDecodeError) as exc:
        raise ClipError(f"{path}: not a readable video ({exc})") from None
    if info.duration <= 0 or info.fps <= 0 or info.width <= 0 or info.height <= 0:
        raise ClipError(f"{path}: zero-length video or unknown frame rate/size")
    return info
