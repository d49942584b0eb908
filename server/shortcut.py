"""Repeated requests answered before Flask: a popular article costs a few lookups per reader.

Readers of one page send the same request bytes. Once the full path has answered a body from
the cache, the cache also holds the result under the body's hash (``api.annotate_text`` writes
it, so only results read twice are held twice); the same bytes again are answered here, under
the same rate-limit counters, with the same body and headers, without Flask's parsing,
validation and hooks. Identical bytes validate identically, so this never answers a request the
full path would refuse. Anything else (another route or content type, an Origin the CORS list
does not name, an Accept asking for the W3C export, a stale or corrupt copy, a breached limit, a
failing Redis) goes down the full path, which decides and explains.

Each worker also keeps the few results it answered most recently this way, for a minute: a copy
is named by the pipeline version and the hash of its request's bytes, so it cannot go stale,
and a hot article then costs no cache lookup at all, only its rate-limit counters, which stay
shared in Redis. A cache emptied by hand reaches every worker within that minute.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from typing import Any

from limits import RateLimitItem, parse_many
from limits.storage import RedisClusterStorage, RedisStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from server import metrics
from server.access import SECURITY_HEADERS, log_request, request_id
from server.api import cached_body, is_current_result
from server.cache import Cache, MemoryCache, repeat_key
from server.config import Config
from server.pipeline import PIPELINE_VERSION

PATH = "/v1/annotate"
ENDPOINT = "v1.annotate_text"  # the full path's endpoint: its rate-limit counters, its metrics

RECENT_ENTRIES = 32
RECENT_SECONDS = 60.0

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
        self.recent = MemoryCache(RECENT_ENTRIES, RECENT_SECONDS)

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
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Vary", "Accept"),
        ]
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
        if "ld+json" in environ.get("HTTP_ACCEPT", ""):  # the W3C export: the full path
            return False
        if not 0 < int(size) <= self.config.max_body_bytes:
            return False
        # With an allow-list, flask-cors decides every case but an Origin it names exactly.
        return (
            not self.config.cors_origins or environ.get("HTTP_ORIGIN") in self.config.cors_origins
        )

    def _stored_result(self, body: bytes, client: str) -> str | None:
        key = repeat_key(self.config.cache_prefix, PIPELINE_VERSION, body)
        value = self.recent.get(key)
        if value is None:
            value = self.cache.get(key)
            if value is None or not is_current_result(value):
                return None
            self.recent.set(key, value)
        try:
            within = self._count(client)
        except Exception:  # the full path owns what a failing limiter means
            return None
        return value if within else None  # a breach: the full path answers the 429

    def _count(self, client: str) -> bool:
        """Count the request under every limit; True while none is exceeded.

        On one Redis server, all counters in one round trip (the limits library sends one per
        limit): the same keys and the same script as ``FixedWindowRateLimiter.hit``, pipelined.
        A cluster refuses scripts in pipelines, and the in-memory fallback needs no round trip.
        """
        limiter = self.rate_limiter()
        storage = limiter.storage
        pipelined = isinstance(storage, RedisStorage) and not isinstance(
            storage, RedisClusterStorage
        )
        if not (pipelined and isinstance(limiter, FixedWindowRateLimiter)):
            return all([limiter.hit(limit, client, ENDPOINT) for limit in self.limits])
        pipeline = storage.get_connection().pipeline(transaction=False)
        for limit in self.limits:
            key = storage.prefixed_key(limit.key_for(client, ENDPOINT))
            pipeline.evalsha(storage.lua_incr_expire.sha, 1, key, limit.get_expiry(), 1)
        counts = pipeline.execute()
        return all(count <= limit.amount for count, limit in zip(counts, self.limits, strict=True))
