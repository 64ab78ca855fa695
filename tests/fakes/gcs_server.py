"""An in-process fake of the part of the Cloud Storage JSON API our storage uses.

It serves the official client over loopback: object metadata, media download, multipart
and resumable upload, delete. Every request is recorded so tests can assert on exactly
what would be sent to Google.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlparse


def _crc32c(data: bytes) -> str:
    import google_crc32c

    return base64.b64encode(google_crc32c.value(data).to_bytes(4, "big")).decode()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeGCS:
    objects: dict[tuple[str, str], tuple[bytes, int]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)
    generation: int = 1000
    url: str = ""

    def metadata(self, bucket: str, name: str) -> dict[str, str]:
        data, generation = self.objects[(bucket, name)]
        return {
            "kind": "storage#object",
            "bucket": bucket,
            "name": name,
            "id": f"{bucket}/{name}/{generation}",
            "generation": str(generation),
            "size": str(len(data)),
            "contentType": "application/octet-stream",
            "md5Hash": base64.b64encode(hashlib.md5(data).digest()).decode(),
            "crc32c": _crc32c(data),
        }

    def store(self, bucket: str, name: str, data: bytes) -> dict[str, str]:
        self.generation += 1
        self.objects[(bucket, name)] = (data, self.generation)
        return self.metadata(bucket, name)


def _handler(fake: FakeGCS) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _reply(
            self,
            status: int,
            body: bytes | dict | None = None,
            headers: dict[str, str] | None = None,
        ) -> None:
            payload = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if isinstance(body, dict):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _record(self) -> tuple[list[str], dict[str, str], bytes]:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            fake.requests.append(
                Request(
                    self.command,
                    url.path,
                    query,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
            return url.path.split("/"), query, body

        def _object(self, parts: list[str]) -> tuple[str, str] | None:
            # /storage/v1/b/<bucket>/o/<name> or /download/storage/v1/b/<bucket>/o/<name>
            if "b" in parts and "o" in parts and parts.index("o") + 1 < len(parts):
                bucket = parts[parts.index("b") + 1]
                return bucket, unquote("/".join(parts[parts.index("o") + 1 :]))
            return None

        def do_GET(self) -> None:
            parts, query, _ = self._record()
            key = self._object(parts)
            if key is None and len(parts) == 5 and parts[3] == "b":  # /storage/v1/b/<bucket>
                return self._reply(200, {"kind": "storage#bucket", "name": parts[4]})
            if key is None or key not in fake.objects:
                return self._reply(404, {"error": {"code": 404, "message": "No such object"}})
            if query.get("alt") == "media":
                data, _ = fake.objects[key]
                md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
                return self._reply(
                    200,
                    data,
                    {
                        "Content-Type": "application/octet-stream",
                        "x-goog-hash": f"crc32c={_crc32c(data)},md5={md5}",
                    },
                )
            return self._reply(200, fake.metadata(*key))

        def do_DELETE(self) -> None:
            parts, _, _ = self._record()
            key = self._object(parts)
            if key is None or fake.objects.pop(key, None) is None:
                return self._reply(404, {"error": {"code": 404, "message": "No such object"}})
            return self._reply(204)

        def do_POST(self) -> None:
            parts, query, body = self._record()
            bucket = parts[parts.index("b") + 1]
            if query.get("uploadType") == "multipart":
                boundary = self.headers["Content-Type"].split("boundary=")[1].strip('"')
                sections = body.split(b"--" + boundary.encode())
                meta_part, media_part = sections[1], sections[2]
                meta = json.loads(meta_part.split(b"\r\n\r\n", 1)[1].strip())
                data = media_part.split(b"\r\n\r\n", 1)[1]
                data = data[:-2] if data.endswith(b"\r\n") else data
                return self._reply(200, fake.store(bucket, meta["name"], data))
            if query.get("uploadType") == "resumable":
                meta = json.loads(body or b"{}")
                name = query.get("name") or meta["name"]
                upload_id = uuid.uuid4().hex
                fake.sessions[upload_id] = (bucket, name)
                location = (
                    f"{fake.url}/upload/storage/v1/b/{bucket}/o?uploadType=resumable"
                    f"&upload_id={upload_id}"
                )
                return self._reply(200, b"", {"Location": location})
            return self._reply(400, {"error": {"code": 400, "message": "unsupported"}})

        def do_PUT(self) -> None:
            _, query, body = self._record()
            bucket, name = fake.sessions.pop(query["upload_id"])
            return self._reply(200, fake.store(bucket, name, body))

    return Handler


class FakeGCSServer:
    """Start with ``with FakeGCSServer() as fake:``; ``fake.url`` is the API endpoint."""

    def __enter__(self) -> FakeGCS:
        self.fake = FakeGCS()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.fake))
        self.fake.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def client_for(fake: FakeGCS):
    """The official client, pointed at the fake with anonymous credentials."""
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    return storage.Client(
        project="test-project",
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=fake.url),
    )


def uploaded_name(request: Request) -> str:
    """The object name a multipart upload request creates."""
    boundary = request.headers["content-type"].split("boundary=")[1].strip('"')
    meta = request.body.split(b"--" + boundary.encode())[1].split(b"\r\n\r\n", 1)[1]
    return json.loads(meta.strip())["name"]


def object_path(bucket: str, name: str) -> str:
    """The JSON API path of an object, as the client encodes it."""
    return f"/storage/v1/b/{bucket}/o/{quote(name, safe='')}"
