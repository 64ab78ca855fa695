"""Byte ranges and revalidation for served media (what lets a browser seek)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils.http import http_date

from bachata.choreography.ranged import CHUNK_BYTES, ranged_file_response


@pytest.fixture
def media(tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(bytes(range(256)) * 40)  # 10240 bytes
    return path


def _get(path, **headers):
    request = RequestFactory().get("/media", **{f"HTTP_{k}": v for k, v in headers.items()})
    return ranged_file_response(request, path)


def _body(response):
    return b"".join(response.streaming_content)


def test_whole_file_advertises_ranges(media):
    response = _get(media)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes" and response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == "10240" and _body(response) == media.read_bytes()


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=10000-", 10000, 10239),
        ("bytes=-40", 10200, 10239),
        ("bytes=10200-99999", 10200, 10239),
    ],
)
def test_a_range_gives_206_and_exactly_those_bytes(media, header, first, last):
    response = _get(media, RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/10240"
    assert response["Content-Length"] == str(last - first + 1)
    assert _body(response) == media.read_bytes()[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=20000-", "bytes=50-10", "bytes=-0"])
def test_an_unsatisfiable_range_gives_416(media, header):
    response = _get(media, RANGE=header)
    assert response.status_code == 416 and response["Content-Range"] == "bytes */10240"


def test_open_ranges_are_served_in_chunks(tmp_path):
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * (CHUNK_BYTES + 100))
    response = _get(big, RANGE="bytes=0-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-{CHUNK_BYTES - 1}/{CHUNK_BYTES + 100}"


def test_several_ranges_or_other_units_get_the_whole_file(media):
    assert _get(media, RANGE="bytes=0-1,5-6").status_code == 200
    assert _get(media, RANGE="items=0-1").status_code == 200


def test_conditional_requests(media):
    first = _get(media)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert _get(media, IF_NONE_MATCH=etag).status_code == 304
    assert _get(media, IF_MODIFIED_SINCE=modified).status_code == 304
    assert _get(media, IF_NONE_MATCH='"other"').status_code == 200
    # If-Range: the range only if the file is still the same one.
    assert _get(media, RANGE="bytes=0-9", IF_RANGE=etag).status_code == 206
    assert _get(media, RANGE="bytes=0-9", IF_RANGE='"stale"').status_code == 200
    assert _get(media, IF_MODIFIED_SINCE=http_date(0)).status_code == 200


@pytest.fixture
def on_gcs(settings, tmp_path, monkeypatch):
    """Production settings: files on Cloud Storage, credentials from a key file (the
    signing needs no network; nothing is fetched from Google)."""
    import json
    from dataclasses import replace

    from tests.fakes import signing

    info, public_key = signing.service_account()
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(info))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "bachata-test")
    settings.BACHATA = replace(
        settings.BACHATA, storage="gcs", gcs_bucket="vids", signed_url_seconds=300
    )
    return public_key


@pytest.mark.django_db
def test_on_gcs_owners_are_sent_to_short_lived_signed_urls(on_gcs, user, other_user, song):
    from urllib.parse import parse_qs, urlsplit

    from django.test import Client
    from rest_framework.test import APIClient

    from bachata.choreography.models import ChoreographyTask, Song
    from tests.fakes import signing

    task = ChoreographyTask.objects.create(
        user=user,
        difficulty="beginner",
        energy_level="low",
        style="modern",
        status="completed",
        output_video_uri="gs://vids/choreographies/t1.mp4",
    )
    Song.objects.filter(pk=song.pk).update(audio_path="gs://vids/songs/este.mp3")
    api, web, stranger = APIClient(), Client(), APIClient()
    api.force_authenticate(user)
    web.force_login(user)
    stranger.force_authenticate(other_user)

    answer = api.get(f"/api/choreographies/{task.task_id}/video/")
    assert answer.status_code == 302 and answer["Cache-Control"] == "private, no-store"
    url = answer["Location"]
    assert urlsplit(url).path == "/vids/choreographies/t1.mp4"
    assert parse_qs(urlsplit(url).query)["X-Goog-Expires"] == ["300"]
    signing.verify(url, on_gcs)
    assert stranger.get(f"/api/choreographies/{task.task_id}/video/").status_code == 404

    download = web.get(f"/choreographies/{task.task_id}/video.mp4?download=1")
    assert download.status_code == 302
    query = parse_qs(urlsplit(download["Location"]).query)
    assert query["response-content-disposition"] == [
        f'attachment; filename="bachata-{task.task_id}.mp4"'
    ]
    signing.verify(download["Location"], on_gcs)

    audio = web.get(f"/songs/{song.pk}/audio")
    assert audio.status_code == 302
    assert urlsplit(audio["Location"]).path == "/vids/songs/este.mp3"
    signing.verify(audio["Location"], on_gcs)
