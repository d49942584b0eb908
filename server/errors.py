"""One JSON error shape for every failure, and logs that never carry page text or URLs.

Every error body is ``{"error": {"status", "code", "message", "fields"?}}``, where ``fields``
names each offending request field. Unexpected exceptions are logged by type and stack frames
only: exception messages can quote the input, so they stay out of the logs.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import Response, g, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from server import limits
from server.api.schemas import ErrorSchema
from server.pipeline.document import TimeBudgetExceeded

log = logging.getLogger(__name__)

CODES = {
    400: "malformed_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}


def error_response(
    status: int,
    message: str,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[Response, int, dict[str, str]]:
    body: dict[str, Any] = {
        "status": status,
        "code": CODES.get(status, "error"),
        "message": message,
    }
    if fields:
        body["fields"] = fields
    return jsonify(error=body), status, headers or {}


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """webargs/marshmallow nest errors by location and index; clients want field paths."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if not prefix and key in ("json", "view_args", "query"):
                flat.update(flatten_messages(value))
                continue
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, path))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_body"] = list(messages)
    else:
        flat[prefix or "_body"] = [str(messages)]
    return flat


class SidenoteApi(Api):
    """flask-smorest's Api with our error shape, in the responses and in the OpenAPI document."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        data = getattr(error, "data", None) or {}
        fields = data.get("fields")
        messages = data.get("errors") or data.get("messages")
        if fields is None and messages:
            fields = flatten_messages(messages)
        message = data.get("message") or _message_for(error)
        headers = dict(data.get("headers") or {})
        if error.code == 429:
            headers["Retry-After"] = str(limits.retry_after())
        return error_response(error.code or 500, message, fields, headers)


def _message_for(error: HTTPException) -> str:
    if error.code == 422:
        return "The request has invalid fields."
    if error.code == 413:
        return "The request body is too large."
    return error.description or error.name


def handle_unexpected(error: Exception) -> Any:
    if isinstance(error, TimeBudgetExceeded):
        return error_response(
            503,
            "The analysis took too long; try again later or send a shorter text.",
            headers={"Retry-After": "5"},
        )
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("unhandled %s in request %s\n%s", type(error).__name__, g.get("request_id"), frames)
    return error_response(500, "Internal error; it has been logged.")
