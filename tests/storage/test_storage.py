"""Storage backends: local folders and Google Cloud Storage (against a fake JSON API)."""

from __future__ import annotations

import json
import os

import pytest

from bachata.config import Config
from bachata.errors import BachataError, NotFound
from bachata.storage import GCSStorage, LocalStorage, storage_for
from tests.fakes.gcs_server import FakeGCSServer, client_for

BUCKET = "bachata-buddy-videos"


@pytest.fixture
def fake_gcs():
    with FakeGCSServer() as fake:
        yield fake


@pytest.fixture
def gcs(fake_gcs, tmp_path):
    return GCSStorage(BUCKET, tmp_path / "gcs-cache", client=client_for(fake_gcs))


def test_local_layout_follows_the_seed(tmp_path):
    storage = LocalStorage(tmp_path)
    source = tmp_path / "in.mp4"
    source.write_bytes(b"video")
    assert storage.put("choreographies", "t.mp4", source) == "choreographies/t.mp4"
    assert storage.put("moves", "basic/b.mp4", source) == "Bachata_steps/basic/b.mp4"
    assert storage.put("songs", "s.mp3", source) == "songs/s.mp3"
    assert storage.local_path("songs/s.mp3").read_bytes() == b"video"
    assert storage.exists("choreographies/t.mp4")
    storage.delete("choreographies/t.mp4")
    assert not storage.exists("choreographies/t.mp4")


def test_local_move_renames_instead_of_copying(tmp_path):
    storage = LocalStorage(tmp_path / "root")
    source = tmp_path / "work.mp4"
    source.write_bytes(b"x")
    inode = source.stat().st_ino
    location = storage.put("choreographies", "a.mp4", source, move=True)
    assert not source.exists()
    assert storage.local_path(location).stat().st_ino == inode


@pytest.mark.parametrize(
    "location", ["../etc/passwd", "songs/../../etc/passwd", "/etc/passwd", "gs://bucket/x.mp3"]
)
def test_local_refuses_path_tricks(tmp_path, location):
    with pytest.raises(BachataError):
        LocalStorage(tmp_path).local_path(location)
    with pytest.raises(BachataError):
        LocalStorage(tmp_path).put("songs", location, tmp_path)


def test_gcs_upload_sends_one_multipart_request(gcs, fake_gcs, tmp_path):
    source = tmp_path / "video.mp4"
    source.write_bytes(b"\x00\x01video-bytes" * 100)
    location = gcs.put("choreographies", "task-1.mp4", source)
    assert location == f"gs://{BUCKET}/choreographies/task-1.mp4"
    (request,) = [r for r in fake_gcs.requests if r.path.startswith("/upload/")]
    assert (request.method, request.path) == ("POST", f"/upload/storage/v1/b/{BUCKET}/o")
    assert request.query["uploadType"] == "multipart"
    assert b'"name": "choreographies/task-1.mp4"' in request.body.replace(b'":"', b'": "')
    assert fake_gcs.objects[(BUCKET, "choreographies/task-1.mp4")][0] == source.read_bytes()


def test_gcs_large_upload_is_resumable(gcs, fake_gcs, tmp_path):
    source = tmp_path / "big.mp4"
    source.write_bytes(os.urandom(9 * 1024 * 1024))  # over the client's multipart limit
    gcs.put("moves", "turn/big.mp4", source)
    start, put = [r for r in fake_gcs.requests if r.path.startswith("/upload/")]
    assert start.query["uploadType"] == "resumable" and start.method == "POST"
    assert json.loads(start.body)["name"] == "moves/turn/big.mp4"
    assert put.method == "PUT" and len(put.body) == source.stat().st_size
    assert fake_gcs.objects[(BUCKET, "moves/turn/big.mp4")][0] == source.read_bytes()


def test_gcs_reads_through_a_local_cache(gcs, fake_gcs, tmp_path):
    fake_gcs.store(BUCKET, "moves/basic/b.mp4", b"clip-v1")
    local = gcs.local_path(f"gs://{BUCKET}/moves/basic/b.mp4")
    assert local.read_bytes() == b"clip-v1"
    media = [r for r in fake_gcs.requests if r.query.get("alt") == "media"]
    assert (
        len(media) == 1
        and media[0].path == f"/download/storage/v1/b/{BUCKET}/o/moves%2Fbasic%2Fb.mp4"
    )
    assert gcs.local_path(f"gs://{BUCKET}/moves/basic/b.mp4") == local
    assert len([r for r in fake_gcs.requests if r.query.get("alt") == "media"]) == 1  # cached
    fake_gcs.store(BUCKET, "moves/basic/b.mp4", b"clip-v2")  # new generation
    assert gcs.local_path(f"gs://{BUCKET}/moves/basic/b.mp4").read_bytes() == b"clip-v2"


def test_gcs_exists_delete_and_missing(gcs, fake_gcs):
    fake_gcs.store(BUCKET, "songs/s.mp3", b"song")
    assert gcs.exists(f"gs://{BUCKET}/songs/s.mp3")
    gcs.delete(f"gs://{BUCKET}/songs/s.mp3")
    assert not gcs.exists(f"gs://{BUCKET}/songs/s.mp3")
    assert fake_gcs.requests[-1].method == "GET"
    delete = next(r for r in fake_gcs.requests if r.method == "DELETE")
    assert delete.path == f"/storage/v1/b/{BUCKET}/o/songs%2Fs.mp3"
    gcs.delete(f"gs://{BUCKET}/songs/s.mp3")  # already gone: no error
    with pytest.raises(NotFound):
        gcs.local_path(f"gs://{BUCKET}/songs/s.mp3")


@pytest.mark.parametrize(
    "location",
    [
        "gs://another-bucket/songs/s.mp3",
        f"gs://{BUCKET}/songs/../../x",
        "songs/s.mp3",
        f"gs://{BUCKET}/",
    ],
)
def test_gcs_refuses_other_buckets_and_path_tricks(gcs, fake_gcs, location):
    with pytest.raises(BachataError):
        gcs.local_path(location)
    assert fake_gcs.requests == []


def test_storage_is_chosen_by_settings(tmp_path, fake_gcs):
    local = Config(data_dir=tmp_path, database_url=None, pgdata=tmp_path / "pg")
    assert isinstance(storage_for(local), LocalStorage)
    gcs_config = Config(
        data_dir=tmp_path,
        database_url=None,
        pgdata=tmp_path / "pg",
        storage="gcs",
        gcs_bucket="my-bucket",
    )
    chosen = storage_for(gcs_config, client=client_for(fake_gcs))
    assert isinstance(chosen, GCSStorage) and chosen.bucket_name == "my-bucket"
    with pytest.raises(BachataError, match="use 'local' or 'gcs'"):
        storage_for(Config(data_dir=tmp_path, database_url=None, pgdata=tmp_path, storage="s3"))


def test_storage_is_made_once_per_settings(tmp_path, monkeypatch):
    """A Google Cloud client is made once per process, not once per request."""
    made = []

    class Client:
        def __init__(self):
            made.append(self)

        def bucket(self, name):
            return name

    monkeypatch.setattr("google.cloud.storage.Client", Client)
    config = Config(data_dir=tmp_path, database_url=None, pgdata=tmp_path, storage="gcs")
    first = storage_for(config)
    assert storage_for(config) is first and len(made) == 1
    other = Config(data_dir=tmp_path / "b", database_url=None, pgdata=tmp_path, storage="gcs")
    assert storage_for(other) is not first and len(made) == 2


def _signing_storage(tmp_path, info):
    from google.cloud import storage
    from google.oauth2 import service_account

    credentials = service_account.Credentials.from_service_account_info(info)
    client = storage.Client(project="bachata-test", credentials=credentials)
    return GCSStorage("vids", tmp_path / "cache", client=client)


def test_gcs_signed_urls_are_v4_short_lived_and_signed_by_the_key(tmp_path):
    from urllib.parse import parse_qs, urlsplit

    from tests.fakes import signing

    info, public_key = signing.service_account()
    gcs = _signing_storage(tmp_path, info)
    url = gcs.signed_url("gs://vids/choreographies/t 1.mp4", seconds=600)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert (parts.scheme, parts.netloc) == ("https", "storage.googleapis.com")
    assert parts.path == "/vids/choreographies/t%201.mp4"
    assert query["X-Goog-Algorithm"] == ["GOOG4-RSA-SHA256"]
    assert query["X-Goog-Expires"] == ["600"]
    assert query["X-Goog-Credential"][0].startswith(f"{signing.EMAIL}/")
    assert "response-content-disposition" not in query
    signing.verify(url, public_key)

    download = gcs.signed_url("gs://vids/choreographies/t1.mp4", seconds=60, filename="b.mp4")
    assert parse_qs(urlsplit(download).query)["response-content-disposition"] == [
        'attachment; filename="b.mp4"'
    ]
    signing.verify(download, public_key)
    with pytest.raises(BachataError):
        gcs.signed_url("gs://other-bucket/x.mp4", seconds=60)
    with pytest.raises(BachataError):
        gcs.signed_url("gs://vids/choreographies/../songs/x.mp3", seconds=60)
    assert LocalStorage(tmp_path).signed_url("choreographies/t1.mp4", seconds=60) is None


def test_gcs_signed_urls_without_a_key_ask_iam_to_sign(tmp_path, monkeypatch):
    """On Cloud Run the credentials hold no key: IAM's signBlob signs as the service
    account. That endpoint cannot be reached here; the test answers it and checks the
    exact request the client sends."""
    import base64

    import requests
    from google.auth.credentials import Credentials
    from google.cloud import storage

    class RuntimeAccount(Credentials):  # what Cloud Run's metadata server gives
        service_account_email = "runtime@bachata-prod.iam.gserviceaccount.com"

        def refresh(self, request):
            self.token = "runtime-token"

    sent = []

    class Answer:
        status_code = 200
        headers: dict[str, str] = {}
        content = json.dumps(
            {"keyId": "k", "signedBlob": base64.b64encode(b"s" * 256).decode()}
        ).encode()

    def fake_request(self, method, url, data=None, headers=None, **kwargs):
        sent.append((method, url, json.loads(data), headers))
        return Answer()

    monkeypatch.setattr(requests.Session, "request", fake_request)
    client = storage.Client(project="bachata-prod", credentials=RuntimeAccount())
    gcs = GCSStorage("vids", tmp_path / "cache", client=client)
    url = gcs.signed_url("gs://vids/choreographies/t1.mp4", seconds=900)
    assert len(sent) == 1
    method, endpoint, body, headers = sent[0]
    assert method == "POST"
    assert endpoint == (
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
        "runtime@bachata-prod.iam.gserviceaccount.com:signBlob?alt=json"
    )
    assert headers["Authorization"] == "Bearer runtime-token"
    from tests.fakes.signing import string_to_sign

    text, signature = string_to_sign(url)
    assert base64.b64decode(body["payload"]) == text  # IAM signed what V4 says to sign
    assert signature == b"s" * 256
