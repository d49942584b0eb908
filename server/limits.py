"""Per-client rate limits on the API; counters live in Redis when configured, so they hold
across workers and machines."""

from __future__ import annotations

import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from server.config import Config


def init_app(app: Flask, config: Config, exempt: tuple[str, ...]) -> Limiter:
    """One limiter per app (not a module global), so each app keeps its own storage."""
    storage = "memory://"
    storage_options: dict[str, object] = {}
    if config.redis_url:
        storage_options = {
            "socket_timeout": config.redis_timeout,
            "socket_connect_timeout": config.redis_timeout,
            # Every key of a deployment under its prefix, so a Redis ACL can confine it.
            "key_prefix": config.cache_prefix + "limits",
        }
        storage = config.redis_url
        if config.redis_cluster:
            storage = "redis+cluster://" + storage.split("://", 1)[1]
    app.config.update(
        RATELIMIT_STORAGE_URI=storage,
        RATELIMIT_STORAGE_OPTIONS=storage_options,
        # No X-RateLimit-* headers: they cost two Redis round trips on every request, and the
        # 429's Retry-After (retry_after below) is what clients act on.
        RATELIMIT_HEADERS_ENABLED=False,
        # A failing Redis must not fail requests: count in memory until it is back.
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
    )
    limiter = Limiter(get_remote_address, app=app, default_limits=[config.rate_limit])
    for name in exempt:  # blueprints or endpoints that probes and scrapers call
        limiter.exempt(app.blueprints[name] if name in app.blueprints else app.view_functions[name])
    return limiter


def retry_after() -> int:
    """Seconds until the breached limit of the current request resets."""
    (limiter,) = current_app.extensions["limiter"]
    try:
        breached = limiter.current_limit
        return max(1, breached.reset_at - int(time.time())) if breached else 60
    except Exception:  # the counters' store failed since: a minute is a safe answer
        return 60
