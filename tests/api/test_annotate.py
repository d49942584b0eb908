"""POST /v1/annotate through the app, against a real Redis."""

from __future__ import annotations

import json
import logging
import time

import pytest
import redis

from server.app import create_app
from tests.conftest import make_config

ARTICLE = (
    "The senator said the plan was a disaster. “We will not back down,” "
    "Jane Doe told reporters on Tuesday, according to Reuters."
)


def post(client, body, **kwargs):
    return client.post("/v1/annotate", json=body, **kwargs)


def test_a_repeated_request_is_served_from_the_cache_with_the_same_body(client):
    first = post(client, {"text": ARTICLE, "url": "https://example.com/a"})
    second = post(client, {"text": ARTICLE, "url": "https://example.com/a"})

    assert first.status_code == second.status_code == 200
    assert first.json["cached"] is False
    assert second.json["cached"] is True
    assert {**first.json, "cached": None} == {**second.json, "cached": None}


def test_the_cache_lives_in_redis_under_a_hashed_key(client, config, redis_url):
    post(client, {"text": ARTICLE})

    keys = redis.Redis.from_url(redis_url).keys(config.cache_prefix + "annotate:*")
    assert len(keys) == 1
    assert b"senator" not in keys[0]
    assert redis.Redis.from_url(redis_url).ttl(keys[0]) > 6 * 24 * 3600


def test_the_response_follows_the_contract(client):
    body = post(client, {"text": ARTICLE, "url": "https://www.example.com/news"}).json

    assert set(body) >= {
        "version",
        "lang",
        "offset_unit",
        "cached",
        "summary",
        "opinions",
        "quotes",
        "outlets",
    }
    assert body["lang"] == "en" and body["offset_unit"] == "codepoint"
    assert body["summary"]["words"] == 22
    for name in ("opinions", "quotes"):
        starts = [span["start"] for span in body[name]]
        assert starts == sorted(starts)
        for span in body[name]:
            assert ARTICLE[span["start"] : span["end"]] == span["text"]
    assert body["outlets"][0]["role"] == "page"


def test_features_select_the_analyzers(client):
    body = post(client, {"text": ARTICLE, "features": ["outlets"]}).json

    assert body["opinions"] == [] and body["quotes"] == []


def test_different_features_are_cached_apart(client):
    post(client, {"text": ARTICLE, "features": ["outlets"]})

    assert post(client, {"text": ARTICLE}).json["cached"] is False


def test_utf16_offsets_count_astral_characters_twice(client):
    text = "😀😀 " + ARTICLE
    codepoint = post(client, {"text": text}).json
    utf16 = post(client, {"text": text, "offset_unit": "utf16"}).json

    assert utf16["offset_unit"] == "utf16"
    assert codepoint["quotes"], "the article has a quote to compare offsets on"
    for a, b in zip(codepoint["quotes"], utf16["quotes"], strict=True):
        assert b["start"] == a["start"] + 2 and b["end"] == a["end"] + 2
        units = text.encode("utf-16-le")
        assert units[2 * b["start"] : 2 * b["end"]].decode("utf-16-le") == a["text"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        pytest.param({}, "text", "Missing", id="missing_text"),
        pytest.param({"text": 42}, "text", "Not a valid string", id="number_for_text"),
        pytest.param({"text": " \n\t "}, "text", "Must contain", id="blank_text"),
        pytest.param({"text": "x", "lang": "fr"}, "lang", "English", id="unsupported_language"),
        pytest.param(
            {"text": "x", "features": ["gossip"]},
            "features.0",
            "Must be one of",
            id="unknown_feature",
        ),
        pytest.param({"text": "x", "features": []}, "features", "Length", id="no_features"),
        pytest.param(
            {"text": "x", "offset_unit": "bytes"},
            "offset_unit",
            "Must be one of",
            id="unknown_offset_unit",
        ),
        pytest.param({"text": "x", "url": "javascript:alert(1)"}, "url", "http", id="js_url"),
        pytest.param({"text": "x", "url": "file:///etc/passwd"}, "url", "http", id="file_url"),
        pytest.param(
            {"text": "x", "url": "https://a.com/" + "x" * 10_000}, "url", "Longer", id="huge_url"
        ),
        pytest.param({"text": "x", "colour": "red"}, "colour", "Unknown field", id="unknown_field"),
    ],
)
def test_invalid_fields_get_422_naming_the_field(client, body, field, message):
    response = post(client, body)

    assert response.status_code == 422
    error = response.json["error"]
    assert error["status"] == 422 and error["code"] == "invalid"
    assert any(message in m for m in error["fields"][field]), error


def test_a_text_over_the_limit_gets_413_naming_the_field(redis_url, key_prefix):
    app = create_app(make_config(redis_url=redis_url, cache_prefix=key_prefix, max_text_chars=100))

    response = post(app.test_client(), {"text": "word " * 100})

    assert response.status_code == 413
    assert "text" in response.json["error"]["fields"]


def test_a_body_over_the_limit_gets_413(client):
    response = client.post(
        "/v1/annotate",
        data=b'{"text": "' + b"a" * 3_000_000 + b'"}',
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"{", id="truncated"),
        pytest.param(b"\xff\xfe{}", id="invalid_utf8"),
        pytest.param(b"[" * 10_000 + b"]" * 10_000, id="nested_10000_deep"),
        pytest.param(b'{"text": "a", "text": "b"}', id="duplicate_keys"),
    ],
)
def test_malformed_json_gets_400(client, raw):
    response = client.post("/v1/annotate", data=raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json["error"]["code"] == "malformed_request"


def test_a_duplicate_key_is_named(client):
    response = client.post(
        "/v1/annotate", data=b'{"text": "a", "text": "b"}', content_type="application/json"
    )

    assert response.json["error"]["fields"] == {"text": ["Duplicate key."]}


def test_a_body_that_is_not_an_object_gets_422(client):
    response = client.post("/v1/annotate", data=b"[1, 2]", content_type="application/json")

    assert response.status_code == 422


def test_a_wrong_content_type_gets_415(client):
    response = client.post(
        "/v1/annotate", data=json.dumps({"text": "x"}), content_type="text/plain"
    )

    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"


def test_a_lone_surrogate_is_analysed_not_a_500(client):
    response = client.post(
        "/v1/annotate", data=b'{"text": "A \\ud800 lone half."}', content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json["summary"]["words"] == 3


def test_the_rate_limit_answers_429_with_retry_after(redis_url, key_prefix):
    app = create_app(
        make_config(redis_url=redis_url, cache_prefix=key_prefix, rate_limit="2/minute")
    )
    client = app.test_client()

    statuses = [
        post(client, {"text": f"text {n}", "features": ["outlets"]}).status_code for n in range(3)
    ]
    response = post(client, {"text": "one more", "features": ["outlets"]})

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert response.json["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_rate_limit_counters_are_shared_through_redis(redis_url, key_prefix):
    config = make_config(redis_url=redis_url, cache_prefix=key_prefix, rate_limit="2/minute")
    one, two = create_app(config).test_client(), create_app(config).test_client()

    statuses = [
        post(c, {"text": "x", "features": ["outlets"]}).status_code for c in (one, two, one)
    ]

    assert statuses == [200, 200, 429]


def test_requests_succeed_uncached_while_redis_is_down_and_cache_again_after(
    redis_process, key_prefix
):
    app = create_app(make_config(redis_url=redis_process.url, cache_prefix=key_prefix))
    client = app.test_client()
    assert post(client, {"text": ARTICLE}).json["cached"] is False

    redis_process.stop()
    down = [post(client, {"text": ARTICLE}) for _ in range(3)]
    readiness = client.get("/readyz")

    assert [r.status_code for r in down] == [200, 200, 200]
    assert all(r.json["cached"] is False for r in down)
    assert readiness.status_code == 200 and readiness.json["status"] == "degraded"

    redis_process.start()
    time.sleep(0.3)  # past the retry interval of the test configuration
    assert client.get("/readyz").json["status"] == "ready"
    assert post(client, {"text": ARTICLE}).json["cached"] is False
    assert post(client, {"text": ARTICLE}).json["cached"] is True


def test_a_corrupted_cache_value_is_ignored_and_overwritten(client, config, redis_url):
    post(client, {"text": ARTICLE})
    store = redis.Redis.from_url(redis_url)
    (key,) = store.keys(config.cache_prefix + "annotate:*")
    store.set(key, b"\xff not json")

    assert post(client, {"text": ARTICLE}).json["cached"] is False
    assert post(client, {"text": ARTICLE}).json["cached"] is True


def test_page_text_and_urls_never_reach_the_logs(client, caplog):
    secret_text = "Zebulon Quixotic whispered about the ferret conspiracy."
    with caplog.at_level(logging.DEBUG):
        post(client, {"text": secret_text, "url": "https://secret-site.example/private"})
        post(client, {"text": secret_text, "lang": "xx"})
        client.get("/v1/outlets/https://secret-site.example/private")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "status=200" in logged
    for secret in ("Zebulon", "ferret", "secret-site", "private"):
        assert secret not in logged


def test_every_response_carries_security_headers(client):
    response = post(client, {"text": ARTICLE, "features": ["outlets"]})

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Request-Id"]
    assert "Retry-After" not in response.headers


def test_cors_allows_only_configured_origins(redis_url, key_prefix):
    config = make_config(
        redis_url=redis_url, cache_prefix=key_prefix, cors_origins=("https://reader.example",)
    )
    client = create_app(config).test_client()

    allowed = client.options(
        "/v1/annotate",
        headers={"Origin": "https://reader.example", "Access-Control-Request-Method": "POST"},
    )
    refused = client.options(
        "/v1/annotate",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )

    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://reader.example"
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Credentials" not in allowed.headers


def test_no_cors_headers_without_configuration(client):
    response = client.options(
        "/v1/annotate",
        headers={"Origin": "https://reader.example", "Access-Control-Request-Method": "POST"},
    )

    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    "target",
    ["wsj.com", "https://www.wsj.com/articles/x", "https:/www.wsj.com/articles/x"],
    ids=["domain", "url", "url_with_merged_slashes"],
)
def test_an_outlet_note_by_domain_or_url(client, target):
    response = client.get(f"/v1/outlets/{target}")

    assert response.status_code == 200
    assert response.json["domain"] == "wsj.com" and response.json["role"] == "page"


def test_an_outlet_lookup_that_is_not_a_domain_gets_422_naming_the_target(client):
    response = client.get("/v1/outlets/not a domain")

    assert response.status_code == 422
    assert "target" in response.json["error"]["fields"]
