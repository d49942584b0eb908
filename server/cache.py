"""The result cache: Redis when configured, a bounded in-process cache otherwise.

A cache failure never fails a request. While Redis is unreachable, calls are skipped (not
retried on every request) until the retry interval passes, one warning is logged per interval,
and the cache comes back by itself once Redis answers again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import redis
from redis.backoff import NoBackoff
from redis.exceptions import LockError, RedisError
from redis.retry import Retry

from server.config import Config

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.05


class Cache(Protocol):
    kind: str

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def computing(self, key: str, seconds: float) -> Any:
        """Context manager yielding True to the one caller that should compute ``key``."""

    def status(self) -> str | None:
        """None when healthy, else why the cache is degraded."""


def request_key(prefix: str, version: str, request: dict[str, Any]) -> str:
    """Key = pipeline version + SHA-256 of the canonical request (never the text itself)."""
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{prefix}annotate:{version}:{digest}"


def repeat_key(prefix: str, version: str, body: bytes) -> str:
    """The key of a request's exact bytes (their hash), holding a copy of its result."""
    return f"{prefix}request:{version}:{hashlib.sha256(body).hexdigest()}"


def get_or_compute(
    cache: Cache,
    key: str,
    compute: Callable[[], str],
    is_valid: Callable[[str], bool],
    wait_seconds: float,
) -> tuple[str, bool]:
    """Return (value, was_cached); concurrent misses of one key are computed once."""
    cached = cache.get(key)
    if cached is not None and is_valid(cached):
        return cached, True
    with cache.computing(key, wait_seconds) as owner:
        if not owner:  # another worker is computing it: wait for its result
            deadline = time.monotonic() + wait_seconds
            while time.monotonic() < deadline:
                cached = cache.get(key)
                if cached is not None and is_valid(cached):
                    return cached, True
                time.sleep(_POLL_SECONDS)
        value = compute()
        cache.set(key, value)
        return value, False


class NullCache:
    """Caching switched off: nothing is stored."""

    kind = "off"

    def get(self, key: str) -> str | None:
        return None

    def set(self, key: str, value: str) -> None:
        pass

    @contextmanager
    def computing(self, key: str, seconds: float) -> Iterator[bool]:
        yield True

    def status(self) -> str | None:
        return None


class MemoryCache:
    """A bounded LRU with expiry, for one process (``sidenote serve`` with nothing else)."""

    kind = "memory"

    def __init__(self, max_entries: int, ttl: float) -> None:
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max_entries = max_entries
        self._ttl = ttl
        self._lock = threading.Lock()
        self._in_flight: dict[str, threading.Event] = {}

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + self._ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    @contextmanager
    def computing(self, key: str, seconds: float) -> Iterator[bool]:
        with self._lock:
            event = self._in_flight.get(key)
            owner = event is None
            if owner:
                event = self._in_flight[key] = threading.Event()
        if not owner:
            event.wait(seconds)
            yield False
            return
        try:
            yield True
        finally:
            with self._lock:
                self._in_flight.pop(key, None)
            event.set()

    def status(self) -> str | None:
        return None


class RedisCache:
    """Redis or Valkey (single server, TLS, or cluster), with short timeouts."""

    kind = "redis"

    def __init__(
        self,
        client: redis.Redis | redis.RedisCluster,
        ttl: int,
        retry_interval: float,
    ) -> None:
        self.client = client
        self._ttl = ttl
        self._retry_interval = retry_interval
        self._down_until = 0.0
        self._down_reason: str | None = None
        self._last_warning = 0.0

    @classmethod
    def from_config(cls, config: Config) -> RedisCache:
        return cls(connect(config), config.cache_ttl, config.redis_retry_interval)

    def get(self, key: str) -> str | None:
        raw = self._call(self.client.get, key)
        if raw is None:
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:  # a foreign value under our key: treat as a miss
            return None

    def set(self, key: str, value: str) -> None:
        self._call(self.client.set, key, value.encode("utf-8"), ex=self._ttl)

    @contextmanager
    def computing(self, key: str, seconds: float) -> Iterator[bool]:
        lock = self.client.lock(key + ":lock", timeout=max(seconds, 1.0), blocking=False)
        acquired = self._call(lock.acquire)
        # Redis down (None) means nobody can coordinate: compute here.
        yield acquired is not False
        if acquired:
            self._call(lock.release)

    def status(self) -> str | None:
        """Asks Redis (one PING) unless it failed just now: a worker's threads may all be
        idle, so what it last saw can be stale."""
        if time.monotonic() >= self._down_until:
            self._call(self.client.ping)
        return self._down_reason

    def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        now = time.monotonic()
        if now < self._down_until:
            return None
        try:
            result = method(*args, **kwargs)
        except LockError:  # our lock expired while we computed: nothing to release
            return None
        except (RedisError, OSError) as error:
            self._down_until = now + self._retry_interval
            self._down_reason = f"redis unreachable: {type(error).__name__}"
            if now - self._last_warning >= self._retry_interval * 5 or not self._last_warning:
                self._last_warning = now
                log.warning("cache degraded, serving uncached: %s", type(error).__name__)
            return None
        if self._down_reason:
            log.warning("cache reachable again")
            self._down_reason = None
        return result


def connect(config: Config) -> redis.Redis | redis.RedisCluster:
    """A client for ``REDIS_URL`` with the short timeouts that keep requests fast when it fails."""
    assert config.redis_url
    options = {
        "socket_timeout": config.redis_timeout,
        "socket_connect_timeout": config.redis_timeout,
        "retry_on_timeout": False,
        # redis-py retries with a backoff of seconds by default; a failing cache must cost
        # milliseconds, and the circuit in RedisCache handles recovery instead.
        "retry": Retry(NoBackoff(), 0),
    }
    if config.redis_cluster:
        return redis.RedisCluster.from_url(config.redis_url, **options)
    return redis.Redis.from_url(config.redis_url, **options)


def create_cache(config: Config) -> Cache:
    if not config.cache_enabled:
        return NullCache()
    if config.redis_url:
        return RedisCache.from_config(config)
    return MemoryCache(config.memory_cache_size, config.cache_ttl)
