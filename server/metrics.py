"""Prometheus metrics at ``/metrics``: requests, latency, cache hits and misses, feedback.

Under gunicorn each worker has its own counters; set ``PROMETHEUS_MULTIPROC_DIR`` (``sidenote
serve --workers`` does) so one scrape sums every worker.
"""

from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("sidenote_requests_total", "HTTP requests", ["endpoint", "status"])
LATENCY = Histogram(
    "sidenote_request_seconds",
    "Server time per request",
    ["endpoint"],
    buckets=(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CACHE = Counter("sidenote_cache_total", "Annotation cache lookups", ["result"])
FEEDBACK = Counter("sidenote_feedback_total", "Reader feedback stored", ["kind", "label"])


def record_request(endpoint: str, status: int, started: float) -> None:
    REQUESTS.labels(endpoint, str(status)).inc()
    LATENCY.labels(endpoint).observe(time.perf_counter() - started)


def init_app(app: Flask) -> None:
    @app.after_request
    def record(response: Response) -> Response:
        # The request's clock is the access log's (server.app), started before any other hook.
        started = g.get("request_started", time.perf_counter())
        record_request(request.endpoint or "unknown", response.status_code, started)
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
        return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)
