"""The blueprint contract: the seed's structure, and every rejection naming its field."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bachata.blueprint import (
    Blueprint,
    BlueprintInvalid,
    PathPolicy,
    blueprint_json_schema,
    parse_blueprint,
)
from tests.factories import blueprint_dict

POLICY = PathPolicy(roots=(Path("/srv/data"),), buckets=("bachata-buddy-videos",))


def parse(data):
    return parse_blueprint(data, path_policy=POLICY)


def test_seed_example_parses_and_round_trips_unchanged():
    data = blueprint_dict(moves=1)
    doc = parse(data)
    assert isinstance(doc, Blueprint)
    assert doc.to_json_dict() == data
    assert parse(doc.to_json()) == doc


def test_seed_field_names_and_types_are_in_the_schema():
    schema = blueprint_json_schema()
    defs = schema["$defs"]
    assert set(schema["required"]) >= {
        "task_id",
        "song",
        "moves",
        "generation_parameters",
        "total_duration",
    }
    assert set(defs["SongInfo"]["properties"]) == {
        "id",
        "title",
        "artist",
        "audio_path",
        "bpm",
        "duration",
    }
    assert defs["SongInfo"]["properties"]["id"]["type"] == "integer"
    assert defs["SongInfo"]["properties"]["bpm"]["type"] == "number"
    seed_move = {
        "move_id",
        "move_name",
        "video_path",
        "start_time",
        "end_time",
        "duration",
        "difficulty",
        "energy_level",
        "style",
    }
    assert seed_move <= set(defs["MoveSlot"]["properties"])
    assert seed_move <= set(defs["MoveSlot"]["required"])
    for extension in set(defs["MoveSlot"]["properties"]) - seed_move:
        assert "Extension" in defs["MoveSlot"]["properties"][extension]["description"]
    assert {"difficulty_level", "energy_level", "style", "ai_mode", "user_id"} <= set(
        defs["GenerationParameters"]["properties"]
    )
    assert defs["GenerationParameters"]["properties"]["ai_mode"]["type"] == "boolean"
    assert set(defs["OutputConfig"]["properties"]) == {
        "video_format",
        "resolution",
        "fps",
        "video_codec",
        "audio_codec",
    }
    assert defs["OutputConfig"]["properties"]["fps"]["type"] == "integer"


def _mutated(mutate):
    data = blueprint_dict(moves=3)
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "field_text"),
    [
        (lambda d: d["moves"].reverse(), "moves[1].start_time"),
        (
            lambda d: d["moves"][1].update(start_time=5.0, end_time=10.2, duration=5.2),
            "moves[1].start_time",
        ),
        (lambda d: d["moves"][2].update(end_time=99.0), "moves[2]"),
        (lambda d: d.update(total_duration=100.0), "total_duration"),
        (lambda d: d["output_config"].update(resolution="1280*720"), "output_config.resolution"),
        (lambda d: d["output_config"].update(resolution="1281x720"), "output_config.resolution"),
        (lambda d: d["output_config"].update(fps=0), "output_config.fps"),
        (lambda d: d["output_config"].update(fps=-30), "output_config.fps"),
        (lambda d: d["output_config"].update(fps=120), "output_config.fps"),
        (lambda d: d["output_config"].update(resolution="7680x4320"), "output_config.resolution"),
        (lambda d: d["output_config"].update(resolution="1920x1200"), "output_config.resolution"),
        (lambda d: d["output_config"].update(resolution="36x80"), "output_config.resolution"),
        (lambda d: d["moves"][0].update(move_name="Basic\x00"), "NUL"),
        (lambda d: d["song"].update(title="\x00"), "NUL"),
        (lambda d: d["output_config"].update(video_codec="h263"), "output_config.video_codec"),
        (lambda d: d["output_config"].update(audio_codec="flac"), "output_config.audio_codec"),
        (lambda d: d["output_config"].update(video_format="webm"), "output_config"),
        (lambda d: d["moves"][0].update(video_path="../../etc/passwd"), "moves[0].video_path"),
        (lambda d: d["moves"][0].update(video_path="moves/../../x.mp4"), "moves[0].video_path"),
        (lambda d: d["moves"][0].update(video_path="/etc/passwd"), "moves[0].video_path"),
        (
            lambda d: d["moves"][0].update(video_path="/srv/data/../etc/x.mp4"),
            "moves[0].video_path",
        ),
        (
            lambda d: d["moves"][0].update(video_path="gs://other-bucket/m.mp4"),
            "moves[0].video_path",
        ),
        (lambda d: d["moves"][0].update(video_path="http://evil/m.mp4"), "moves[0].video_path"),
        (lambda d: d["song"].update(audio_path="file:///etc/passwd"), "song.audio_path"),
        (lambda d: d["moves"][0].update(difficulty="expert"), "moves[0].difficulty"),
        (lambda d: d["moves"][0].update(energy_level="extreme"), "moves[0].energy_level"),
        (lambda d: d["generation_parameters"].update(style="salsa"), "generation_parameters.style"),
        (lambda d: d.update(task_id="not-a-uuid"), "task_id"),
        (lambda d: d.update(moves=[]), "moves"),
        (lambda d: d["moves"][0].update(start_time=-1.0), "moves[0].start_time"),
        (lambda d: d["song"].update(bpm="fast"), "song.bpm"),
        (lambda d: d["moves"][0].update(tempo_hack=1), "moves[0].tempo_hack"),
        (lambda d: d.update(unknown_field=1), "unknown_field"),
        (lambda d: d["song"].update(duration=10.0), "end of the song"),
        (lambda d: d["moves"][0].update(clip_start=0.0, clip_end=2.0, speed=1.0), "moves[0]"),
    ],
)
def test_invalid_blueprints_are_rejected_naming_the_field(mutate, field_text):
    with pytest.raises(BlueprintInvalid) as excinfo:
        parse(_mutated(mutate))
    assert field_text in str(excinfo.value)


def test_end_time_tolerance_is_one_millisecond():
    ok = _mutated(lambda d: d["moves"][0].update(end_time=5.2009))
    ok["moves"][0]["end_time"] = 5.2009
    ok["moves"][1]["start_time"] = 5.2009
    ok["moves"][1]["duration"] = round(ok["moves"][1]["end_time"] - 5.2009, 6)
    parse(ok)
    bad = copy.deepcopy(ok)
    bad["moves"][0]["end_time"] = 5.2021
    with pytest.raises(BlueprintInvalid, match=r"moves\[0\].*1 ms"):
        parse(bad)


def test_gaps_between_moves_are_allowed_but_total_duration_spans_them():
    data = blueprint_dict(moves=2)
    data["moves"][1].update(start_time=6.0, end_time=11.2, duration=5.2)
    data["total_duration"] = 11.2
    assert parse(data).total_duration == 11.2


def test_clip_extensions_must_agree_with_the_slot():
    data = blueprint_dict(moves=1)
    data["moves"][0].update(clip_start=0.5, clip_end=0.5 + 5.2 * 1.1, speed=1.1, eight_counts=2)
    doc = parse(data)
    assert doc.moves[0].speed == 1.1
    assert doc.to_json_dict()["moves"][0]["eight_counts"] == 2


def test_absolute_paths_inside_the_root_are_allowed():
    data = blueprint_dict(moves=1)
    data["moves"][0]["video_path"] = "/srv/data/Bachata_steps/basic/basic_step.mp4"
    data["song"]["audio_path"] = "songs/este_secreto.mp3"
    parse(data)


def test_documents_over_the_size_limit_are_rejected_before_parsing():
    data = blueprint_dict(moves=1)
    data["song"]["title"] = "x" * 200
    text = json.dumps(data)
    with pytest.raises(BlueprintInvalid, match="over the 100-byte limit"):
        parse_blueprint(text, path_policy=POLICY, max_bytes=100)
    with pytest.raises(BlueprintInvalid, match="over the 100-byte limit"):
        parse_blueprint(data, path_policy=POLICY, max_bytes=100)


def test_default_limit_is_256_kb():
    data = blueprint_dict(moves=1)
    data["moves"][0]["move_name"] = "x" * 200
    data["moves"] = data["moves"] * 1
    big = json.dumps(data) + " " * (256 * 1024)
    with pytest.raises(BlueprintInvalid, match="262144-byte limit"):
        parse_blueprint(big, path_policy=POLICY)


@pytest.mark.parametrize("raw", ["{", "[]", "null", b"\xff\xfe", '"text"'])
def test_malformed_json_gets_a_clear_error(raw):
    with pytest.raises(BlueprintInvalid, match=r"JSON|object"):
        parse_blueprint(raw, path_policy=POLICY)


def test_all_errors_are_reported_together():
    data = blueprint_dict(moves=1)
    data["output_config"]["fps"] = 0
    data["moves"][0]["difficulty"] = "expert"
    with pytest.raises(BlueprintInvalid) as excinfo:
        parse(data)
    message = str(excinfo.value)
    assert "output_config.fps" in message and "moves[0].difficulty" in message


@pytest.mark.parametrize("resolution", ["1920x1080", "1080x1920", "1280x720", "128x128"])
def test_output_sizes_up_to_1080p_either_way_up(resolution):
    from bachata.blueprint import OutputConfig

    assert OutputConfig.parse({"resolution": resolution, "fps": 60}).resolution == resolution


def test_output_config_errors_name_the_field():
    from bachata.blueprint import BlueprintInvalid, OutputConfig

    with pytest.raises(BlueprintInvalid, match="output_config is invalid: resolution"):
        OutputConfig.parse({"resolution": "35x79"})
    with pytest.raises(BlueprintInvalid, match="webm cannot hold libx264"):
        OutputConfig.parse({"video_format": "webm"})


def test_the_blueprint_package_reads_no_settings():
    """The path policy is passed in: validating blueprints never loads the configuration
    (before, every MoveSlot without a policy read the environment)."""
    import subprocess
    import sys

    code = (
        "import sys, bachata.blueprint as b;"
        "from tests.factories import blueprint_dict;"
        "b.parse_blueprint(blueprint_dict(user_id=1));"
        "print('bachata.config' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_absolute_paths_need_a_policy_naming_their_root(monkeypatch, tmp_path):

    monkeypatch.setenv("BACHATA_DATA_DIR", str(tmp_path))
    doc = blueprint_dict(user_id=1)
    doc["moves"][0]["video_path"] = str(tmp_path / "Bachata_steps" / "x.mp4")
    with pytest.raises(BlueprintInvalid, match="outside the allowed roots"):
        parse_blueprint(doc)  # the environment's data root is not trusted implicitly
    policy = PathPolicy(roots=(tmp_path,), buckets=("bachata-buddy-videos",))
    assert parse_blueprint(doc, path_policy=policy).moves[0].video_path.startswith(str(tmp_path))
