"""Importing move libraries into the database and the moves area."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from bachata.choreography.models import Move
from bachata.choreography.services import moves_import
from bachata.cli import cli
from bachata.errors import BachataError
from bachata.render.cache import mezzanine_path

pytestmark = pytest.mark.django_db


def _copy_library(tiny_library, tmp_path):
    folder = tmp_path / "lib"
    shutil.copytree(tiny_library.parent, folder)
    return folder


def test_import_stores_every_clip_and_is_idempotent(tiny_library, data_root, settings):
    report = moves_import(path=tiny_library)
    entries = json.loads(tiny_library.read_text())["moves"]
    assert sorted(report.added) == sorted(e["move_id"] for e in entries)
    assert report.skipped == []
    move = Move.objects.get(move_id="box_step")
    assert move.video_path == "Bachata_steps/basic/box_step.mp4"
    assert (data_root / move.video_path).is_file()
    assert (move.length_counts, move.tempo_bpm, move.count1_offset) == (16, 118.0, 0.5)
    assert (move.width, move.height, move.fps, move.has_audio) == (256, 144, 30.0, True)
    assert len(move.checksum) == 64
    # The demo clips are cheap to cut already: no mezzanine (see tests/render).
    cache = settings.BACHATA.render_cache_dir
    assert not any(mezzanine_path(m.checksum, cache).exists() for m in Move.objects.all())
    again = moves_import(path=tiny_library.parent)
    assert again.added == [] and again.updated == [] and len(again.unchanged) == len(entries)
    assert Move.objects.count() == len(entries)


def test_bad_clips_are_reported_with_their_path_and_skipped(tiny_library, data_root, tmp_path):
    folder = _copy_library(tiny_library, tmp_path)
    manifest = json.loads((folder / "moves.json").read_text())
    good = manifest["moves"][:3]
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "text.mp4").write_text("not a video at all\n" * 30)
    bad = [
        {**good[0], "move_id": "missing", "file": "nope/missing.mp4"},
        {**good[0], "move_id": "empty", "file": "empty.mp4"},
        {**good[0], "move_id": "text", "file": "text.mp4"},
        {**good[0], "move_id": "too_long_claim", "counts": 32},
        {**good[1]},  # duplicate id
    ]
    (folder / "moves.json").write_text(json.dumps({"moves": good + bad}))
    report = moves_import(path=folder)  # a manifest without a name: the library is "lib"
    assert sorted(report.added) == sorted(f"lib:{e['move_id']}" for e in good)
    reasons = {p.where: p.reason for p in report.skipped}
    assert len(reasons) == 5
    text = "\n".join(f"{w}: {r}" for w, r in reasons.items())
    assert "missing.mp4" in text and "not found" in text
    assert "empty.mp4" in text and "text.mp4" in text
    assert "only 8 fit" in text and "duplicate id" in text
    assert set(Move.objects.values_list("move_id", flat=True)) == {
        f"lib:{e['move_id']}" for e in good
    }


def test_annotations_import_measures_timing_from_the_clip_audio(tiny_library, data_root, tmp_path):
    root = tmp_path / "bachata_buddy"
    steps = root / "data" / "Bachata_steps"
    clips = []
    for entry in json.loads(tiny_library.read_text())["moves"][:4]:
        target = steps / entry["family"] / f"{entry['move_id']}.mp4"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(tiny_library.parent / entry["file"], target)
        clips.append(
            {
                "clip_id": entry["move_id"],
                "video_path": f"{entry['family']}/{entry['move_id']}.mp4",
                "move_label": entry["family"],
                "energy_level": entry["energy_level"],
                "difficulty": {"beginner": "low", "intermediate": "medium", "advanced": "high"}[
                    entry["difficulty"]
                ],
            }
        )
    (root / "data" / "bachata_annotations.json").write_text(json.dumps({"clips": clips}))
    report = moves_import(path=root)
    assert len(report.added) == 4 and report.skipped == []
    assert report.library == "bachata_buddy"  # named after the repository's folder
    for clip, entry in zip(clips, json.loads(tiny_library.read_text())["moves"][:4], strict=True):
        move = Move.objects.get(move_id=f"bachata_buddy:{clip['clip_id']}")
        assert move.timing_measured
        assert abs(move.tempo_bpm - entry["tempo"]) / entry["tempo"] < 0.01
        assert abs(move.count1_offset - 0.5) < 0.03
        assert move.length_counts == entry["counts"]
        assert move.difficulty == entry["difficulty"]


def test_import_is_all_or_nothing(tiny_library, data_root, monkeypatch):
    calls = []
    real_create = Move.objects.create

    def flaky(**kwargs):
        calls.append(kwargs["move_id"])
        if len(calls) == 3:
            raise RuntimeError("connection lost")
        return real_create(**kwargs)

    monkeypatch.setattr(Move.objects, "create", flaky)
    with pytest.raises(RuntimeError):
        moves_import(path=tiny_library)
    assert not Move.objects.exists()
    assert not any((data_root / "Bachata_steps").rglob("*.mp4"))


def test_nothing_usable_is_an_error(data_root, tmp_path):
    (tmp_path / "moves.json").write_text(
        json.dumps(
            {
                "moves": [
                    {
                        "move_id": "x",
                        "file": "x.mp4",
                        "style": "modern",
                        "difficulty": "beginner",
                        "energy_level": "low",
                    }
                ]
            }
        )
    )
    with pytest.raises(BachataError, match="no usable clip"):
        moves_import(path=tmp_path)


def test_cli_import_and_list(tiny_library, data_root):
    runner = CliRunner()
    result = runner.invoke(cli, ["moves", "import", str(tiny_library)], catch_exceptions=False)
    assert "added" in result.output
    listed = json.loads(
        runner.invoke(cli, ["moves", "list", "--json", "--style", "sensual"]).output
    )
    assert listed and all(m["style"] == "sensual" for m in listed)
    for key in (
        "move_id",
        "move_name",
        "video_path",
        "duration",
        "difficulty",
        "energy_level",
        "style",
    ):
        assert key in listed[0]
