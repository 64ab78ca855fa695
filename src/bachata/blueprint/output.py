"""The output block: container, codecs, resolution and frame rate of the video."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bachata.blueprint.base import (
    BlueprintInvalid,
    Part,
    format_errors,
)

VideoFormat = Literal["mp4", "mov", "mkv", "webm"]
VideoCodec = Literal["libx264", "libx265", "mpeg4", "libvpx-vp9"]
AudioCodec = Literal["aac", "libmp3lame", "libopus"]

_RESOLUTION = re.compile(r"^([1-9][0-9]{1,4})x([1-9][0-9]{1,4})$")


#: Output limits: at most 1080p (either way up) at 60 fps, so one request cannot ask for
#: hours of encoding or gigabytes of frames.
MAX_FPS = 60
MAX_LONG_SIDE = 1920
MAX_SHORT_SIDE = 1080
MIN_SIDE = 64


_FORMAT_CODECS: dict[str, tuple[set[str], set[str]]] = {
    "mp4": ({"libx264", "libx265", "mpeg4", "libvpx-vp9"}, {"aac", "libmp3lame", "libopus"}),
    "mov": ({"libx264", "libx265", "mpeg4"}, {"aac", "libmp3lame"}),
    "mkv": ({"libx264", "libx265", "mpeg4", "libvpx-vp9"}, {"aac", "libmp3lame", "libopus"}),
    "webm": ({"libvpx-vp9"}, {"libopus"}),
}


class OutputConfig(Part):
    """How the video is encoded."""

    video_format: VideoFormat = "mp4"
    resolution: str = Field(default="1280x720", description="WIDTHxHEIGHT, both even.")
    fps: int = Field(default=30, gt=0, le=MAX_FPS, description=f"1-{MAX_FPS} frames a second.")
    video_codec: VideoCodec = "libx264"
    audio_codec: AudioCodec = "aac"

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, value: str) -> str:
        match = _RESOLUTION.match(value)
        if not match:
            raise ValueError(f"resolution {value!r} must look like WIDTHxHEIGHT, e.g. 1280x720")
        width, height = int(match[1]), int(match[2])
        long_side, short_side = max(width, height), min(width, height)
        if (
            width % 2
            or height % 2
            or short_side < MIN_SIDE
            or long_side > MAX_LONG_SIDE
            or short_side > MAX_SHORT_SIDE
        ):
            raise ValueError(
                f"resolution {value!r}: even sizes from {MIN_SIDE}x{MIN_SIDE} up to "
                f"{MAX_LONG_SIDE}x{MAX_SHORT_SIDE} (or {MAX_SHORT_SIDE}x{MAX_LONG_SIDE} upright)"
            )
        return value

    @classmethod
    def parse(cls, data: dict[str, Any]) -> OutputConfig:
        """An output config from request data, or :class:`BlueprintInvalid` naming the field."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise BlueprintInvalid(f"output_config is invalid: {format_errors(exc)}") from None

    @model_validator(mode="after")
    def _codecs_fit_container(self) -> OutputConfig:
        video, audio = _FORMAT_CODECS[self.video_format]
        if self.video_codec not in video or self.audio_codec not in audio:
            raise ValueError(
                f"{self.video_format} cannot hold {self.video_codec}/{self.audio_codec}: "
                f"use video {sorted(video)} and audio {sorted(audio)}"
            )
        return self

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)`` in pixels."""
        width, height = self.resolution.split("x")
        return int(width), int(height)
