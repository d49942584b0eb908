"""Every setting the service reads, one line each: environment variable, type, default.

The table below is the single place to learn how Sidenote is configured; the README prints it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any


def _bool(value: str) -> bool:
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _origins(value: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in value.split(",") if origin.strip())


def _setting(env: str, parse: Any, default: Any, doc: str) -> Any:
    return field(default=default, metadata={"env": env, "parse": parse, "doc": doc})


@dataclass(frozen=True)
class Config:
    redis_url: str | None = _setting(
        "REDIS_URL",
        str,
        None,
        "Redis/Valkey URL (redis://, rediss://, unix://); unset: in-process cache",
    )
    redis_cluster: bool = _setting(
        "SIDENOTE_REDIS_CLUSTER", _bool, False, "Treat REDIS_URL as one node of a Redis Cluster"
    )
    cache_enabled: bool = _setting(
        "SIDENOTE_CACHE", _bool, True, "Cache results; off for privacy-sensitive deployments"
    )
    cache_ttl: int = _setting("SIDENOTE_CACHE_TTL", int, 7 * 24 * 3600, "Seconds a result is kept")
    cache_prefix: str = _setting(
        "SIDENOTE_KEY_PREFIX",
        str,
        "sidenote:",
        "Prefix of every Redis key (deployments sharing one Redis)",
    )
    memory_cache_size: int = _setting(
        "SIDENOTE_MEMORY_CACHE_SIZE",
        int,
        512,
        "Entries kept by the in-process cache (a result takes two: by its fields and by its bytes)",
    )
    redis_timeout: float = _setting(
        "SIDENOTE_REDIS_TIMEOUT", float, 0.25, "Seconds before a Redis call is given up"
    )
    redis_retry_interval: float = _setting(
        "SIDENOTE_REDIS_RETRY",
        float,
        2.0,
        "Seconds between reconnection attempts while Redis is down",
    )
    cors_origins: tuple[str, ...] = _setting(
        "SIDENOTE_CORS_ORIGINS", _origins, (), "Comma-separated web origins allowed to call /v1"
    )
    rate_limit: str = _setting(
        "SIDENOTE_RATE_LIMIT",
        str,
        "120/minute;2000/hour",
        "Per-client limit on /v1 (limits syntax)",
    )
    trusted_proxies: int = _setting(
        "SIDENOTE_TRUSTED_PROXIES", int, 0, "Proxies in front whose X-Forwarded-For is trusted"
    )
    max_text_chars: int = _setting(
        "SIDENOTE_MAX_TEXT_CHARS", int, 200_000, "Longest text accepted, after trimming"
    )
    max_body_bytes: int = _setting(
        "SIDENOTE_MAX_BODY_BYTES", int, 2 * 1024 * 1024, "Largest request body accepted"
    )
    time_budget: float = _setting(
        "SIDENOTE_TIME_BUDGET", float, 5.0, "Seconds one analysis may run before a 503"
    )
    read_timeout: float = _setting(
        "SIDENOTE_READ_TIMEOUT",
        float,
        10.0,
        "Seconds a client may take to send its whole request to a gunicorn worker",
    )
    worker_threads: int = _setting(
        "SIDENOTE_WORKER_THREADS",
        int,
        4,
        "Threads per gunicorn worker: cheap requests are answered while others analyse",
    )
    preload_model: bool = _setting(
        "SIDENOTE_PRELOAD_MODEL", _bool, True, "Load the language model when the app starts"
    )
    worker_max_mb: int = _setting(
        "SIDENOTE_WORKER_MAX_MB",
        int,
        300,
        "A gunicorn worker whose resident memory passed this (MB) is replaced after its request",
    )
    feedback: bool = _setting(
        "SIDENOTE_FEEDBACK",
        _bool,
        True,
        "Accept readers' feedback on annotations (POST /v1/feedback); off: nothing is stored",
    )
    feedback_max: int = _setting(
        "SIDENOTE_FEEDBACK_MAX",
        int,
        100_000,
        "Feedback records kept, oldest dropped first (a capped Redis Stream, or in memory)",
    )
    log_level: str = _setting("SIDENOTE_LOG_LEVEL", str, "INFO", "Logging level")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Config:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in fields(cls):
            raw = environ.get(setting.metadata["env"])
            if raw is not None and raw != "":
                values[setting.name] = setting.metadata["parse"](raw)
        values.update(overrides)
        return cls(**values)

    @classmethod
    def table(cls) -> list[tuple[str, str, str]]:
        """(variable, default, meaning) rows for the README and ``sidenote config``."""
        return [(f.metadata["env"], repr(f.default), f.metadata["doc"]) for f in fields(cls)]
