"""The ``bachata`` command: help, schema, validation, stored blueprints."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bachata.blueprint import blueprint_json_schema, parse_blueprint
from bachata.choreography import services
from bachata.cli import cli
from tests.factories import blueprint_dict


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_help_lists_every_command_group():
    result = run("--help")
    assert result.exit_code == 0
    for group in cli.commands:
        assert group in result.output
    assert {"db", "blueprint", "blueprints", "manage"} <= set(cli.commands)
    for name, _command in cli.commands.items():
        if name != "manage":
            assert run(name, "--help").exit_code == 0


def test_schema_prints_the_json_schema():
    result = run("blueprint", "schema")
    assert json.loads(result.output) == blueprint_json_schema()


def test_validate_reports_one_line_and_exits_non_zero(tmp_path):
    bad = blueprint_dict()
    bad["output_config"]["resolution"] = "big"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = CliRunner().invoke(cli, ["blueprint", "validate", str(path)])
    assert result.exit_code == 1
    assert "output_config.resolution" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_validate_prints_a_summary(tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(blueprint_dict(moves=2)))
    summary = json.loads(run("blueprint", "validate", str(path)).output)
    assert summary["moves"] == 2


@pytest.mark.django_db
def test_show_count_and_stats(user):
    doc = parse_blueprint(blueprint_dict(user_id=user.pk, moves=2))
    services.task_create(user=user, song=None, blueprint=doc)
    shown = json.loads(run("blueprint", "show", doc.task_id).output)
    assert shown == doc.to_json_dict()
    assert run("blueprints", "count").output.strip() == "1"
    stats = json.loads(run("blueprints", "stats", "--json").output)
    assert (stats["total_blueprints"], stats["avg_moves"]) == (1, 2.0)
    assert stats["avg_duration"] == pytest.approx(10.4)
    assert stats["distribution"]["style"] == {"modern": 1}
    assert stats["popular_moves"][0]["count"] == 1
    missing = CliRunner().invoke(cli, ["blueprint", "show", "nope"])
    assert missing.exit_code == 1 and "no blueprint for task nope" in missing.output


def test_song_analyse_prints_json(audio_dir):
    result = run("song", "analyse", str(audio_dir / "song.mp3"), "--json")
    data = json.loads(result.output)
    for key in ("bpm", "duration", "beats", "downbeats", "eight_counts", "sections", "energy"):
        assert key in data
    assert abs(data["bpm"] - 126) < 1.26
    assert all(isinstance(t, float) for t in data["eight_counts"])


def test_song_analyse_refuses_non_audio_in_one_line(audio_dir):
    result = CliRunner().invoke(cli, ["song", "analyse", str(audio_dir / "picture.mp3")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: picture.mp3")


@pytest.mark.django_db
def test_song_add_and_list(audio_dir, data_root):
    added = run(
        "song", "add", str(audio_dir / "song.ogg"), "--title", "Mi canción", "--artist", "X"
    )
    assert "added: Mi canción" in added.output
    again = run("song", "add", str(audio_dir / "song.ogg"))
    assert "already in the library" in again.output
    rows = json.loads(run("song", "list", "--json").output)
    assert [r["title"] for r in rows] == ["Mi canción"]
