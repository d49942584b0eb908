"""The service as deployed (``sidenote serve --workers N``: gunicorn, server/worker.py) against
requests that take all the time they may and clients that take their time: a request over the
time budget answers 503 and its worker's CPU stops; cheap requests keep answering while every
worker analyses; idle and trickling connections hold no worker. Loopback only, bounded loops.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request

from bench.loadgen import child_pids
from bench.service import sidenote_service

# The worst case measured (tests/pipeline/test_linear_time.py): no spaces for the tokenizer to
# split at, then every quotation mark a quotation; each takes longer than any budget below.
WORST_CASE = {"text": (")" * 120_000 + ' "Yes," he said,' * 5_000)[:200_000]}
ARTICLE = {"text": "“We are confident it is safe,” said Maria Lopez, the city engineer."}


def post(url: str, body: dict, timeout: float = 30) -> tuple[int, float]:
    """Status and seconds of one POST /v1/annotate."""
    request = urllib.request.Request(
        url + "/v1/annotate", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def get(url: str, timeout: float = 10) -> tuple[int, float]:
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        return response.status, time.monotonic() - started


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (/proc/PID/stat, in clock ticks)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_a_request_over_the_budget_answers_503_and_its_worker_stops_working():
    with sidenote_service({"SIDENOTE_TIME_BUDGET": "1", "SIDENOTE_CACHE": "off"}, 1) as service:
        (worker,) = child_pids(service.process.pid)

        status, seconds = post(service.url, WORST_CASE)
        after_answer = cpu_seconds(worker)
        time.sleep(1.0)
        spent_after = cpu_seconds(worker) - after_answer

        assert status == 503
        assert seconds < 1 + 1.5  # the budget, plus the piece of work in flight
        assert spent_after < 0.2  # the analysis stopped with the answer; idle costs nothing
        assert post(service.url, ARTICLE)[0] == 200  # and the worker serves the next
