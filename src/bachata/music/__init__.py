"""Music analysis: read audio, find tempo, beats, bars, 8-counts, sections and energy."""

from bachata.music.analysis import ANALYSER_VERSION, Section, SongAnalysis, analyse
from bachata.music.audio import AudioError, AudioInfo, decode_audio, probe_audio

__all__ = [
    "ANALYSER_VERSION",
    "AudioError",
    "AudioInfo",
    "Section",
    "SongAnalysis",
    "analyse",
    "decode_audio",
    "probe_audio",
]
