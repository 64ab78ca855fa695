"""A made-up service account key, and a check of Cloud Storage V4 signed URLs written
from Google's description of the signing process (independently of the client)."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, quote, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

EMAIL = "renders@bachata-test.iam.gserviceaccount.com"


def service_account() -> tuple[dict[str, str], rsa.RSAPublicKey]:
    """A service account key file's content, and the public half of its key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "bachata-test",
        "private_key_id": "test-key",
        "private_key": pem,
        "client_email": EMAIL,
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    return info, key.public_key()


def string_to_sign(url: str) -> tuple[bytes, bytes]:
    """(string to sign, signature) of a V4 signed GET URL."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    signature = bytes.fromhex(query.pop("X-Goog-Signature"))
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query.items())
    )
    canonical_request = "\n".join(
        [
            "GET",
            parts.path,
            canonical_query,
            f"host:{parts.netloc}",
            "",
            query["X-Goog-SignedHeaders"],
            "UNSIGNED-PAYLOAD",
        ]
    )
    scope = query["X-Goog-Credential"].split("/", 1)[1]
    text = "\n".join(
        [
            query["X-Goog-Algorithm"],
            query["X-Goog-Date"],
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    return text.encode(), signature


def verify(url: str, public_key: rsa.RSAPublicKey) -> None:
    """Raise unless ``url`` is signed by the key's private half."""
    text, signature = string_to_sign(url)
    public_key.verify(signature, text, padding.PKCS1v15(), hashes.SHA256())
