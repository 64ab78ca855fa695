"""The planner on the demo library and demo songs: on the music, in tempo, knobs honoured."""

from __future__ import annotations

import collections
import itertools
import uuid
from dataclasses import replace

import numpy as np
import pytest

from bachata.blueprint import SongInfo, parse_blueprint
from bachata.demo.clips import DEMO_SONGS
from bachata.demo.library import demo_library
from bachata.demo.synth import synth_bachata
from bachata.music import analyse
from bachata.planner import MAX_SPEED, MIN_SPEED, PlanError, PlanRequest
from bachata.planner import plan_choreography as _plan

TASK = "6f1c1f0e-3c0a-4c55-9d43-3d2f5f6a7b8c"

LIBRARY = demo_library()
BY_ID = {m.move_id: m for m in LIBRARY}


@pytest.fixture(scope="module", params=DEMO_SONGS, ids=[s[0] for s in DEMO_SONGS])
def song(request):
    stem, title, bpm, seed = request.param
    audio = synth_bachata(bpm=bpm, seed=seed)
    analysis = analyse(audio.audio, audio.sr)
    info = SongInfo(
        id=1,
        title=title,
        artist="demo",
        audio_path=f"songs/{stem}.mp3",
        bpm=analysis.bpm,
        duration=analysis.duration,
    )
    return analysis, info


def plan(song, difficulty="beginner", energy="medium", style="modern", seed=0, library=LIBRARY):
    analysis, info = song
    return _plan(
        analysis=analysis,
        song=info,
        library=library,
        request=PlanRequest(difficulty, energy, style, seed),
        task_id=TASK,
        user_id=5,
    )


REQUESTS = [
    (d, e, s)
    for d in ("beginner", "intermediate", "advanced")
    for e in ("low", "medium", "high")
    for s in ("modern", "sensual", "dominican")
]


@pytest.mark.parametrize(("difficulty", "energy", "style"), REQUESTS)
def test_every_move_sits_on_the_grid(song, difficulty, energy, style):
    analysis, _ = song
    blueprint = plan(song, difficulty, energy, style)
    ones = np.array(analysis.eight_counts)
    assert blueprint.moves[0].start_time == pytest.approx(analysis.eight_counts[0])
    for move in blueprint.moves:
        index = int(np.argmin(np.abs(ones - move.start_time)))
        assert abs(ones[index] - move.start_time) < 1e-3  # starts on a "1"
        assert move.eight_counts == BY_ID[move.move_id].eight_counts or (
            move is blueprint.moves[-1]
        )
        end_index = index + move.eight_counts
        expected_end = ones[end_index] if end_index < len(ones) else move.end_time
        assert move.end_time == pytest.approx(expected_end, abs=1e-3)
    for a, b in zip(blueprint.moves, blueprint.moves[1:], strict=False):
        assert b.start_time == a.end_time  # contiguous
    last_row = analysis.count_grid[-1]
    assert blueprint.moves[-1].end_time == pytest.approx(
        last_row[-1] + (last_row[-1] - last_row[0]) / 7, abs=0.02
    )
    assert blueprint.total_duration == pytest.approx(
        blueprint.moves[-1].end_time - blueprint.moves[0].start_time, abs=1e-6
    )
    quality = blueprint.quality
    assert quality.on_one_share == 1.0
    # A routine of combos that follows the song's form (see test_combos.py).
    assert quality.boundaries_on_combo == 1.0 and quality.repeats_same_combo == 1.0
    assert quality.roles_in_place == 1.0
    if quality.distinct_moves >= 4:  # with fewer, combos must repeat a move somewhere
        assert quality.back_to_back_repeats == 0
    assert parse_blueprint(blueprint.to_json()) == blueprint  # valid as a document


@pytest.mark.parametrize(("difficulty", "energy", "style"), REQUESTS[::4])
def test_clips_play_in_tempo(song, difficulty, energy, style):
    blueprint = plan(song, difficulty, energy, style)
    for move in blueprint.moves:
        library_move = BY_ID[move.move_id]
        clip_beat = 60 / library_move.tempo
        song_beat = move.duration / (8 * move.eight_counts)
        assert move.speed == pytest.approx(clip_beat / song_beat, rel=1e-4)
        assert MIN_SPEED <= move.speed <= MAX_SPEED
        assert move.clip_start == library_move.count1_offset  # count 1 on the slot's start
        assert move.clip_end == pytest.approx(
            move.clip_start + move.duration * move.speed, abs=1e-5
        )
        assert move.clip_end <= library_move.duration


def test_beginners_only_get_beginner_moves(song):
    for energy in ("low", "medium", "high"):
        for style in ("modern", "sensual", "dominican"):
            moves = plan(song, "beginner", energy, style).moves
            assert {m.difficulty for m in moves} == {"beginner"}
            assert {m.style for m in moves} == {style}


def test_advanced_is_mostly_advanced_with_breathers(song):
    counts = collections.Counter(m.difficulty for m in plan(song, "advanced", "high").moves)
    assert counts["advanced"] > sum(counts.values()) / 2
    assert counts["advanced"] < sum(counts.values())


def test_intermediate_never_gets_advanced(song):
    for style in ("modern", "sensual", "dominican"):
        assert "advanced" not in {
            m.difficulty for m in plan(song, "intermediate", style=style).moves
        }


LEVEL = {"low": 0, "medium": 1, "high": 2}


def test_energy_request_moves_the_whole_plan(song):
    low = np.mean([LEVEL[m.energy_level] for m in plan(song, "intermediate", "low").moves])
    high = np.mean([LEVEL[m.energy_level] for m in plan(song, "intermediate", "high").moves])
    assert high > low + 0.5


def test_quiet_break_gets_calmer_moves_even_on_a_high_energy_request(song):
    blueprint = plan(song, "beginner", "high", "modern")
    in_break = [m for m in blueprint.moves if m.section == "break"]
    elsewhere = [m for m in blueprint.moves if m.section != "break"]
    assert in_break
    assert max(LEVEL[m.energy_level] for m in in_break) < np.mean(
        [LEVEL[m.energy_level] for m in elsewhere]
    )
    # Energy follows the music combo by combo: a combo repeats through its section, so
    # compare each combo's moves with the music it plays over.
    analysis, _ = song
    ones = np.array(analysis.eight_counts)
    by_combo = collections.defaultdict(lambda: ([], []))
    for m in blueprint.moves:
        i = int(np.argmin(np.abs(ones - m.start_time)))
        by_combo[m.combo][0].append(LEVEL[m.energy_level])
        by_combo[m.combo][1].append(np.mean(analysis.energy[i : i + m.eight_counts]))
    moves_energy = [np.mean(a) for a, _ in by_combo.values()]
    music_energy = [np.mean(b) for _, b in by_combo.values()]
    assert np.corrcoef(moves_energy, music_energy)[0, 1] > 0.3


def test_eligible_moves_are_used_evenly(song):
    blueprint = plan(song, "beginner", "medium", "modern")
    uses = collections.Counter(m.move_id for m in blueprint.moves)
    eligible = {m.move_id for m in LIBRARY if m.style == "modern" and m.difficulty == "beginner"}
    assert set(uses) == eligible
    assert max(uses.values()) - min(uses.values()) <= 3


def test_positions_connect_when_the_library_gives_them(song):
    positions = ["closed", "open", "shadow"]
    library = [
        replace(m, entry=positions[i % 3], exit=positions[(i + 1) % 3])
        for i, m in enumerate(LIBRARY)
    ]
    library += [replace(m, move_id=m.move_id + "_b", entry=m.exit, exit=m.entry) for m in library]
    blueprint = plan(song, "advanced", "medium", "modern", library=library)
    by_id = {m.move_id: m for m in library}
    chosen = [by_id[m.move_id] for m in blueprint.moves]
    for a, b in itertools.pairwise(chosen):
        assert a.exit == b.entry
    assert blueprint.quality.transition_mismatches == 0


def test_same_seed_same_bytes_other_seed_other_plan(song):
    first = plan(song, "intermediate", "medium", "modern", seed=7).to_json()
    again = plan(song, "intermediate", "medium", "modern", seed=7).to_json()
    assert first == again
    others = {
        tuple(m.move_id for m in plan(song, "intermediate", "medium", "modern", seed=s).moves)
        for s in range(5)
    }
    assert len(others) > 1


def test_missing_moves_give_a_clear_error(song):
    with pytest.raises(PlanError, match="no bolero moves for a beginner dancer"):
        plan(song, "beginner", "medium", "bolero")
    only_one = [m for m in LIBRARY if m.move_id == "hip_roll"]
    with pytest.raises(PlanError, match="at least two moves"):
        plan(song, "beginner", "low", "sensual", library=only_one)
    with pytest.raises(PlanError, match="unknown style"):
        PlanRequest("beginner", "low", "salsa")


def test_documented_fallback_when_a_style_is_too_thin(song):
    library = [m for m in LIBRARY if m.style != "sensual" or m.move_id == "hip_roll"]
    blueprint = plan(song, "beginner", "low", "sensual", library=library)
    assert blueprint.generation_parameters.fallbacks
    assert "other styles were added" in blueprint.generation_parameters.fallbacks[0]
    assert blueprint.quality.back_to_back_repeats == 0


def test_out_of_range_tempo_is_avoided_when_possible(song):
    slow = replace(BY_ID["basic_side"], move_id="slow_basic", tempo=80.0)  # needs > 1.5x
    blueprint = plan(song, "beginner", "medium", "modern", library=[*LIBRARY, slow])
    assert "slow_basic" not in {m.move_id for m in blueprint.moves}
    assert blueprint.generation_parameters.fallbacks is None


def test_blueprint_records_the_request(song):
    blueprint = plan(song, "advanced", "low", "dominican", seed=3)
    params = blueprint.generation_parameters
    assert (
        params.difficulty_level,
        params.energy_level,
        params.style,
        params.ai_mode,
        params.user_id,
        params.seed,
    ) == ("advanced", "low", "dominican", False, 5, 3)
    assert blueprint.task_id == TASK
    uuid.UUID(blueprint.task_id)


def test_described_wishes_are_honoured_and_recorded(song):
    from dataclasses import replace as change

    analysis, info = song
    base = PlanRequest("advanced", "medium", "sensual", 1)
    plain = _plan(analysis=analysis, song=info, library=LIBRARY, request=base, task_id=TASK)
    wished = _plan(
        analysis=analysis,
        song=info,
        library=LIBRARY,
        task_id=TASK,
        request=change(
            base, prefer=("body",), avoid=("dip",), description="lots of body waves, no dips"
        ),
    )
    assert any("dip" in m.move_id for m in plain.moves)
    assert not any("dip" in m.move_id for m in wished.moves)

    def body(bp):
        return sum(BY_ID[m.move_id].family == "body" for m in bp.moves)

    assert body(wished) > body(plain)
    params = wished.generation_parameters
    assert params.ai_mode and params.description == "lots of body waves, no dips"
    assert (params.prefer, params.avoid) == (["body"], ["dip"])
    assert not plain.generation_parameters.ai_mode


def test_avoiding_everything_is_a_clear_error(song):
    analysis, info = song
    request = PlanRequest("beginner", "low", "sensual", avoid=("hip", "sensual"))
    with pytest.raises(PlanError, match="leaving out"):
        _plan(analysis=analysis, song=info, library=LIBRARY, request=request, task_id=TASK)
