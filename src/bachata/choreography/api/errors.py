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
    "invalid_audio": 422,
    "too_large": 413,
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


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "What went wrong, in words."},
        "code": {"type": "string", "description": "A stable code, e.g. not_found."},
        "fields": {"description": "Per-field messages of a refused request body."},
    },
    "required": ["error", "code"],
}

_ERROR_TEXT = {
    "400": "The request was refused; `error` says why.",
    "401": "Not logged in (no or a bad token or session).",
    "403": "Logged in, but not allowed.",
    "404": "No such object, or it belongs to someone else.",
    "409": "The object's state does not allow this now.",
    "413": "The request body is too large.",
    "422": "Well-formed, but its content cannot be used (words not understood, a file "
    "that is not audio).",
    "429": "Too many requests: wait and try again.",
}


def document_errors(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular postprocessing hook: every operation documents the error
    responses it can give, all in the one ``Error`` shape that :func:`exception_handler`
    writes."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = {"400", "401", "403"}
            params = {p.get("name") for p in operation.get("parameters", [])}
            # an object's id in the path or the body, or a page past the end
            if "{" in path or "page" in params or "requestBody" in operation:
                codes.add("404")
            if method != "get":
                codes |= {"409", "429"}
            if "requestBody" in operation:
                codes |= {"413", "422"}
            _files_as_parts(result, operation)
            for code in sorted(codes):
                operation["responses"].setdefault(
                    code, {"description": _ERROR_TEXT[code], "content": ref}
                )
    return result


def _files_as_parts(result: dict, operation: dict) -> None:
    """Say that a multipart body's binary fields are file parts (clients and fuzzers
    then send a file, not a text field), and that an empty file is refused."""
    media = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if not media:
        return
    schema = media.get("schema", {})
    if "$ref" in schema:
        schema = result["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    files = [
        name
        for name, prop in schema.get("properties", {}).items()
        if prop.get("format") == "binary"
    ]
    for name in files:
        schema["properties"][name]["minLength"] = 1
    if files:
        media["encoding"] = {name: {"contentType": "application/octet-stream"} for name in files}
