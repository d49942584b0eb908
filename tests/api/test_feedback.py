"""POST /v1/feedback against a real Redis: stored, exported, capped, limited, refused, or off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from server.app import create_app
from server.feedback import LABELS
from tests.conftest import make_config

RECORD = {
    "version": "1+outlets-3+quotes-12+opinions-10",
    "kind": "opinion",
    "label": "not_opinion",
    "start": 25,
    "end": 30,
    "text": "shaky",
    "text_sha256": "9" * 64,
    "comment": "It is a quote from the minister.",
}


def app_with(redis_url: str, key_prefix: str, **settings: object):
    return create_app(make_config(redis_url=redis_url, cache_prefix=key_prefix, **settings))


def export(redis_url: str, key_prefix: str, action: str = "export") -> subprocess.CompletedProcess:
    env = {**os.environ, "REDIS_URL": redis_url, "SIDENOTE_KEY_PREFIX": key_prefix}
    return subprocess.run(
        [sys.executable, "-m", "server", "feedback", action],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_feedback_is_stored_in_a_redis_stream_and_exported(client, redis_url, key_prefix):
    answer = client.post("/v1/feedback", json=RECORD)
    assert answer.status_code == 201
    outlet = {
        "version": "v",
        "kind": "outlet",
        "label": "rating_wrong",
        "domain": "rt.com",
        "text_sha256": "0" * 64,
        "url": "https://example.com/story",
    }
    assert client.post("/v1/feedback", json=outlet).status_code == 201

    assert redis.Redis.from_url(redis_url).type(key_prefix + "feedback") == b"stream"
    lines = export(redis_url, key_prefix).stdout.splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["id"] == answer.json["id"]
    assert {key: first[key] for key in RECORD} == RECORD
    assert first["received"].endswith("Z") and first["offset_unit"] == "codepoint"
    assert second["domain"] == "rt.com" and second["url"] == "https://example.com/story"
    assert "url" not in first  # only where the reader allowed it


def test_the_stream_is_capped_oldest_first(redis_url, key_prefix):
    client = app_with(redis_url, key_prefix, feedback_max=10).test_client()
    for number in range(400):
        assert client.post("/v1/feedback", json={**RECORD, "start": number, "end": number + 1})
    length = redis.Redis.from_url(redis_url).xlen(key_prefix + "feedback")
    # MAXLEN ~ trims whole stream nodes (100 entries by default): a little past the cap at most.
    assert 10 <= length <= 10 + 100
    kept = [json.loads(line)["start"] for line in export(redis_url, key_prefix).stdout.splitlines()]
    assert kept == list(range(400 - length, 400))


def test_clear_deletes_every_record(client, redis_url, key_prefix):
    client.post("/v1/feedback", json=RECORD)
    assert "deleted 1" in export(redis_url, key_prefix, "clear").stderr
    assert export(redis_url, key_prefix).stdout == ""


def test_feedback_is_rate_limited_like_the_api(redis_url, key_prefix):
    client = app_with(redis_url, key_prefix, rate_limit="3/minute").test_client()
    statuses = [client.post("/v1/feedback", json=RECORD).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert int(client.post("/v1/feedback", json=RECORD).headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"kind": "tweet"}, "kind", id="kind"),
        pytest.param({"label": "wrong_speaker"}, "label", id="label-of-another-kind"),
        pytest.param({"end": 25}, "end", id="empty-span"),
        pytest.param({"start": None}, "start", id="no-start"),
        pytest.param({"text": "x" * 2001}, "text", id="long-span"),
        pytest.param({"comment": "y" * 501}, "comment", id="long-comment"),
        pytest.param({"text_sha256": "not-a-hash"}, "text_sha256", id="hash"),
        pytest.param({"url": "javascript:alert(1)"}, "url", id="url"),
        pytest.param({"page_text": "the whole article"}, "page_text", id="unknown-field"),
        pytest.param({"kind": "outlet", "label": "rating_wrong"}, "domain", id="outlet-domain"),
    ],
)
def test_bad_feedback_is_refused_naming_the_field(client, redis_url, key_prefix, change, field):
    answer = client.post("/v1/feedback", json={**RECORD, **change})
    assert answer.status_code == 422
    assert field in answer.json["error"]["fields"]
    assert not redis.Redis.from_url(redis_url).exists(key_prefix + "feedback")


def test_nothing_is_stored_when_feedback_is_off(redis_url, key_prefix):
    client = app_with(redis_url, key_prefix, feedback=False).test_client()
    answer = client.post("/v1/feedback", json=RECORD)
    assert answer.status_code == 404
    assert answer.json["error"]["message"] == "This service does not collect feedback."
    keys = redis.Redis.from_url(redis_url).keys(key_prefix + "*")
    assert [key for key in keys if not key.startswith(f"{key_prefix}limits:".encode())] == []


def test_an_unreachable_redis_asks_the_reader_to_retry(redis_process, key_prefix):
    client = app_with(redis_process.url, key_prefix).test_client()
    redis_process.stop()
    answer = client.post("/v1/feedback", json=RECORD)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"]


def test_without_redis_the_service_keeps_the_latest_in_memory():
    app = create_app(make_config(feedback_max=3))
    client = app.test_client()
    for number in range(5):
        client.post("/v1/feedback", json={**RECORD, "start": number, "end": 30})
    kept = [r["start"] for r in app.extensions["sidenote"].feedback.export()]
    assert kept == [2, 3, 4]


def test_metrics_count_feedback_by_label(client):
    def counted(label: str) -> float:
        prefix = f'sidenote_feedback_total{{kind="opinion",label="{label}"}} '
        lines = client.get("/metrics").text.splitlines()
        return next((float(line[len(prefix) :]) for line in lines if line.startswith(prefix)), 0)

    before = counted("wrong_reason"), counted("not_opinion")
    client.post("/v1/feedback", json={**RECORD, "label": "wrong_reason"})
    client.post("/v1/feedback", json={**RECORD, "label": "wrong_reason"})
    client.post("/v1/feedback", json={**RECORD, "kind": "quote"})  # refused: not counted
    assert (counted("wrong_reason"), counted("not_opinion")) == (before[0] + 2, before[1])


def test_the_extension_offers_exactly_the_services_labels():
    """The extension's buttons (extension/content/feedback.js) send the labels the service takes."""
    root = Path(__file__).resolve().parents[2]
    script = "console.log(JSON.stringify(require('./extension/content/feedback.js').LABELS))"
    shown = json.loads(
        subprocess.run(
            ["node", "-e", script], cwd=root, capture_output=True, text=True, check=True
        ).stdout
    )
    offered = {kind: tuple(label["id"] for label in labels) for kind, labels in shown.items()}
    assert offered == LABELS
