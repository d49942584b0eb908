"""The cache backends, the same behaviour for each, against a real Redis."""

from __future__ import annotations

import threading
import time

import pytest
import redis

from server.cache import (
    MemoryCache,
    NullCache,
    RedisCache,
    create_cache,
    get_or_compute,
    request_key,
)
from tests.conftest import make_config


@pytest.fixture(params=["memory", "redis"])
def cache(request, redis_url, key_prefix):
    if request.param == "memory":
        return MemoryCache(max_entries=8, ttl=60)
    return RedisCache.from_config(make_config(redis_url=redis_url, cache_prefix=key_prefix))


def always_valid(_: str) -> bool:
    return True


def test_a_value_set_is_got_back(cache, key_prefix):
    cache.set(key_prefix + "k", "välue ✓")

    assert cache.get(key_prefix + "k") == "välue ✓"
    assert cache.get(key_prefix + "other") is None


def test_concurrent_misses_compute_once(cache, key_prefix):
    calls = []

    def compute() -> str:
        calls.append(1)
        time.sleep(0.3)
        return "result"

    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                get_or_compute(cache, key_prefix + "same", compute, always_valid, wait_seconds=5)
            )
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert sorted(cached for _, cached in results) == [False, True, True, True]
    assert {value for value, _ in results} == {"result"}


def test_an_invalid_value_is_recomputed_and_replaced(cache, key_prefix):
    cache.set(key_prefix + "k", "garbage")

    value, cached = get_or_compute(
        cache, key_prefix + "k", lambda: "good", lambda v: v == "good", wait_seconds=1
    )

    assert (value, cached) == ("good", False)
    assert cache.get(key_prefix + "k") == "good"


def test_the_memory_cache_is_bounded_and_expires():
    cache = MemoryCache(max_entries=2, ttl=0.2)
    for key in "abc":
        cache.set(key, key)

    assert cache.get("a") is None and cache.get("c") == "c"
    time.sleep(0.25)
    assert cache.get("c") is None


def test_redis_values_expire_with_the_configured_ttl(redis_url, key_prefix):
    cache = RedisCache.from_config(
        make_config(redis_url=redis_url, cache_prefix=key_prefix, cache_ttl=30)
    )
    cache.set(key_prefix + "k", "v")

    assert 0 < redis.Redis.from_url(redis_url).ttl(key_prefix + "k") <= 30


def test_keys_differ_by_text_and_by_version_and_hide_the_text():
    base = {"text": "a", "url": None, "features": ("quotes",), "offset_unit": "codepoint"}

    key = request_key("p:", "v1", base)

    assert key != request_key("p:", "v1", {**base, "text": "b"})
    assert key != request_key("p:", "v2", base)
    assert key != request_key("p:", "v1", {**base, "offset_unit": "utf16"})
    assert key == request_key("p:", "v1", dict(reversed(base.items())))
    assert key.startswith("p:annotate:v1:") and len(key.rsplit(":", 1)[1]) == 64


def test_a_stopped_redis_answers_misses_fast_and_recovers(redis_process, key_prefix):
    cache = RedisCache.from_config(
        make_config(redis_url=redis_process.url, cache_prefix=key_prefix)
    )
    cache.set("k", "v")
    redis_process.stop()

    started = time.perf_counter()
    assert cache.get("k") is None
    cache.set("k", "w")
    with cache.computing("k", 1) as owner:
        assert owner
    assert time.perf_counter() - started < 1.0
    assert "unreachable" in cache.status()

    redis_process.start()
    time.sleep(0.3)
    assert cache.status() is None
    cache.set("k", "back")
    assert cache.get("k") == "back"


def test_a_password_protected_redis_is_used_with_the_password_in_the_url(key_prefix):
    from tests.conftest import RedisProcess

    server = RedisProcess(password="s3cret")
    server.start()
    try:
        wrong = RedisCache.from_config(make_config(redis_url=server.url.replace("s3cret", "nope")))
        right = RedisCache.from_config(make_config(redis_url=server.url, cache_prefix=key_prefix))
        right.set(key_prefix + "k", "v")

        assert right.get(key_prefix + "k") == "v" and right.status() is None
        assert wrong.get(key_prefix + "k") is None and wrong.status()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("settings", "kind"),
    [
        pytest.param({}, "memory", id="no_redis_url"),
        pytest.param({"redis_url": "redis://127.0.0.1:1/0"}, "redis", id="redis_url"),
        pytest.param(
            {"redis_url": "redis://127.0.0.1:1/0", "cache_enabled": False},
            "off",
            id="cache_switched_off",
        ),
    ],
)
def test_the_configuration_picks_the_backend(settings, kind):
    assert create_cache(make_config(**settings)).kind == kind


def test_the_null_cache_stores_nothing():
    cache = NullCache()
    cache.set("k", "v")

    assert cache.get("k") is None
