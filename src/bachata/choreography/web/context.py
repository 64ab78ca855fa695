"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest


def roles(request: HttpRequest) -> dict[str, bool]:
    """Whether the user is an instructor (shows the class plans link)."""
    from bachata.choreography.selectors import is_instructor

    user = getattr(request, "user", None)
    return {"is_instructor": bool(user and user.is_authenticated and is_instructor(user))}
