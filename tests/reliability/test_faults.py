"""Faults under load, against the real service (gunicorn, 2 workers) and a real Redis."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
import urllib.request

import pytest

from bench.loadgen import child_pids, run_load
from bench.service import redis_server, sidenote_service

ARTICLE = (
    "Officials said on Monday that the bridge would reopen. “We are confident it is safe,” "
    "said Maria Lopez, the city engineer, according to the Associated Press. Critics appear "
    "to be unconvinced. Article {n}."
)


def annotate_request(n: int, distinct: int = 20):
    body = json.dumps({"text": ARTICLE.format(n=n % distinct), "url": "https://example.com/"})
    return "POST", "/v1/annotate", body.encode(), "application/json"


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def wait_for_workers(master: int, count: int, without: int | None = None) -> list[int]:
    for _ in range(150):
        workers = child_pids(master)
        if len(workers) == count and without not in workers:
            return workers
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not reach {count} workers")


@pytest.fixture
def redis():
    with redis_server() as server:
        yield server


def test_stopping_redis_during_load_fails_no_request_and_the_cache_returns(redis):
    env = {"REDIS_URL": redis.url, "SIDENOTE_REDIS_RETRY": "0.5"}
    with sidenote_service(env) as service:
        readiness: list[str] = []

        def outage() -> None:
            time.sleep(1.0)
            redis.stop()
            time.sleep(0.8)
            readiness.append(get_json(service.url + "/readyz")["status"])
            time.sleep(1.5)
            redis.start()

        fault = threading.Thread(target=outage)
        fault.start()
        result = run_load(service.url, annotate_request, concurrency=4, total=100_000, seconds=5)
        fault.join()

        assert result.requests > 50
        assert result.failures == {} and set(result.statuses) == {200}
        assert readiness == ["degraded"]
        cached_again = False
        for _ in range(50):  # within seconds of Redis' return, repeats are cache hits again
            body = {"text": "After the outage, this article is cached.", "features": ["outlets"]}
            post_json(service.url + "/v1/annotate", body)
            if post_json(service.url + "/v1/annotate", body)["cached"]:
                cached_again = True
                break
            time.sleep(0.2)
        assert cached_again
        assert get_json(service.url + "/readyz")["status"] == "ready"
        with urllib.request.urlopen(service.url + "/metrics", timeout=5) as response:
            metrics = response.read().decode()
        served = sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith('sidenote_requests_total{endpoint="v1.annotate_text"')
        )
        assert served >= result.requests  # summed over both workers


def test_a_redis_that_never_answers_does_not_hold_requests():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(100)  # accepts connections, never replies
    port = silent.getsockname()[1]
    try:
        env = {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "SIDENOTE_TIME_BUDGET": "5"}
        with sidenote_service(env) as service:
            started = time.monotonic()
            result = run_load(service.url, annotate_request, concurrency=2, total=20, seconds=30)
            elapsed = time.monotonic() - started

            assert set(result.statuses) == {200} and result.failures == {}
            assert max(result.latencies) < 5.0
            assert elapsed < 30
    finally:
        silent.close()


def test_killing_a_worker_during_load_loses_at_most_its_requests_and_it_is_replaced(redis):
    with sidenote_service({"REDIS_URL": redis.url}) as service:
        workers = wait_for_workers(service.process.pid, 2)

        def kill_one() -> None:
            time.sleep(1.0)
            os.kill(workers[0], signal.SIGKILL)

        killer = threading.Thread(target=kill_one)
        killer.start()
        result = run_load(service.url, annotate_request, concurrency=2, total=100_000, seconds=4)
        killer.join()

        # only the requests the dead worker held: its threads may hold both of the load's two
        assert sum(result.failures.values()) <= 2
        assert set(result.statuses) == {200}
        replaced = wait_for_workers(service.process.pid, 2, without=workers[0])
        assert workers[0] not in replaced
        assert get_json(service.url + "/healthz") == {"status": "ok"}


def test_the_service_log_holds_no_page_text_or_urls(redis):
    with sidenote_service({"REDIS_URL": redis.url}) as service:
        secret = "Quillfeather Marmalade announced the zeppelin tariffs."
        post_json(service.url + "/v1/annotate", {"text": secret, "url": "https://hidden.example/x"})
        request = urllib.request.Request(
            service.url + "/v1/annotate",
            b'{"text": 5, "url": "https://hidden.example"}',
            {"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10)
        time.sleep(0.3)
        log = service.log()

    assert "status=200" in log and "status=422" in log
    for fragment in ("Quillfeather", "zeppelin", "hidden.example"):
        assert fragment not in log


@pytest.mark.parametrize("workers", [0, 2], ids=["development_server", "gunicorn"])
def test_no_server_logs_an_outlet_lookups_url(workers):
    with sidenote_service({}, workers=workers) as service:
        get_json(service.url + "/v1/outlets/https://hidden-lookup-site.com/private/page")
        time.sleep(0.3)
        log = service.log()

    assert "endpoint=v1.outlet_note status=200" in log
    assert "hidden-lookup" not in log and "/private/" not in log


def test_a_worker_past_its_memory_limit_is_replaced_after_its_request_and_none_fails(redis):
    env = {"REDIS_URL": redis.url, "SIDENOTE_WORKER_MAX_MB": "1"}  # every worker is past it
    with sidenote_service(env) as service:
        workers = wait_for_workers(service.process.pid, 2)

        result = run_load(service.url, annotate_request, concurrency=1, total=6)

        assert result.statuses == {200: 6} and not result.failures
        assert set(wait_for_workers(service.process.pid, 2)) != set(workers)
