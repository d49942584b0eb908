"""The factory and its configuration table."""

from __future__ import annotations

import re

import pytest

from server.app import create_app
from server.config import Config
from server.pipeline.types import CueType, SpeakerType
from tests.conftest import make_config


def test_settings_come_from_the_environment():
    config = Config.from_env(
        {
            "REDIS_URL": "redis://cache:6379/0",
            "SIDENOTE_CACHE": "off",
            "SIDENOTE_CORS_ORIGINS": "https://a.example, https://b.example",
            "SIDENOTE_CACHE_TTL": "60",
        }
    )

    assert config.redis_url == "redis://cache:6379/0"
    assert config.cache_enabled is False
    assert config.cors_origins == ("https://a.example", "https://b.example")
    assert config.cache_ttl == 60


def test_a_malformed_setting_fails_at_start():
    with pytest.raises(ValueError):
        Config.from_env({"SIDENOTE_CACHE": "maybe"})


def test_every_setting_is_documented():
    rows = Config.table()

    assert {row[0] for row in rows} >= {"REDIS_URL", "SIDENOTE_CACHE_TTL", "SIDENOTE_CORS_ORIGINS"}
    assert all(meaning for _, _, meaning in rows)


def test_without_redis_the_app_uses_the_in_process_cache():
    client = create_app(make_config()).test_client()

    ready = client.get("/readyz")

    assert ready.status_code == 200 and ready.json == {"status": "ready", "cache": "memory"}
    assert client.get("/healthz").json == {"status": "ok"}


def test_an_unreachable_redis_at_start_serves_degraded():
    client = create_app(make_config(redis_url="redis://127.0.0.1:1/0")).test_client()

    response = client.post("/v1/annotate", json={"text": "Hello there.", "features": ["outlets"]})

    assert response.status_code == 200
    assert client.get("/readyz").json["status"] == "degraded"


def test_the_openapi_document_describes_the_api(client):
    spec = client.get("/v1/openapi.json").json

    assert "/v1/annotate" in spec["paths"]
    assert "/v1/outlets/{target}" in spec["paths"]
    assert "422" in spec["paths"]["/v1/annotate"]["post"]["responses"]
    assert "Annotation" in spec["components"]["schemas"]


def test_the_openapi_document_publishes_the_quote_enumerations(client):
    """Clients read a quote's kind, speaker type and cue type from the document, not by hand."""
    schemas = client.get("/v1/openapi.json").json["components"]["schemas"]

    assert schemas["Quote"]["properties"]["kind"]["enum"] == ["direct", "mixed", "indirect"]
    assert schemas["Speaker"]["properties"]["type"]["enum"] == [t.value for t in SpeakerType]
    assert schemas["Cue"]["properties"]["type"]["enum"] == [t.value for t in CueType]
    assert "anonymous" in schemas["Speaker"]["properties"]["type"]["enum"]


def test_metrics_count_requests_and_cache_results(client):
    client.post("/v1/annotate", json={"text": "Counting this.", "features": ["outlets"]})
    client.post("/v1/annotate", json={"text": "Counting this.", "features": ["outlets"]})

    text = client.get("/metrics").get_data(as_text=True)

    assert 'sidenote_requests_total{endpoint="v1.annotate_text",status="200"}' in text
    assert 'sidenote_cache_total{result="hit"}' in text
    assert "sidenote_request_seconds_bucket" in text
    spent = re.search(r'sidenote_request_seconds_sum\{endpoint="v1.annotate_text"\} (\S+)', text)
    assert spent and float(spent.group(1)) > 0  # timed from the request's start, not from zero


def test_unknown_routes_get_the_json_error_shape(client):
    response = client.get("/v2/nothing")

    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
