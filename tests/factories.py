"""Builders of valid test data (plain functions, no factory library)."""

from __future__ import annotations

import uuid
from typing import Any


def blueprint_dict(
    *,
    task_id: str | None = None,
    user_id: int | None = 47,
    song_id: int = 7,
    moves: int = 3,
    move_seconds: float = 5.2,
    start: float = 0.0,
) -> dict[str, Any]:
    """A valid blueprint in the seed's shape with ``moves`` contiguous moves."""
    slots = []
    t = start
    for i in range(moves):
        end = round(t + move_seconds, 6)
        slots.append(
            {
                "move_id": f"move_{i + 1:03d}",
                "move_name": "Basic Step",
                "video_path": "gs://bachata-buddy-videos/moves/basic_step.mp4",
                "start_time": t,
                "end_time": end,
                "duration": round(end - t, 6),
                "difficulty": "advanced",
                "energy_level": "high",
                "style": "modern",
            }
        )
        t = end
    return {
        "task_id": task_id or str(uuid.uuid4()),
        "song": {
            "id": song_id,
            "title": "Este_secreto",
            "artist": "Melvin War",
            "audio_path": "gs://bachata-buddy-videos/songs/este_secreto.mp3",
            "bpm": 134,
            "duration": max(265.3, t + 1),
        },
        "moves": slots,
        "generation_parameters": {
            "difficulty_level": "advanced",
            "energy_level": "high",
            "style": "modern",
            "ai_mode": False,
            "user_id": user_id,
        },
        "total_duration": round(t - start, 6),
        "output_config": {
            "video_format": "mp4",
            "resolution": "1280x720",
            "fps": 30,
            "video_codec": "libx264",
            "audio_codec": "aac",
        },
    }
