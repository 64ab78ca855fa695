"""A corpus of malformed inputs: each gets a clear error and changes nothing."""

from __future__ import annotations

import copy
import gzip
import json
import math
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bachata.blueprint import BlueprintInvalid, parse_blueprint
from bachata.choreography import services
from bachata.choreography.models import BlueprintRecord, ChoreographyTask, Song, SongAnalysisRecord
from bachata.music import AudioError
from tests.factories import blueprint_dict


def _wav_header_claiming(seconds: int, sr: int = 8000) -> bytes:
    """A WAV header that claims ``seconds`` of silence, followed by very little data."""
    data_bytes = seconds * sr * 2
    header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, sr, sr * 2, 2, 16)
    return header + b"data" + struct.pack("<I", data_bytes) + b"\x00" * 4000


AUDIO_CORPUS = {
    "zero_byte.mp3": lambda d: b"",
    "png_named.mp3": lambda d: (d / "picture.mp3").read_bytes(),
    "truncated.mp3": lambda d: (d / "truncated.mp3").read_bytes(),
    "text.wav": lambda d: b"just some words, not audio\n" * 100,
    "random.ogg": lambda d: bytes(range(256)) * 64,
    "gzip.flac": lambda d: gzip.compress((d / "song.wav").read_bytes()[:20000]),
    "html.m4a": lambda d: b"<!doctype html><html><body>hi</body></html>" * 50,
    "two_hours_silent.wav": lambda d: _wav_header_claiming(2 * 3600),
    "header_only.wav": lambda d: _wav_header_claiming(0)[:44],
    "short.wav": lambda d: (d / "short.wav").read_bytes(),
    "silent.wav": lambda d: (d / "silent.wav").read_bytes(),
    "half_mp3.mp3": lambda d: (d / "song.mp3").read_bytes()[
        : len((d / "song.mp3").read_bytes()) // 3
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(AUDIO_CORPUS))
def test_bad_audio_is_refused_with_no_side_effects(name, audio_dir, data_root, tmp_path):
    path = tmp_path / name
    path.write_bytes(AUDIO_CORPUS[name](audio_dir))
    with pytest.raises(AudioError) as excinfo:
        services.song_add(path=path)
    message = str(excinfo.value)
    assert message.startswith(name) and "\n" not in message
    assert not Song.objects.exists() and not SongAnalysisRecord.objects.exists()
    assert not any(p.is_file() for p in data_root.rglob("*"))


def _move(**changes):
    def mutate(d):
        d["moves"][0].update(changes)

    return mutate


BLUEPRINT_CORPUS = {
    "ten_thousand_moves": lambda d: d.update(moves=d["moves"] * 3334),
    "negative_start": _move(start_time=-5.0),
    "negative_duration": _move(duration=-5.2, end_time=-5.2),
    "path_escape": _move(video_path="../../etc/passwd"),
    "absolute_outside_root": _move(video_path="/etc/passwd"),
    "other_bucket": _move(video_path="gs://someone-elses-bucket/moves/x.mp4"),
    "file_uri": _move(video_path="file:///etc/passwd"),
    "backslash_path": _move(video_path="..\\..\\windows\\system32"),
    "nul_in_path": _move(video_path="moves/x.mp4\x00.png"),
    "bpm_as_text": lambda d: d["song"].update(bpm="fast"),
    "moves_not_a_list": lambda d: d.update(moves={"0": d["moves"][0]}),
    "no_moves": lambda d: d.update(moves=[]),
    "unknown_codec": lambda d: d["output_config"].update(video_codec="divx"),
    "zero_resolution": lambda d: d["output_config"].update(resolution="0x0"),
    "fps_as_text": lambda d: d["output_config"].update(fps="thirty"),
    "task_id_not_uuid": lambda d: d.update(task_id="'; DROP TABLE blueprints; --"),
    "overlapping_moves": lambda d: d["moves"][1].update(start_time=1.0, end_time=6.2),
    "huge_title": lambda d: d["song"].update(title="x" * 400_000),
    "extra_field": lambda d: d.update(admin=True),
    "missing_song": lambda d: d.pop("song"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BLUEPRINT_CORPUS))
def test_bad_blueprints_are_refused_with_no_side_effects(name, user):
    data = blueprint_dict(user_id=user.pk)
    BLUEPRINT_CORPUS[name](data)
    with pytest.raises(BlueprintInvalid) as excinfo:
        services.task_create(user=user, song=None, blueprint=data)
    assert str(excinfo.value).startswith("blueprint ")
    assert not ChoreographyTask.objects.exists() and not BlueprintRecord.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[",
        '{"a": NaN}',
        '{"task_id": Infinity}',
        "null",
        '"' + "x" * 300_000 + '"',
        "\ud800".encode("utf-8", "surrogatepass"),
    ],
)
def test_malformed_json_text(text):
    with pytest.raises(BlueprintInvalid):
        parse_blueprint(text)


def test_unicode_titles_are_welcome(user, db):
    data = blueprint_dict(user_id=user.pk)
    data["song"].update(title="Corazón 💔 — 心", artist="Zoë & Ñandú")
    task = services.task_create(user=user, song=None, blueprint=data)
    assert BlueprintRecord.objects.get(task=task).blueprint_json["song"]["artist"] == "Zoë & Ñandú"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def _has(container: object, key: object) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(container, list) and isinstance(key, int) and key < len(container)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_blueprints_are_either_valid_or_cleanly_refused(data):
    """Random damage to a valid blueprint: the validator answers, it never crashes."""
    doc = copy.deepcopy(blueprint_dict(moves=3))
    for _ in range(data.draw(st.integers(1, 4))):
        target = doc
        path = data.draw(
            st.lists(
                st.sampled_from(
                    [
                        "song",
                        "moves",
                        "generation_parameters",
                        "output_config",
                        0,
                        1,
                        2,
                        "start_time",
                        "end_time",
                        "duration",
                        "video_path",
                        "bpm",
                        "fps",
                        "resolution",
                        "task_id",
                        "total_duration",
                        "style",
                    ]
                ),
                min_size=1,
                max_size=3,
            )
        )
        for key in path[:-1]:
            if _has(target, key):
                target = target[key]
        last = path[-1]
        value = data.draw(json_values)
        if _has(target, last) or (isinstance(target, dict) and isinstance(last, str)):
            target[last] = value
    try:
        result = parse_blueprint(doc)
    except BlueprintInvalid as exc:
        assert str(exc).startswith("blueprint ")
    else:
        assert math.isfinite(result.total_duration)
        assert json.loads(result.to_json()) == result.to_json_dict()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(AUDIO_CORPUS))
def test_bad_uploads_are_explained_in_words(name, audio_dir, data_root):
    """No error numbers and no server paths in what the dancer reads."""
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, AUDIO_CORPUS[name](audio_dir))
    with pytest.raises(AudioError) as excinfo:
        services.song_add_upload(upload=upload, title=None, artist="", user=None)
    message = str(excinfo.value)
    assert message.startswith(name)
    assert "Errno" not in message and tempfile.gettempdir() not in message, message
