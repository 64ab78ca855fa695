"""Named move libraries side by side: the demo and a real library with the same clip ids,
listing, removing, and plans restricted to one library."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bachata.choreography import selectors, services
from bachata.choreography.models import ChoreographyTask, Move
from bachata.cli import cli
from bachata.errors import BachataError
from bachata.render.cache import mezzanine_path
from tests.moves.test_sources import CLIPS, COLLIDING, make_upstream_repo

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_libraries(library, upstream_clips, tmp_path, data_root):
    """The tiny demo library and two real clips whose ids the demo also has, imported
    with ``bachata moves import <git URL>``."""
    url = make_upstream_repo(upstream_clips, tmp_path)
    result = CliRunner().invoke(cli, ["moves", "import", url])
    assert result.exit_code == 0, result.output
    assert "library bachata_buddy: 4 added" in result.output
    return url


def test_a_real_library_does_not_touch_the_demo_moves(two_libraries, data_root, settings):
    demo = {m.move_id: m for m in Move.objects.filter(library="demo")}
    # Camera footage (a keyframe in 8 s, CABAC) gets its mezzanine; the demo clips not.
    cache = settings.BACHATA.render_cache_dir
    for move in Move.objects.all():
        assert mezzanine_path(move.checksum, cache).is_file() == (move.library != "demo")
    for clip_id in COLLIDING:
        real = Move.objects.get(move_id=f"bachata_buddy:{clip_id}")
        assert real.library == "bachata_buddy"
        assert real.video_path.startswith("Bachata_steps/bachata_buddy/")
        assert (data_root / real.video_path).is_file()
        assert demo[clip_id].video_path != real.video_path
        assert (data_root / demo[clip_id].video_path).is_file()
        assert demo[clip_id].checksum != real.checksum
    assert selectors.move_libraries() == {"bachata_buddy": 4, "demo": len(demo)}

    again = CliRunner().invoke(cli, ["moves", "import", two_libraries])
    assert again.exit_code == 0 and "0 added, 0 updated, 4 unchanged" in again.output


def test_list_by_library(two_libraries):
    result = CliRunner().invoke(cli, ["moves", "list", "--library", "bachata_buddy"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert sorted(line.split()[0] for line in lines[:-1]) == [
        f"bachata_buddy:{c}" for c in sorted(CLIPS)
    ]
    assert lines[-1].startswith("4 moves; libraries: bachata_buddy (4), demo (")


def test_plans_can_be_restricted_to_one_library(two_libraries, library_song):
    def plan(library, style):
        return services.choreography_plan(
            song=library_song,
            difficulty="beginner",
            energy_level="medium",
            style=style,
            seed=3,
            library=library,
        )

    assert all(":" not in m.move_id for m in plan("demo", "modern").moves)
    real = plan("bachata_buddy", "modern").moves
    assert real and all(m.move_id.startswith("bachata_buddy:") for m in real)
    with pytest.raises(BachataError, match="no move library 'nope'"):
        plan("nope", "modern")


def test_remove_is_refused_while_blueprints_use_the_moves_unless_forced(
    two_libraries, library_song, user, data_root
):
    task = services.choreography_create(
        user=user,
        song=library_song,
        difficulty="beginner",
        energy_level="medium",
        style="modern",
        seed=1,
        render=False,
        library="bachata_buddy",
    )
    files = [data_root / m.video_path for m in Move.objects.filter(library="bachata_buddy")]
    refused = CliRunner().invoke(cli, ["moves", "remove", "--library", "bachata_buddy"])
    assert refused.exit_code == 1
    assert "1 stored blueprints use moves of library 'bachata_buddy'" in refused.output
    assert Move.objects.filter(library="bachata_buddy").count() == 4

    forced = CliRunner().invoke(cli, ["moves", "remove", "--library", "bachata_buddy", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "4 moves, 4 clips; 1 blueprints kept, marked unrenderable" in forced.output
    assert not Move.objects.filter(library="bachata_buddy").exists()
    assert not any(f.exists() for f in files)
    assert Move.objects.filter(library="demo").exists()
    task.refresh_from_db()
    assert task.blueprint.blueprint_json["moves"]  # kept
    assert "bachata_buddy" in task.unrenderable_reason
    with pytest.raises(BachataError, match="were removed; swap it for a move of the library"):
        services.choreography_regenerate(user=user, source_task_id=task.task_id)
    assert ChoreographyTask.objects.count() == 1

    gone = CliRunner().invoke(cli, ["moves", "remove", "--library", "bachata_buddy"])
    assert gone.exit_code == 1 and "no library 'bachata_buddy'" in gone.output


def test_library_names_are_checked(tiny_library):
    with pytest.raises(BachataError, match="library name"):
        services.moves_import(path=tiny_library, library="../Etc")


def test_the_api_lists_and_plans_by_library(two_libraries, library_song, user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    listed = api.get("/api/moves/", {"library": "bachata_buddy"}).json()
    assert sorted(m["move_id"] for m in listed) == [f"bachata_buddy:{c}" for c in sorted(CLIPS)]
    assert {m["library"] for m in listed} == {"bachata_buddy"}

    body = {"song_id": library_song.pk, "difficulty": "beginner", "style": "modern", "seed": 2}
    made = api.post("/api/choreographies/", {**body, "library": "bachata_buddy"}, format="json")
    assert made.status_code == 202, made.content
    task = ChoreographyTask.objects.get(pk=made.json()["task_id"])
    ids = {m["move_id"] for m in task.blueprint.blueprint_json["moves"]}
    assert ids and all(i.startswith("bachata_buddy:") for i in ids)

    unknown = api.post("/api/choreographies/", {**body, "library": "nope"}, format="json")
    assert unknown.status_code == 400 and "no move library 'nope'" in unknown.json()["error"]
