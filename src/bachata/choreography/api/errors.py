"""Every API error is JSON with a clear message; project errors map to 400/404/409."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from bachata.errors import BachataError, Conflict, NotFound

log = logging.getLogger(__name__)

_STATUS = {
    "not_found": 404,
    "conflict": 409,
    "not_authenticated": 401,
    "forbidden": 403,
    "not_understood": 422,
    "rate_limited": 429,
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus :class:`BachataError` as ``{"error": message, "code": code}``."""
    if isinstance(exc, BachataError):
        code = _STATUS.get(exc.code, 404 if isinstance(exc, NotFound) else 400)
        if isinstance(exc, Conflict):
            code = 409
        return Response({"error": exc.message, "code": exc.code}, status=code)
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("unhandled API error")
        return Response(
            {"error": "internal error", "code": "internal"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    data = response.data
    if isinstance(exc, Http404):
        message = "not found"
    elif isinstance(data, dict) and "detail" in data:
        message = str(data["detail"])
    else:
        message = "invalid request"
    response.data = {"error": message, "code": getattr(exc, "default_code", "invalid")}
    if (isinstance(data, dict) and "detail" not in data) or isinstance(data, list):
        response.data["fields"] = data
    return response
