"""Music analysis: read audio, find tempo, beats, bars, 8-counts, sections and energy."""

from bachata.music.analysis import ANALYSER_VERSION, SongAnalysis, analyse
from bachata.music.audio import AudioError, AudioInfo, decode_audio, probe_audio
from bachata.music.sections import Section

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
