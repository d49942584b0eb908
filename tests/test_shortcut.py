"""The shortcut for repeated requests: same answer as the full path, same limits, and it steps
aside whenever it cannot be sure, against a real Redis."""

from __future__ import annotations

import json

import pytest
import redis
from flask import g

from server.app import create_app
from tests.conftest import make_config

ARTICLE = "“We will not back down,” Jane Doe told reporters on Tuesday, according to Reuters."
BODY = json.dumps({"text": ARTICLE, "url": "https://www.reuters.com/world/a"}).encode()
READER = "https://reader.example"


def traced_client(config):
    """A client whose responses say whether Flask saw the request (the shortcut answers alone)."""
    app = create_app(config)

    @app.before_request
    def seen_by_flask() -> None:
        g.seen_by_flask = True

    @app.after_request
    def mark(response):
        response.headers["X-Test-Full-Path"] = "1" if g.get("seen_by_flask") else "0"
        return response

    return app.test_client()


def send(client, body: bytes = BODY, **headers: str):
    content_type = headers.pop("content_type", "application/json")
    return client.post("/v1/annotate", data=body, content_type=content_type, headers=headers)


def by_shortcut(response) -> bool:
    return "X-Test-Full-Path" not in response.headers


def comparable(response) -> dict[str, str]:
    headers = dict(response.headers)
    headers.pop("X-Test-Full-Path", None)
    headers.pop("X-Request-Id")
    return headers


@pytest.mark.parametrize(
    ("cors_origins", "request_headers"),
    [
        ((), {}),
        ((), {"Origin": "chrome-extension://abcdefghijklmnop"}),
        ((READER,), {"Origin": READER}),
    ],
)
def test_a_repeat_gets_the_full_paths_answer_byte_for_byte(
    redis_url, key_prefix, cors_origins, request_headers
):
    config = make_config(redis_url=redis_url, cache_prefix=key_prefix, cors_origins=cors_origins)
    client = traced_client(config)
    first = send(client, **request_headers)
    full_hit = send(client, **request_headers)  # the first hit stores the copy for the shortcut
    short_hit = send(client, **request_headers)

    assert (first.json["cached"], by_shortcut(first)) == (False, False)
    assert (full_hit.json["cached"], by_shortcut(full_hit)) == (True, False)
    assert by_shortcut(short_hit)
    assert short_hit.status_code == 200
    assert short_hit.data == full_hit.data
    assert comparable(short_hit) == comparable(full_hit)
    assert short_hit.headers["X-Request-Id"] != full_hit.headers["X-Request-Id"]


def test_the_shortcut_keeps_a_valid_request_id_and_replaces_a_hostile_one(config):
    client = traced_client(config)
    send(client)
    send(client)

    kept = send(client, **{"X-Request-Id": "abc-123"})
    replaced = send(client, **{"X-Request-Id": "<script>alert(1)</script>"})

    assert by_shortcut(kept) and by_shortcut(replaced)
    assert kept.headers["X-Request-Id"] == "abc-123"
    assert len(replaced.headers["X-Request-Id"]) == 32


def test_both_paths_count_into_one_rate_limit(redis_url, key_prefix):
    config = make_config(redis_url=redis_url, cache_prefix=key_prefix, rate_limit="3/minute")
    client = traced_client(config)

    responses = [send(client) for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [by_shortcut(r) for r in responses] == [False, False, True, False]
    assert int(responses[-1].headers["Retry-After"]) > 0
    assert responses[-1].json["error"]["code"] == "rate_limited"


def test_other_bytes_for_the_same_request_take_the_full_path(config):
    client = traced_client(config)
    send(client)
    send(client)

    spaced = send(client, BODY.replace(b'", "', b'",  "'))
    reordered = send(client, json.dumps(dict(reversed(json.loads(BODY).items()))).encode())

    assert not by_shortcut(spaced) and spaced.json["cached"] is True
    assert not by_shortcut(reordered) and reordered.json["cached"] is True


@pytest.mark.parametrize(
    "variation",
    [
        {"content_type": "text/plain"},
        {"Origin": "https://unlisted.example"},
        {},  # no Origin: flask-cors has its own rules for that
        {"path": "/v1/annotate?debug=1"},
    ],
)
def test_requests_out_of_the_plain_case_take_the_full_path(redis_url, key_prefix, variation):
    config = make_config(redis_url=redis_url, cache_prefix=key_prefix, cors_origins=(READER,))
    client = traced_client(config)
    send(client)
    send(client)
    path = variation.pop("path", "/v1/annotate")
    content_type = variation.pop("content_type", "application/json")

    response = client.post(path, data=BODY, content_type=content_type, headers=variation)

    assert not by_shortcut(response)
    assert response.status_code in (200, 415)


def test_a_corrupt_or_stale_copy_is_replaced_by_the_full_path(config, redis_url):
    send(traced_client(config))
    send(traced_client(config))
    store = redis.Redis.from_url(redis_url)
    (copy_key,) = _copies(redis_url, config.cache_prefix)

    answers = []
    for copy in (b'{"version": "0+old", "quotes": []}', b"\xff not json"):
        store.set(copy_key, copy)
        worker = traced_client(config)  # a worker that has not answered this body yet
        answers += [send(worker), send(worker)]

    assert [by_shortcut(r) for r in answers] == [False, True, False, True]
    assert all(r.json["cached"] and r.json["quotes"] for r in answers)


def test_a_worker_answers_its_recent_repeats_without_the_cache_but_counts_them(
    redis_url, key_prefix
):
    config = make_config(redis_url=redis_url, cache_prefix=key_prefix, rate_limit="4/minute")
    client = traced_client(config)
    first, full_hit, short_hit = send(client), send(client), send(client)
    redis.Redis.from_url(redis_url).delete(*_copies(redis_url, key_prefix))

    recent, over_limit = send(client), send(client)

    answered_by_shortcut = [by_shortcut(r) for r in (first, full_hit, short_hit, recent)]
    assert answered_by_shortcut == [False, False, True, True]
    assert recent.data == short_hit.data
    assert over_limit.status_code == 429


def test_after_redis_loses_its_scripts_one_repeat_takes_the_full_path_which_reloads_them(
    config, redis_url
):
    client = traced_client(config)
    send(client)
    send(client)
    redis.Redis.from_url(redis_url).script_flush()

    responses = [send(client), send(client)]

    assert [r.status_code for r in responses] == [200, 200]
    assert [by_shortcut(r) for r in responses] == [False, True]


def test_with_caching_off_nothing_is_stored_and_every_request_is_computed(redis_url, key_prefix):
    config = make_config(redis_url=redis_url, cache_prefix=key_prefix, cache_enabled=False)
    client = traced_client(config)

    responses = [send(client) for _ in range(2)]

    assert [r.json["cached"] for r in responses] == [False, False]
    assert not any(by_shortcut(r) for r in responses)
    stored = redis.Redis.from_url(redis_url).keys(key_prefix + "*")
    assert stored and all(b":limits:" in key for key in stored)  # counters only


def test_the_copy_is_stored_under_a_hash_of_the_body_and_expires(config, redis_url):
    client = traced_client(config)
    first, second = send(client), send(client)
    store = redis.Redis.from_url(redis_url)
    (copy_key,) = _copies(redis_url, config.cache_prefix)
    (key,) = store.keys(config.cache_prefix + "annotate:*")

    assert b"Jane" not in copy_key and b"reuters" not in copy_key
    assert store.get(copy_key) == store.get(key)
    assert 0 < store.ttl(copy_key) <= config.cache_ttl
    assert (first.json["cached"], second.json["cached"]) == (False, True)


def test_a_text_read_once_is_stored_once(config, redis_url):
    send(traced_client(config))

    assert not _copies(redis_url, config.cache_prefix)


def test_the_shortcut_works_on_the_in_process_cache_too():
    client = traced_client(make_config(redis_url=None))

    responses = [send(client) for _ in range(3)]

    assert [by_shortcut(r) for r in responses] == [False, False, True]
    assert responses[2].json["cached"] is True


def test_while_redis_is_down_requests_take_the_full_path_and_succeed(redis_process, key_prefix):
    client = traced_client(make_config(redis_url=redis_process.url, cache_prefix=key_prefix))
    send(client)
    send(client)
    redis_process.stop()

    response = send(client)

    assert response.status_code == 200 and not by_shortcut(response)


def _copies(redis_url: str, prefix: str) -> list[bytes]:
    return redis.Redis.from_url(redis_url).keys(prefix + "request:*")
