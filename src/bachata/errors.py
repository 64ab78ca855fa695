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

    def __init_subclass__(cls, code: str | None = None, **kwargs: object) -> None:
        """``class NotFound(BachataError, code="not_found")`` sets the kind's code."""
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(BachataError, code="not_found"):
    """The thing asked for does not exist (or belongs to somebody else)."""


class Conflict(BachataError, code="conflict"):
    """The request clashes with the current state (for example a running task)."""


class Forbidden(BachataError, code="forbidden"):
    """The user may not do this (for example a class plan without the instructor role)."""


class ClipError(BachataError, code="invalid_clip"):
    """A move clip cannot be used; the message names the file and the reason."""


class AudioError(BachataError, code="invalid_audio"):
    """The file is not audio we can read."""


class PlanError(BachataError, code="cannot_plan"):
    """The library cannot satisfy the request; the message says what is missing."""
