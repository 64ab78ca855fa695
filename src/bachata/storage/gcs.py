"""Google Cloud Storage (production): ``gs://bucket/<area prefix>/<name>``.

Uses the official ``google-cloud-storage`` client. Uploads are atomic by nature (an
object appears only when its upload completes). Reads go through a local cache under
``BACHATA_DATA_DIR/cache/gcs`` keyed by the object's generation, so a clip used by
many renders is downloaded once; a download lands in a temporary file and is renamed
into place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from bachata.errors import BachataError, NotFound
from bachata.storage.base import AREAS, check_name


def parse_gs_uri(location: str) -> tuple[str, str]:
    """``gs://bucket/key`` -> ``(bucket, key)``; rejects anything else and path tricks."""
    if not location.startswith("gs://"):
        raise BachataError(f"{location!r} is not a gs:// URI")
    bucket, _, key = location[len("gs://") :].partition("/")
    if not bucket or not key:
        raise BachataError(f"{location!r} names no object")
    check_name(key)
    return bucket, key


class GCSStorage:
    """Objects in one bucket; locations are ``gs://`` URIs."""

    def __init__(self, bucket: str, cache_dir: Path, client: Any | None = None) -> None:
        if client is None:
            from google.cloud import storage

            client = storage.Client()
        self.client = client
        self.bucket_name = bucket
        self.bucket = client.bucket(bucket)
        self.cache_dir = Path(cache_dir)

    def _key(self, location: str) -> str:
        bucket, key = parse_gs_uri(location)
        if bucket != self.bucket_name:
            raise BachataError(f"{location}: bucket {bucket!r} is not {self.bucket_name!r}")
        return key

    def put(self, area: str, name: str, source: Path, *, move: bool = False) -> str:
        """Upload ``source`` to ``gs://bucket/<area prefix>/<name>``."""
        _, prefix = AREAS[area]
        key = f"{prefix}/{check_name(name)}"
        self.bucket.blob(key).upload_from_filename(str(source))
        if move:
            Path(source).unlink(missing_ok=True)
        return f"gs://{self.bucket_name}/{key}"

    def local_path(self, location: str) -> Path:
        """A cached local copy of the object (downloaded when missing or changed)."""
        key = self._key(location)
        blob = self.bucket.get_blob(key)
        if blob is None:
            raise NotFound(f"{location}: no such object")
        target = self.cache_dir / self.bucket_name / key
        marker = target.with_name(target.name + ".generation")
        generation = str(blob.generation)
        if target.exists() and marker.exists() and marker.read_text() == generation:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".download-")
        os.close(fd)
        try:
            blob.download_to_filename(tmp)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        marker.write_text(generation)
        return target

    def signed_url(self, location: str, *, seconds: int, filename: str | None = None) -> str | None:
        """A V4 signed URL that reads the object for ``seconds`` (Cloud Storage serves
        byte ranges itself), as an attachment named ``filename`` if given.

        Signed with the credentials' own key (a service account key file), or, on Cloud
        Run and other Google machines that hold no key, by IAM's signBlob as the runtime
        service account (which needs ``roles/iam.serviceAccountTokenCreator`` on itself).
        """
        import datetime

        from google.auth.credentials import Signing

        blob = self.bucket.blob(self._key(location))
        credentials = self.client._credentials
        signer: dict[str, str] = {}
        if not isinstance(credentials, Signing):
            if not credentials.valid:
                from google.auth.transport.requests import Request

                credentials.refresh(Request())
            signer = {
                "service_account_email": credentials.service_account_email,
                "access_token": credentials.token,
            }
        disposition = f'attachment; filename="{filename}"' if filename else None
        return blob.generate_signed_url(
            version="v4",
            expiration=datetime.timedelta(seconds=seconds),
            method="GET",
            response_disposition=disposition,
            **signer,
        )

    def exists(self, location: str) -> bool:
        """Whether the object exists."""
        try:
            return bool(self.bucket.blob(self._key(location)).exists())
        except BachataError:
            return False

    def delete(self, location: str) -> None:
        """Delete the object if it exists."""
        from google.api_core.exceptions import NotFound as GoogleNotFound

        with contextlib.suppress(GoogleNotFound):
            self.bucket.blob(self._key(location)).delete()
