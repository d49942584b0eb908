"""A small closed-loop HTTP load generator for loopback benchmarks and fault tests.

It only talks to this machine (127.0.0.1 / localhost), and it always stops by itself: after a
number of requests or a duration, whichever comes first.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# (method, path, body bytes or None, content type) for request number n
RequestMaker = Callable[[int], tuple[str, str, bytes | None, str]]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class LoadResult:
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # transport errors by type
    latencies: list[float] = field(default_factory=list)  # seconds, successful responses
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.failures.values())

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def run_load(
    base_url: str,
    make_request: RequestMaker,
    *,
    concurrency: int = 4,
    total: int = 1000,
    seconds: float = 30.0,
    rate: float | None = None,
    on_response: Callable[[int, int, bytes], None] | None = None,
) -> LoadResult:
    """Send up to ``total`` requests for at most ``seconds``; ``rate`` caps requests per second."""
    parts = urlsplit(base_url)
    if parts.hostname not in LOOPBACK:
        raise ValueError("load is only ever sent to this machine's loopback address")
    result = LoadResult()
    lock = threading.Lock()
    counter = iter(range(total))
    started = time.monotonic()
    deadline = started + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            if rate:
                time.sleep(max(0.0, started + number / rate - time.monotonic()))
            method, path, body, content_type = make_request(number)
            sent = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers={"Content-Type": content_type})
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                with lock:
                    result.failures[type(error).__name__] += 1
                continue
            elapsed = time.perf_counter() - sent
            with lock:
                result.statuses[response.status] += 1
                result.latencies.append(elapsed)
            if on_response:
                on_response(number, response.status, payload)
        connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    sizes = []
    for child in child_pids(master_pid):
        try:
            with open(f"/proc/{child}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return sizes


def child_pids(pid: int) -> list[int]:
    children: list[int] = []
    try:
        import os

        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                children.extend(int(c) for c in listing.read().split())
    except FileNotFoundError:
        pass
    return children
