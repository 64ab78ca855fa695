"""Planning through the service: stored analysis in, task and blueprint stored together."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bachata.choreography import services
from bachata.choreography.models import BlueprintRecord, ChoreographyTask
from bachata.choreography.services import songs as song_services
from bachata.cli import cli
from bachata.planner import PlanError

pytestmark = pytest.mark.django_db


def test_create_plans_from_the_stored_analysis_and_stores_both(library_song, user, monkeypatch):
    monkeypatch.setattr(song_services, "analyse", _no_analysis)
    task = services.choreography_create(
        user=user,
        song=library_song,
        difficulty="Beginner",
        energy_level="medium",
        style="urban",
        seed=4,
    )
    task.refresh_from_db()
    assert (task.difficulty, task.energy_level, task.style, task.status) == (
        "beginner",
        "medium",
        "modern",
        "pending",
    )
    data = BlueprintRecord.objects.get(task=task).blueprint_json
    assert data["task_id"] == task.task_id
    assert (
        data["song"]["id"] == library_song.pk
        and data["song"]["audio_path"] == library_song.audio_path
    )
    assert data["generation_parameters"]["user_id"] == user.pk
    assert data["generation_parameters"]["seed"] == 4
    assert data["quality"]["on_one_share"] == 1.0
    assert all(m["video_path"].startswith("Bachata_steps/") for m in data["moves"])


def _no_analysis(*args, **kwargs):
    raise AssertionError("planning must not re-analyse the song")


def test_impossible_request_stores_nothing(library_song, user):
    with pytest.raises(PlanError, match="no bolero moves"):
        services.choreography_create(
            user=user, song=library_song, difficulty="beginner", energy_level="low", style="bolero"
        )
    assert not ChoreographyTask.objects.exists()


def test_cli_plan_prints_a_blueprint_and_a_report(library_song, tmp_path):
    runner = CliRunner()
    out = tmp_path / "plan.json"
    result = runner.invoke(
        cli,
        [
            "plan",
            str(library_song.pk),
            "-d",
            "intermediate",
            "-e",
            "high",
            "-s",
            "modern",
            "--seed",
            "2",
            "--out",
            str(out),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0 and "moves" in result.output
    blueprint = json.loads(out.read_text())
    assert blueprint["generation_parameters"]["difficulty_level"] == "intermediate"
    report = json.loads(runner.invoke(cli, ["plan", str(library_song.pk), "--report"]).stdout)
    assert report["on_one_share"] == 1.0 and report["back_to_back_repeats"] == 0
    missing = runner.invoke(cli, ["plan", "999999"])
    assert missing.exit_code == 1 and "no song 999999" in missing.output


def test_cli_plan_adds_an_audio_file_first(library, audio_dir):
    result = CliRunner().invoke(
        cli, ["plan", str(audio_dir / "song.flac"), "--report"], catch_exceptions=False
    )
    assert json.loads(result.stdout)["on_one_share"] == 1.0
