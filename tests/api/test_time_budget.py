"""A text that would take too long gets a 503 with Retry-After, and the worker moves on."""

from __future__ import annotations

import time

from server.app import create_app
from tests.conftest import make_config

LONG_TEXT = " ".join(
    f"“Paragraph {n} is a quote,” said Senator Number{n}. It appears to be a disaster."
    for n in range(2400)
)


def test_an_analysis_past_the_budget_answers_503_with_retry_after():
    client = create_app(make_config(time_budget=0.0)).test_client()

    response = client.post("/v1/annotate", json={"text": "Anything at all, he said."})

    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
    assert int(response.headers["Retry-After"]) > 0


def test_a_long_text_cannot_hold_the_worker_much_past_the_budget():
    client = create_app(make_config(time_budget=0.5)).test_client()

    started = time.monotonic()
    response = client.post("/v1/annotate", json={"text": LONG_TEXT})
    elapsed = time.monotonic() - started

    assert response.status_code in (200, 503)
    assert elapsed < 0.5 + 3.0  # the budget, plus at most one unit of work in flight
    assert client.post("/v1/annotate", json={"text": "Short one."}).status_code == 200
