"""Reading move metadata: the project's manifest and Bachata Buddy annotations."""

from __future__ import annotations

import json

import pytest

from bachata.errors import BachataError
from bachata.moves import find_library, read_library
from bachata.moves.manifest import style_for_label


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def test_manifest_entries_are_read_and_normalised(tmp_path):
    manifest = _write(
        tmp_path / "moves.json",
        {
            "moves": [
                {
                    "move_id": "a1",
                    "move_name": "A",
                    "file": "x/a.mp4",
                    "style": "Traditional",
                    "difficulty": "Low",
                    "energy_level": "Energetic",
                    "counts": 16,
                    "tempo": 120,
                    "count1_offset": 0.25,
                    "entry": "open",
                    "exit": "shadow",
                },
            ]
        },
    )
    specs, problems = read_library(tmp_path)
    assert problems == []
    (spec,) = specs
    assert (spec.style, spec.difficulty, spec.energy_level) == ("dominican", "beginner", "high")
    assert (spec.counts, spec.tempo, spec.count1_offset) == (16, 120.0, 0.25)
    assert (spec.entry, spec.exit) == ("open", "shadow")
    assert spec.source == tmp_path / "x" / "a.mp4" and spec.name == "x/a.mp4"
    assert find_library(tmp_path) == manifest


def test_annotations_format_with_mixed_vocabulary(tmp_path):
    _write(
        tmp_path / "data" / "bachata_annotations.json",
        {
            "clips": [
                {
                    "clip_id": "basic_step_1",
                    "video_path": "basic/basic_step.mp4",
                    "move_label": "basic",
                    "energy_level": "low",
                    "estimated_tempo": 118,
                    "difficulty": "low",
                },
                {
                    "clip_id": "body_roll_2",
                    "video_path": "body_roll/body_roll.mp4",
                    "move_label": "body_roll",
                    "energy_level": "medium",
                    "estimated_tempo": 0,
                    "difficulty": "advanced",
                },
                {
                    "clip_id": "footwork_3",
                    "video_path": "footwork/f.mp4",
                    "move_label": "footwork",
                    "energy_level": "high",
                    "difficulty": "intermediate",
                },
            ]
        },
    )
    specs, problems = read_library(tmp_path)  # the folder that holds data/
    assert problems == []
    by_id = {s.move_id: s for s in specs}
    basic = by_id["basic_step_1"]
    assert basic.source == tmp_path / "data" / "Bachata_steps" / "basic" / "basic_step.mp4"
    # The annotation's coarse tempo is only a hint: the clip's audio gives the tempo.
    assert (basic.difficulty, basic.style, basic.tempo, basic.tempo_hint, basic.counts) == (
        "beginner",
        "modern",
        None,
        118.0,
        None,
    )
    assert basic.move_name == "Basic Step"
    assert by_id["body_roll_2"].style == "sensual" and by_id["body_roll_2"].tempo_hint is None
    assert by_id["footwork_3"].style == "dominican"


def test_bad_entries_are_reported_not_fatal(tmp_path):
    good = {
        "move_id": "ok",
        "file": "ok.mp4",
        "style": "modern",
        "difficulty": "beginner",
        "energy_level": "low",
    }
    _write(
        tmp_path / "moves.json",
        {
            "moves": [
                good,
                {**good, "move_id": "ok"},
                {**good, "move_id": "bad_counts", "counts": 12},
                {**good, "move_id": "escape", "file": "../../etc/passwd"},
                {**good, "move_id": "salsa", "style": "salsa"},
                {"move_id": "no_file", "style": "modern"},
                "not an object",
            ]
        },
    )
    specs, problems = read_library(tmp_path / "moves.json")
    assert [s.move_id for s in specs] == ["ok"]
    text = "\n".join(str(p) for p in problems)
    for expected in [
        "duplicate id 'ok'",
        "multiple of 8",
        "relative path",
        "unknown style",
        "missing field",
        "expected an object",
    ]:
        assert expected in text
    assert len(problems) == 6


def test_unreadable_metadata_is_one_clear_error(tmp_path):
    (tmp_path / "moves.json").write_text("{not json")
    with pytest.raises(BachataError, match="not a readable JSON"):
        read_library(tmp_path)
    with pytest.raises(BachataError, match=r"no moves\.json"):
        read_library(tmp_path / "nothing-here")


@pytest.mark.parametrize(
    ("label", "style"),
    [
        ("body_wave", "sensual"),
        ("hip_roll", "sensual"),
        ("golpes", "dominican"),
        ("bolero_turn", "bolero"),
        ("cross_body_lead", "modern"),
    ],
)
def test_style_from_label(label, style):
    assert style_for_label(label) == style


def test_roles_and_styles_of_the_real_library(upstream_clips):
    """Every clip of the original project's library gets a role and a style from its
    label and clip id; its outros and intros are known, sensual clips are not modern."""
    from bachata.moves.manifest import ROLES, read_library

    specs, problems = read_library(upstream_clips)
    assert len(specs) == 34  # 35 entries, "paseala" twice (the second is skipped)
    assert [p.reason for p in problems] == ["duplicate id 'paseala'"]
    by_id = {s.move_id: s for s in specs}
    assert all(s.role in ROLES for s in specs)
    assert {i for i, s in by_id.items() if s.role == "outro"} == {
        "outro", "outro2", "outro3", "outro4"
    }  # fmt: skip
    assert {i for i, s in by_id.items() if s.role == "intro"} >= {"intro", "intro3", "intro_basic"}
    expected = {
        "sensual_basic": ("basic", "sensual"),
        "triple_bodywave": ("styling", "sensual"),
        "double_spin": ("turn", "modern"),
        "ladyturn_left": ("turn", "modern"),
        "cross_body_lead": ("travel", "modern"),
        "paseala": ("travel", "modern"),
        "golpes": ("footwork", "dominican"),
        "basic_footwork": ("footwork", "dominican"),
        "sidedip3": ("dip", "sensual"),
        "golpes_cambre": ("dip", "dominican"),
        "hiproll": ("styling", "sensual"),
        "sensual_bolero": ("basic", "bolero"),
        "basic": ("basic", "modern"),
    }
    for clip, (role, style) in expected.items():
        assert (by_id[clip].role, by_id[clip].style) == (role, style), clip
    counts = {r: sum(s.role == r for s in specs) for r in ROLES}
    assert all(counts[r] > 0 for r in ROLES), counts


def test_a_manifest_can_set_the_role(tmp_path):
    import json

    from bachata.moves.manifest import read_library

    entry = {"move_id": "x", "file": "x.mp4", "style": "modern", "difficulty": "beginner",
             "energy_level": "low", "family": "spin"}  # fmt: skip
    moves = [entry, {**entry, "move_id": "y", "role": "outro"}]
    moves.append({**entry, "move_id": "z", "role": "salsa"})
    (tmp_path / "moves.json").write_text(json.dumps({"moves": moves}))
    specs, problems = read_library(tmp_path)
    assert [(s.move_id, s.role) for s in specs] == [("x", "turn"), ("y", "outro")]
    assert "role 'salsa'" in problems[0].reason
