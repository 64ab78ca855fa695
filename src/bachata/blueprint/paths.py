"""Which media locations a blueprint may name.

A location is one of:

* a relative path (``Bachata_steps/basic/basic_step.mp4``), resolved under the data root;
* an absolute path inside one of the allowed roots;
* ``gs://<bucket>/<key>`` in one of the allowed buckets.

``..`` segments, other URI schemes, NUL bytes and backslashes are rejected everywhere:
a blueprint can never make the render job read ``/etc/passwd``.

Which roots and buckets are allowed is a :class:`PathPolicy` the caller passes in (a
deployment's comes from its configuration, ``PathPolicy.from_config``); this package
reads no settings. Without one (:data:`DEFAULT_POLICY`) a location may be relative or a
``gs://`` URI, never an absolute path.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bachata.config import Config


@dataclass(frozen=True)
class PathPolicy:
    """The roots and buckets a blueprint may point into."""

    roots: tuple[Path, ...]
    #: The allowed buckets; ``None``: any (the bucket's own access rules decide).
    buckets: tuple[str, ...] | None

    @classmethod
    def from_config(cls, config: Config) -> PathPolicy:
        """The policy of a deployment: its data root(s) and its one bucket."""
        return cls(roots=config.allowed_roots, buckets=(config.gcs_bucket,))


#: What a blueprint may name when no deployment's policy is given: relative paths and
#: ``gs://`` URIs, no absolute paths.
DEFAULT_POLICY = PathPolicy(roots=(), buckets=None)


def check_location(value: str, policy: PathPolicy) -> str:
    """Return ``value`` if it is an allowed media location, else raise ``ValueError``.

    >>> p = PathPolicy(roots=(Path("/srv/data"),), buckets=("b",))
    >>> check_location("gs://b/moves/x.mp4", p)
    'gs://b/moves/x.mp4'
    """
    if not value or "\x00" in value or "\\" in value:
        raise ValueError("must be a non-empty path without NUL bytes or backslashes")
    if value.startswith("gs://"):
        bucket, _, key = value[len("gs://") :].partition("/")
        if policy.buckets is not None and bucket not in policy.buckets:
            raise ValueError(
                f"gs:// bucket {bucket!r} is not allowed (allowed: {', '.join(policy.buckets)})"
            )
        _check_segments(key, value)
        return value
    if "://" in value or value.startswith("file:"):
        raise ValueError(f"{value!r}: only relative paths, paths under the data root or gs:// URIs")
    _check_segments(value, value)
    path = PurePosixPath(value)
    if path.is_absolute():
        normal = Path(posixpath.normpath(value))
        if not any(normal == root or root in normal.parents for root in policy.roots):
            roots = ", ".join(str(r) for r in policy.roots)
            raise ValueError(f"{value!r} is outside the allowed roots ({roots})")
    return value


def _check_segments(path: str, original: str) -> None:
    parts = path.split("/")
    if ".." in parts:
        raise ValueError(f"{original!r} contains '..'")
    if not path.strip("/"):
        raise ValueError(f"{original!r} names no file")
