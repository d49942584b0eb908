"""The soak in its short form: 30 seconds of mixed traffic, every answer right."""

from __future__ import annotations

from bench.soak import soak


def test_thirty_seconds_of_mixed_traffic_lose_nothing():
    figures = soak(seconds=30, rate=15, concurrency=4)

    assert figures["requests"] >= 300
    assert figures["transport_failures"] == {}
    assert figures["wrong_answers"] == {}
    assert figures["by_kind"]["bad"] > 0 and figures["by_kind"]["repeated"] > 0
