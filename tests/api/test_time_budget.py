"""A text that would take too long gets a 503 with Retry-After, and the worker moves on."""

from __future__ import annotations

import time

import pytest

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


# Texts of the longest accepted size built to make a careless analyzer quadratic: one sentence
# of thousands of cues, asides, initials, relays or colon lines. Each once held a worker for
# 15 to 30 seconds; the budget must hold for them as for any text.
PATHOLOGICAL = {
    "initials": "A. " * 66_000,
    "cues": "he said, " * 22_000,
    "dash asides": "Bob -- a man -- said -- " * 8_000,
    "relays": "according to Reuters " * 9_000,
    "colon lines": "Here's what he said:\n" * 9_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_text_cannot_hold_the_worker_past_the_budget(name):
    client = create_app(make_config(time_budget=2.0, cache_enabled=False)).test_client()
    text = PATHOLOGICAL[name][:200_000]

    started = time.monotonic()
    response = client.post("/v1/annotate", json={"text": text})
    elapsed = time.monotonic() - started

    assert response.status_code in (200, 503)
    assert elapsed < 2.0 + 5.0  # the budget, plus one unit of work on a slow machine
