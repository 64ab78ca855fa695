"""Operators correct a clip's count 1 and tempo: service, CLI and admin; re-imports keep it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bachata.choreography import services
from bachata.choreography.models import Move
from bachata.cli import cli
from bachata.errors import BachataError, NotFound

pytestmark = pytest.mark.django_db


def test_set_timing_is_checked_stored_and_kept_by_reimport(library, tiny_library):
    before = Move.objects.get(pk="cross_body_lead")
    move = services.move_timing_set(move_id="cross_body_lead", count1_offset=0.25, tempo=121.0)
    assert (move.count1_offset, move.tempo_bpm, move.timing_corrected) == (0.25, 121.0, True)
    assert move.length_counts <= before.length_counts and move.length_counts % 8 == 0
    report = services.moves_import(path=tiny_library)
    assert "cross_body_lead" in report.unchanged
    again = Move.objects.get(pk="cross_body_lead")
    assert (again.count1_offset, again.tempo_bpm) == (0.25, 121.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tempo": 300.0}, "between 40 and 250"),
        ({"count1_offset": -1.0}, "outside"),
        ({"count1_offset": 999.0}, "outside"),
        ({"tempo": 40.0}, "not one 8-count fits"),
    ],
)
def test_impossible_timings_are_refused_and_change_nothing(library, kwargs, message):
    before = Move.objects.get(pk="basic_side")
    with pytest.raises(BachataError, match=message):
        services.move_timing_set(move_id="basic_side", **kwargs)
    after = Move.objects.get(pk="basic_side")
    assert (after.tempo_bpm, after.count1_offset, after.timing_corrected) == (
        before.tempo_bpm,
        before.count1_offset,
        False,
    )


def test_unknown_move(library):
    with pytest.raises(NotFound, match="no move 'nope'"):
        services.move_timing_set(move_id="nope", tempo=120.0)


def test_cli_set_timing(library):
    runner = CliRunner()
    done = runner.invoke(cli, ["moves", "set-timing", "basic_side", "--count1", "0.5"])
    assert done.exit_code == 0, done.output
    assert "count 1 at 0.500 s" in done.stdout
    assert Move.objects.get(pk="basic_side").timing_corrected
    nothing = runner.invoke(cli, ["moves", "set-timing", "basic_side"])
    assert nothing.exit_code == 2 and "--count1" in nothing.output
    bad = runner.invoke(cli, ["moves", "set-timing", "basic_side", "--tempo", "999"])
    assert bad.exit_code == 1 and "between 40 and 250" in bad.output


def test_admin_timing_edit_goes_through_the_service(library, admin_client):
    move = Move.objects.get(pk="basic_side")
    url = f"/admin/choreography/move/{move.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(count1_offset="0.6", tempo_bpm=str(move.tempo_bpm))
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Move.objects.get(pk="basic_side")
    assert saved.count1_offset == 0.6 and saved.timing_corrected
