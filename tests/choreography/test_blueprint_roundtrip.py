"""Property: any valid blueprint survives a trip through PostgreSQL JSONB unchanged."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bachata.blueprint import parse_blueprint
from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography import services
from bachata.choreography.models import BlueprintRecord

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
times = st.floats(min_value=0.01, max_value=60.0, allow_nan=False).map(lambda x: round(x, 6))


@st.composite
def blueprints(draw, user_id: int):
    t = draw(st.floats(min_value=0, max_value=30).map(lambda x: round(x, 6)))
    moves = []
    for i in range(draw(st.integers(1, 12))):
        t = round(t + draw(st.sampled_from([0.0, 0.0, 0.5])), 6)
        duration = draw(times)
        end = round(t + duration, 6)
        move = {
            "move_id": f"m{i}_{draw(st.integers(0, 999))}",
            "move_name": draw(text.filter(bool)),
            "video_path": draw(
                st.sampled_from(
                    ["Bachata_steps/basic/basic.mp4", "gs://bachata-buddy-videos/moves/turn.mp4"]
                )
            ),
            "start_time": t,
            "end_time": end,
            "duration": round(end - t, 6),
            "difficulty": draw(st.sampled_from(DIFFICULTIES)),
            "energy_level": draw(st.sampled_from(ENERGY_LEVELS)),
            "style": draw(st.sampled_from(STYLES)),
        }
        if draw(st.booleans()):
            speed = draw(st.floats(0.8, 1.25).map(lambda x: round(x, 4)))
            clip_start = draw(st.floats(0, 2).map(lambda x: round(x, 6)))
            move.update(
                speed=speed,
                clip_start=clip_start,
                clip_end=clip_start + (end - t) * speed,
                eight_counts=draw(st.integers(1, 4)),
            )
        moves.append(move)
        t = end
    return {
        "task_id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
        "song": {
            "id": draw(st.integers(0, 2**31)),
            "title": draw(text),
            "artist": draw(text),
            "audio_path": "songs/x.mp3",
            "bpm": draw(st.floats(60, 200)),
            "duration": t + draw(st.floats(0, 100)),
        },
        "moves": moves,
        "generation_parameters": {
            "difficulty_level": draw(st.sampled_from(DIFFICULTIES)),
            "energy_level": draw(st.sampled_from(ENERGY_LEVELS)),
            "style": draw(st.sampled_from(STYLES)),
            "ai_mode": draw(st.booleans()),
            "user_id": user_id,
        },
        "total_duration": t - moves[0]["start_time"],
        "output_config": {
            "video_format": "mp4",
            "resolution": f"{draw(st.integers(64, 960)) * 2}x{draw(st.integers(64, 540)) * 2}",
            "fps": draw(st.integers(1, 60)),
            "video_codec": draw(st.sampled_from(["libx264", "libx265", "mpeg4"])),
            "audio_codec": draw(st.sampled_from(["aac", "libmp3lame"])),
        },
    }


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_blueprints_round_trip_through_the_database(user, data):
    raw = data.draw(blueprints(user_id=user.pk))
    raw["task_id"] = str(uuid.uuid4())  # examples share one test transaction
    doc = parse_blueprint(raw)
    services.task_create(user=user, song=None, blueprint=doc)
    stored = BlueprintRecord.objects.get(task_id=doc.task_id).blueprint_json
    assert stored == doc.to_json_dict()
    assert parse_blueprint(stored) == doc
