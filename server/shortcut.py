"""Repeated requests answered before Flask: a popular article costs a few lookups per reader.

Readers of one page send the same request bytes. Once the full path has answered a body from
the cache, the cache also holds the result under the body's hash (``api.annotate_text`` writes
it, so only results read twice are held twice); the same bytes again are answered here, under
the same rate-limit counters, with the same body and headers, without Flask's parsing,
validation and hooks. Identical bytes validate identically, so this never answers a request the
full path would refuse. Anything else (another route or content type, an Origin the CORS list
does not name, a stale or corrupt copy, a breached limit, a failing Redis) goes down the full
path, which decides and explains.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from typing import Any

from limits import RateLimitItem, parse_many
from limits.strategies import RateLimiter

from server import metrics
from server.access import SECURITY_HEADERS, log_request, request_id
from server.api import cached_body, is_current_result
from server.cache import Cache, repeat_key
from server.config import Config
from server.pipeline import PIPELINE_VERSION

PATH = "/v1/annotate"
ENDPOINT = "v1.annotate_text"  # the full path's endpoint: its rate-limit counters, its metrics

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class RepeatRequests:
    """WSGI middleware around the Flask app (inside ProxyFix, so it sees the client)."""

    def __init__(
        self,
        wsgi_app: WsgiApp,
        *,
        config: Config,
        cache: Cache,
        rate_limiter: Callable[[], RateLimiter],
    ) -> None:
        self.wsgi_app = wsgi_app
        self.config = config
        self.cache = cache
        # Flask-Limiter's own backend (it swaps in a fallback while Redis is down), so both
        # paths count into the same counters; the default limits are the only ones on /v1.
        self.rate_limiter = rate_limiter
        self.limits: list[RateLimitItem] = parse_many(config.rate_limit)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not self._may_answer(environ):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        size_in = int(environ["CONTENT_LENGTH"])
        body = environ["wsgi.input"].read(size_in)
        environ["wsgi.input"] = io.BytesIO(body)  # the full path reads it again if it must
        value = self._stored_result(body, environ.get("REMOTE_ADDR") or "127.0.0.1")
        if value is None:
            return self.wsgi_app(environ, start_response)
        payload = cached_body(value, cached=True).encode("utf-8")
        rid = request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        if self.config.cors_origins:
            headers.append(("Access-Control-Allow-Origin", environ["HTTP_ORIGIN"]))
        headers += [*SECURITY_HEADERS.items(), ("X-Request-Id", rid)]
        start_response("200 OK", headers)
        metrics.record_request(ENDPOINT, 200, started)
        metrics.CACHE.labels("hit").inc()
        elapsed = (time.perf_counter() - started) * 1000
        log_request(rid, "POST", ENDPOINT, 200, size_in, len(payload), elapsed)
        return [payload]

    def _may_answer(self, environ: dict[str, Any]) -> bool:
        """Only the plain case: a JSON POST of known size to /v1/annotate, caching on."""
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != PATH:
            return False
        if self.cache.kind == "off" or environ.get("QUERY_STRING"):
            return False
        content_type = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        size = environ.get("CONTENT_LENGTH", "")
        if content_type != "application/json" or not size.isdigit():
            return False
        if not 0 < int(size) <= self.config.max_body_bytes:
            return False
        # With an allow-list, flask-cors decides every case but an Origin it names exactly.
        return (
            not self.config.cors_origins or environ.get("HTTP_ORIGIN") in self.config.cors_origins
        )

    def _stored_result(self, body: bytes, client: str) -> str | None:
        value = self.cache.get(repeat_key(self.config.cache_prefix, PIPELINE_VERSION, body))
        if value is None or not is_current_result(value):
            return None
        try:
            limiter = self.rate_limiter()
            within = [limiter.hit(limit, client, ENDPOINT) for limit in self.limits]
        except Exception:  # the full path owns what a failing limiter means
            return None
        return value if all(within) else None  # a breach: the full path answers the 429
