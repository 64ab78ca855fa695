"""Routines built of combos on songs with a known form (verses and choruses that
return, a break): what a teacher would build, measured by the quality report."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from bachata.blueprint import SongInfo, parse_blueprint
from bachata.blueprint.model import MoveSlot
from bachata.demo.library import demo_library
from bachata.demo.synth import synth_bachata
from bachata.music import analyse
from bachata.planner import PlanRequest
from bachata.planner import plan_choreography as _plan
from bachata.planner.quality import RoutineFacts, routine_figures

TASK = "6f1c1f0e-3c0a-4c55-9d43-3d2f5f6a7b8c"
#: verse, chorus, verse, chorus, break, bridge (mambo), chorus
FORM = (
    ("derecho", 8),
    ("majao", 8),
    ("derecho", 8),
    ("majao", 8),
    ("break", 2),
    ("mambo", 8),
    ("majao", 8),
)
BASE = demo_library()
#: The demo library plus what a real library has: an intro, an outro and a 1-count pose.
LIBRARY = [
    *BASE,
    replace(BASE[0], move_id="intro_walk", move_name="Intro walk", role="intro"),
    replace(BASE[0], move_id="outro_bow", move_name="Outro bow", role="outro"),
    replace(BASE[6], move_id="pose_dip", move_name="Pose dip", role="dip"),
]
ROLE = {m.move_id: m.role for m in LIBRARY}


@pytest.fixture(scope="module")
def song():
    audio = synth_bachata(bpm=126, structure=FORM, seed=11)
    analysis = analyse(audio.audio, audio.sr)
    info = SongInfo(
        id=1, title="Forma", artist="", audio_path="songs/forma.mp3", bpm=analysis.bpm,
        duration=analysis.duration,
    )  # fmt: skip
    return analysis, info


def plan(song, *, seed=0, difficulty="advanced", style="modern", library=LIBRARY):
    analysis, info = song
    return _plan(
        analysis=analysis,
        song=info,
        library=library,
        request=PlanRequest(difficulty, "medium", style, seed),
        task_id=TASK,
    )


def _sections(analysis, blueprint):
    """(label, moves) for each section the routine covers, in order."""
    out = []
    for section, label in zip(analysis.sections, analysis.form, strict=True):
        inside = [
            m for m in blueprint.moves if section.start - 1e-3 <= m.start_time < section.end - 1e-3
        ]
        if inside:
            out.append((label, inside))
    return out


def test_the_analysis_hears_the_form(song):
    analysis, _ = song
    assert analysis.form == ["intro", "A", "B", "A", "B", "break", "C", "B", "outro"]


def test_returning_music_gets_its_combo_again(song):
    analysis, _ = song
    blueprint = plan(song)
    first: dict[str, list[str]] = {}
    returns = 0
    for label, moves in _sections(analysis, blueprint):
        body = [m for m in moves if m.combo not in ("intro", "finish")]
        sequence = [m.move_id for m in body if m.combo == label]
        if label in first:
            returns += 1
            k = min(len(sequence), len(first[label]))
            assert sequence[:k] == first[label][:k], label
            assert {m.combo for m in body} <= {label, f"{label}+"}
        else:
            first[label] = sequence
        # Every section starts a combo (or the routine's opening move).
        assert moves[0].combo != _before(blueprint, moves[0]) or _opens_combo(blueprint, moves[0])
    assert returns == 3  # A once, B twice
    quality = blueprint.quality
    assert quality.boundaries_on_combo == 1.0 and quality.repeats_same_combo == 1.0


def _before(blueprint, move):
    index = blueprint.moves.index(move)
    return blueprint.moves[index - 1].combo if index else None


def _opens_combo(blueprint, move):
    combo = next(c for c in blueprint.combos if c.id == move.combo)
    return combo.moves[0] == move.move_id


def test_a_teachers_routine(song):
    blueprint = plan(song)
    moves = blueprint.moves
    roles = [ROLE[m.move_id] for m in moves]
    # Intro only to open, a finishing pose on the last "1", no outro in the middle.
    assert roles[0] == "intro" and moves[0].combo == "intro"
    assert roles[-1] == "dip" and moves[-1].combo == "finish"
    analysis, _ = song
    assert moves[-1].start_time == pytest.approx(analysis.eight_counts[-1])  # the last "1"
    assert "intro" not in roles[1:] and "outro" not in roles[:-1]
    # Turns are prepared by a basic or travel move within their combo.
    for a, b in itertools.pairwise(moves):
        if ROLE[b.move_id] == "turn" and a.combo == b.combo:
            assert ROLE[a.move_id] in ("basic", "travel"), (a.move_id, b.move_id)
    # Combos: different moves within, and different from each other.
    combos = {c.id: c for c in blueprint.combos}
    for letter in "ABC":
        assert len(set(combos[letter].moves)) == len(combos[letter].moves)
        assert 2 <= combos[letter].eight_counts <= 4
    assert len({tuple(combos[x].moves) for x in "ABC"}) == 3
    assert combos["B"].repeats > combos["C"].repeats
    quality = blueprint.quality
    assert quality.roles_in_place == 1.0 and quality.ends_on_finish is True
    assert quality.moves_per_combo >= 2
    assert quality.back_to_back_repeats == 0


def test_the_combos_list_describes_the_routine(song):
    blueprint = plan(song)
    listed = [c.id for c in blueprint.combos]
    assert listed == list(dict.fromkeys(m.combo for m in blueprint.moves))
    for combo in blueprint.combos:
        # Each time the routine starts the combo it plays it, or its start where the
        # section is short; at least once it plays all of it.
        plays = [
            [m for m in run]
            for key, run in itertools.groupby(blueprint.moves, key=lambda m: m.combo)
            if key == combo.id
        ]
        whole = 0
        for run in plays:
            for k in range(0, len(run), len(combo.moves)):
                part = [m.move_id for m in run[k : k + len(combo.moves)]]
                assert part == combo.moves[: len(part)], combo.id
                whole += part == combo.moves
        assert whole >= 1, combo.id
        assert whole <= combo.repeats <= sum(len(run) for run in plays)
        spans = {m.move_id: m.eight_counts for m in blueprint.moves if m.combo == combo.id}
        assert sum(spans[x] for x in combo.moves) == combo.eight_counts
    assert parse_blueprint(blueprint.to_json()) == blueprint


def test_the_same_seed_gives_the_same_routine(song):
    assert plan(song, seed=4) == plan(song, seed=4)
    assert any(plan(song, seed=s).moves != plan(song, seed=4).moves for s in (5, 6, 7))


def test_a_routine_without_finishers_says_so(song):
    library = [m for m in BASE if m.role not in ("dip", "outro")]
    blueprint = plan(song, library=library)
    assert blueprint.quality.ends_on_finish is False
    assert all(m.combo != "finish" for m in blueprint.moves)


def _slot(move_id, start, role, combo):
    return MoveSlot(
        move_id=move_id, move_name=move_id, video_path=f"Bachata_steps/x/{move_id}.mp4",
        start_time=start, end_time=start + 4, duration=4, difficulty="beginner",
        energy_level="low", style="modern", role=role, combo=combo,
    )  # fmt: skip


def test_the_figures_catch_a_routine_that_ignores_the_form():
    moves = [
        _slot("a", 0, "basic", "A"),
        _slot("outro_bow", 4, "outro", "A"),  # an outro in the middle
        _slot("c", 8, "basic", "B"),
        _slot("d", 12, "turn", "B"),
    ]
    figures = routine_figures(
        moves,
        RoutineFacts(section_starts=[0, 6, 8], combo_starts=[0, 8], returning=[("A", "B")]),
    )
    assert figures["boundaries_on_combo"] == 0.5  # 6 s is inside a combo, 8 s is not
    assert figures["repeats_same_combo"] == 0.0
    assert figures["roles_in_place"] == 0.0
    assert figures["ends_on_finish"] is False
    assert figures["moves_per_combo"] == 2.0


def test_the_class_sheet_counts_each_combo_from_one(song):
    from bachata.planner.combos import breakdown

    blueprint = plan(song)
    sheet = breakdown(blueprint)
    assert [c.id for c in sheet] == [c.id for c in blueprint.combos]
    for combo in sheet:
        assert combo.moves[0].first == 1
        assert combo.moves[-1].last == 8 * combo.eight_counts
        for a, b in itertools.pairwise(combo.moves):
            assert b.first == a.last + 1
        assert combo.end - combo.start == pytest.approx(
            sum(m.duration for m in blueprint.moves if combo.start <= m.start_time < combo.end)
        )
    # A combo whose moves were swapped everywhere is no longer a combo to teach.
    gone = blueprint.combos[1]
    moves = [
        m.model_copy(update={"move_id": "box_step"}) if m.combo == gone.id else m
        for m in blueprint.moves
    ]
    assert gone.id not in {c.id for c in breakdown(blueprint.model_copy(update={"moves": moves}))}
