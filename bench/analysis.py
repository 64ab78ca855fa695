"""Music analysis speed and accuracy on a 3-minute synthetic bachata (`make bench`).

Prints seconds per minute of audio for each analyser stage, the total for the whole
song, and the same song through librosa's beat tracker for comparison.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import mir_eval
import numpy as np

from bachata.demo.synth import synth_bachata, write_wav
from bachata.media import encode_audio
from bachata.music import analyse, decode_audio
from bachata.music.analysis import SR

STRUCTURE = (
    ("derecho", 24),
    ("majao", 16),
    ("break", 2),
    ("mambo", 16),
    ("derecho", 16),
    ("majao", 16),
)


def main() -> None:
    song = synth_bachata(bpm=127, structure=STRUCTURE, seed=7)
    minutes = song.duration / 60
    print(f"== music analysis: {song.duration:.0f} s synthetic bachata at {song.bpm:.0f} BPM")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "song.wav"
        write_wav(str(wav), song.audio, song.sr)
        mp3 = Path(tmp) / "song.mp3"
        encode_audio(wav, mp3)
        started = time.perf_counter()
        samples = decode_audio(mp3, sr=SR)
        decode_s = time.perf_counter() - started
    result = analyse(samples, SR)
    stages = {"decode mp3": decode_s, **result.timings}
    for name, seconds in stages.items():
        print(f"  {name:<12} {seconds / minutes * 1000:7.1f} ms per minute of audio")
    total = sum(stages.values())
    f = mir_eval.beat.f_measure(song.beats, np.array(result.beats), 0.07)
    print(f"  total        {total:7.2f} s for the song (target <= 4 s for 3 min)")
    print(f"  bpm {result.bpm:.2f} (true {song.bpm:.0f}), beat F-measure {f:.3f}")

    import librosa

    for attempt in ("first call", "second call"):
        started = time.perf_counter()
        tempo, frames = librosa.beat.beat_track(y=samples, sr=SR, hop_length=256, units="time")
        seconds = time.perf_counter() - started
        f = mir_eval.beat.f_measure(song.beats, frames, 0.07)
        print(
            f"  librosa beat_track ({attempt}): {seconds:.2f} s, "
            f"bpm {float(np.atleast_1d(tempo)[0]):.2f}, F-measure {f:.3f}"
        )


if __name__ == "__main__":
    main()
