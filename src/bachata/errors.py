"""The one exception type for errors a user can cause."""

from __future__ import annotations


class BachataError(Exception):
    """An error the user can fix: bad file, bad blueprint, unknown move, missing thing.

    The message says what went wrong and what to do. The API maps ``code`` to an HTTP
    status, the CLI prints the message on one line and exits non-zero.
    """

    code: str = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(BachataError):
    """The thing asked for does not exist (or belongs to somebody else)."""

    code = "not_found"


class Conflict(BachataError):
    """The request clashes with the current state (for example a running task)."""

    code = "conflict"


class Forbidden(BachataError):
    """The user may not do this (for example a class plan without the instructor role)."""

    code = "forbidden"


class ClipError(BachataError):
    """A move clip cannot be used; the message names the file and the reason."""

    code = "invalid_clip"


class AudioError(BachataError):
    """The file is not audio we can read."""

    code = "invalid_audio"


class PlanError(BachataError):
    """The library cannot satisfy the request; the message says what is missing."""

    code = "cannot_plan"
