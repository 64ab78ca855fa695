"""What every page needs: the owner's task or 404, a safe ``next``, a stored file."""

from __future__ import annotations

from typing import Unpack

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from bachata.choreography import selectors
from bachata.choreography.models import ChoreographyTask
from bachata.choreography.ranged import FileOptions, stored_file_response
from bachata.errors import NotFound


def own_task(request: HttpRequest, task_id: str) -> ChoreographyTask:
    """The user's task ``task_id``; 404 for anyone else's, as for one that does not exist."""
    try:
        return selectors.task_get(task_id=task_id, user=request.user)
    except NotFound:
        raise Http404("no such choreography") from None


def safe_next(request: HttpRequest) -> str | None:
    """The request's ``next`` (POST, else GET) if it points into this site, else None."""
    following = request.POST.get("next") or request.GET.get("next") or ""
    if following and url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return following
    return None


def stored(request: HttpRequest, location: str, **options: Unpack[FileOptions]) -> HttpResponse:
    """A stored file (see :func:`stored_file_response`); 404 if it has gone missing."""
    try:
        return stored_file_response(request, location, **options)
    except NotFound:
        raise Http404("no such file") from None
