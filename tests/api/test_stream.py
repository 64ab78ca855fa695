"""The preview stream over the API: offered while the render runs, to its owner only."""

from __future__ import annotations

import pytest

from bachata.choreography.models import ChoreographyTask
from bachata.render.stream import playlist_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def streaming(generated, data_root):
    """The generated task as a running render that has published two segments."""
    task_id = generated["task_id"]
    folder = data_root / "streams" / task_id
    folder.mkdir(parents=True)
    (folder / "seg-00000.ts").write_bytes(b"G" * 188 * 10)
    (folder / "seg-00001.ts").write_bytes(b"G" * 188 * 4)
    (folder / "index.m3u8").write_text(playlist_text([3.8, 4.1], complete=False))
    ChoreographyTask.objects.filter(pk=task_id).update(
        status="running", stream_uri=f"streams/{task_id}/index.m3u8"
    )
    return task_id


def test_a_running_render_offers_its_stream(api, streaming):
    status = api.get(f"/api/choreographies/{streaming}/").json()
    url = f"/api/choreographies/{streaming}/stream/index.m3u8"
    assert status["stream_url"] == f"http://testserver{url}" and status["video_url"] is None

    playlist = api.get(url)
    assert playlist.status_code == 200
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    assert playlist["Cache-Control"] == "no-store"  # it grows: never a stale copy
    assert playlist.content.decode() == playlist_text([3.8, 4.1], complete=False)

    segment = api.get(f"/api/choreographies/{streaming}/stream/seg-00001.ts")
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    assert b"".join(segment.streaming_content) == b"G" * 188 * 4
    part = api.get(
        f"/api/choreographies/{streaming}/stream/seg-00000.ts", HTTP_RANGE="bytes=188-375"
    )
    assert part.status_code == 206 and b"".join(part.streaming_content) == b"G" * 188


def test_the_stream_is_the_owners_only(other_api, client, streaming):
    for name in ["index.m3u8", "seg-00000.ts"]:
        url = f"/api/choreographies/{streaming}/stream/{name}"
        assert other_api.get(url).status_code == 404
        assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize(
    "name", ["seg-00002.ts", "seg-1.ts", "..%2Fseg-00000.ts", "index.m3u8.bak", "%2e%2e"]
)
def test_only_the_streams_own_files_are_served(api, streaming, data_root, name):
    (data_root / "streams" / "secret.ts").write_bytes(b"x")
    assert api.get(f"/api/choreographies/{streaming}/stream/{name}").status_code == 404


def test_no_stream_before_it_starts_or_after_the_video_is_there(api, streaming):
    url = f"/api/choreographies/{streaming}/stream/index.m3u8"
    ChoreographyTask.objects.filter(pk=streaming).update(status="pending")
    assert api.get(f"/api/choreographies/{streaming}/").json()["stream_url"] is None
    assert api.get(url).status_code == 404
    ChoreographyTask.objects.filter(pk=streaming).update(
        status="completed", output_video_uri="choreographies/x.mp4"
    )
    assert api.get(f"/api/choreographies/{streaming}/").json()["stream_url"] is None
    answer = api.get(url)
    assert answer.status_code == 404 and "error" in answer.json()
