"""A stream to watch while the video is being made: an HLS event playlist that grows.

Segment ``i`` is move ``i``'s normalised piece — the very file the MP4 is joined from —
stream-copied into MPEG-TS at its place in the video (``first_frame / fps``), with the
song's audio over the same frames cut, by stream copy, from the audio the render
encodes for the MP4. So the stream and the MP4 share every video frame and their
timing, and no frame or sample is encoded twice.

Segments are written in order as soon as a piece and every piece before it are ready;
after each one the playlist is rewritten. ``publish(name, path)`` hands each file to
storage (segment first, then the playlist, so a playlist never names a missing segment).
The playlist ends with ``#EXT-X-ENDLIST`` once every move is in.

Only H.264 video with AAC or MP3 audio can be streamed this way (what MPEG-TS and
browsers' Media Source Extensions take); :func:`streamable` says whether an output is.
"""

from __future__ import annotations

import logging
import math
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from bachata.blueprint import OutputConfig
from bachata.media import run_ffmpeg

log = logging.getLogger(__name__)

#: The playlist's file name; segments are ``seg-00000.ts``, ``seg-00001.ts``, ...
PLAYLIST = "index.m3u8"
SEGMENT = "seg-{:05d}.ts"


_FILE = re.compile(r"^(index\.m3u8|seg-\d{5}\.ts)$")


def is_stream_file(name: str) -> bool:
    """Whether ``name`` is the name of a stream's playlist or one of its segments.

    >>> is_stream_file("seg-00012.ts"), is_stream_file("../video.mp4")
    (True, False)
    """
    return bool(_FILE.match(name))


def streamable(output: OutputConfig) -> bool:
    """Whether a render of ``output`` can be watched as an HLS stream while it runs."""
    return output.video_codec == "libx264" and output.audio_codec in ("aac", "libmp3lame")


def playlist_text(durations: list[float], *, complete: bool) -> str:
    """An HLS event playlist of segments with ``durations`` (seconds).

    >>> print(playlist_text([3.8, 4.2], complete=True), end="")
    #EXTM3U
    #EXT-X-VERSION:3
    #EXT-X-PLAYLIST-TYPE:EVENT
    #EXT-X-TARGETDURATION:5
    #EXT-X-MEDIA-SEQUENCE:0
    #EXTINF:3.800000,
    seg-00000.ts
    #EXTINF:4.200000,
    seg-00001.ts
    #EXT-X-ENDLIST
    """
    target = max(1, math.ceil(max(durations, default=1.0)))
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-PLAYLIST-TYPE:EVENT",
        f"#EXT-X-TARGETDURATION:{target}",
        "#EXT-X-MEDIA-SEQUENCE:0",
    ]
    for index, seconds in enumerate(durations):
        lines += [f"#EXTINF:{seconds:.6f},", SEGMENT.format(index)]
    if complete:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


class HlsStream:
    """Writes the stream of one render from its pieces as they become ready.

    Parameters
    ----------
    plan
        ``(first_frame, frame_count)`` of every move (:func:`~bachata.render.assemble.frame_plan`).
    fps
        The output's frame rate.
    publish
        ``publish(name, path)`` stores a finished file of the stream (called from the
        stream's own thread, in order: each segment, then the playlist naming it).

    Use as a context manager around the render; leaving it stops the stream after the
    segment being written (the finished MP4 then takes over).
    """

    def __init__(
        self, plan: list[tuple[int, int]], fps: int, publish: Callable[[str, Path], None]
    ) -> None:
        self.plan = plan
        self.fps = fps
        self.publish = publish
        self.published = 0
        self.error: BaseException | None = None
        self._audio: Path | None = None
        self._pieces: dict[int, Path] = {}
        self._stopped = False
        self._ready = threading.Condition()
        self._work = tempfile.TemporaryDirectory(prefix="bachata-stream-")
        self._thread = threading.Thread(target=self._write_all, name="hls-stream", daemon=True)

    def __enter__(self) -> HlsStream:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def audio_ready(self, audio: Path) -> None:
        """The render's encoded audio (the whole video's length) is written."""
        with self._ready:
            self._audio = Path(audio)
            self._ready.notify()

    def piece_ready(self, index: int, piece: Path) -> None:
        """Move ``index``'s normalised piece is written."""
        with self._ready:
            self._pieces[index] = Path(piece)
            self._ready.notify()

    def close(self) -> None:
        """Stop after the segment being written and remove the working files."""
        with self._ready:
            self._stopped = True
            self._ready.notify()
        if self._thread.is_alive():
            self._thread.join()
        self._work.cleanup()

    def _next(self) -> tuple[Path, Path] | None:
        """Wait for the audio and the next piece in order; ``None`` once stopped."""
        with self._ready:
            while not self._stopped and (self._audio is None or self.published not in self._pieces):
                self._ready.wait()
            if self._stopped:
                return None
            return self._audio, self._pieces[self.published]

    def _write_all(self) -> None:
        work = Path(self._work.name)
        durations = [frames / self.fps for _first, frames in self.plan]
        try:
            audio_parts: list[Path | None] = []
            while self.published < len(self.plan):
                ready = self._next()
                if ready is None:
                    return
                audio, piece = ready
                if not audio_parts:
                    audio_parts = self._split_audio(audio, work)
                index = self.published
                segment = work / SEGMENT.format(index)
                self._mux(piece, audio_parts[index], index, segment)
                self.publish(segment.name, segment)
                self.published += 1
                playlist = work / PLAYLIST
                playlist.write_text(
                    playlist_text(
                        durations[: self.published], complete=self.published == len(self.plan)
                    )
                )
                self.publish(PLAYLIST, playlist)
        except BaseException as exc:  # the MP4 is the product: a broken stream only stops
            self.error = exc
            log.warning("the preview stream stopped: %s", exc)

    def _split_audio(self, audio: Path, work: Path) -> list[Path | None]:
        """The audio cut at the moves' first frames, by stream copy, timestamps kept."""
        cuts = ",".join(f"{first / self.fps:.6f}" for first, _ in self.plan[1:])
        pattern = work / "audio-%05d.mka"
        args = ["-i", str(audio), "-map", "0:a:0", "-c", "copy", "-copyts", "-f", "segment"]
        if cuts:
            args += ["-segment_times", cuts]
        run_ffmpeg([*args, "-segment_format", "matroska", str(pattern)])
        parts = [work / f"audio-{i:05d}.mka" for i in range(len(self.plan))]
        # A move shorter than one audio frame gets no audio of its own: silence is fine.
        return [part if part.exists() else None for part in parts]

    def _mux(self, piece: Path, audio: Path | None, index: int, out: Path) -> None:
        """Segment ``index``: the piece at its place in the video, with its audio."""
        offset = self.plan[index][0] / self.fps
        args = ["-itsoffset", f"{offset:.6f}", "-i", str(piece)]
        maps = ["-map", "0:v:0"]
        if audio is not None:
            args += ["-i", str(audio)]
            maps += ["-map", "1:a:0"]
        copy = ["-c", "copy", "-copyts", "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts"]
        run_ffmpeg([*args, *maps, *copy, str(out)])
