"""What every response carries and what every request leaves in the log, whichever path
answers it (Flask's, or the shortcut for repeated requests in ``shortcut.py``)."""

from __future__ import annotations

import logging
import uuid

log = logging.getLogger("sidenote.access")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}


def request_id(incoming: str) -> str:
    """The caller's X-Request-Id when it is a short token (it goes into the log), else a new one."""
    valid = incoming.isascii() and incoming.replace("-", "").isalnum() and len(incoming) <= 64
    return incoming if valid else uuid.uuid4().hex


def log_request(
    request_id: str, method: str, endpoint: str, status: int, size_in: int, size_out: int, ms: float
) -> None:
    """One line per request: id, endpoint, status, sizes, time; never the text or the URL."""
    log.info(
        "request_id=%s method=%s endpoint=%s status=%d in=%s out=%s ms=%.1f",
        request_id,
        method,
        endpoint,
        status,
        size_in,
        size_out,
        ms,
    )
