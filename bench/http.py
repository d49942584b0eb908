"""Load on the HTTP service as deployed: gunicorn workers, a real Redis, loopback only.

Starts its own password-protected ``redis-server`` and ``sidenote serve --workers N`` on free
loopback ports, then loads ``POST /v1/annotate`` from this process with an asyncio client, in
three phases that each stop by themselves (a bounded count and a time limit):

* hits: a small set of articles, cached beforehand, requested over and over;
* misses: distinct articles never seen before, so each one runs the whole pipeline;
* mix: 90% hits, 10% distinct unseen articles.

Client-side figures include connecting (gunicorn's sync workers close every connection) and
queueing behind busy workers. Server time comes from two places the service already exposes:
its access log (``ms=`` per request) and the ``sidenote_request_seconds`` histogram at
``/metrics``, read before and after each phase. Worker memory is read from ``/proc``.

Usage (the texts are read where they lie, never copied):
    .venv/bin/python -m bench.http --data ../shared/data/quotes/dev.jsonl \
        --data ../shared/data/opinion/dev.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # loopback only: this benchmark never sends traffic anywhere else
ROOT = Path(__file__).resolve().parents[1]
_ACCESS_MS = re.compile(r"endpoint=v1\.annotate_text status=(\d+) .* ms=([\d.]+)")
_BUCKET = re.compile(
    r'^sidenote_request_seconds_bucket\{endpoint="v1\.annotate_text",le="([^"]+)"\} ([\d.e+]+)',
    re.MULTILINE,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Phase:
    """What one load phase observed, client side and server side."""

    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    cached: dict[bool, int] = field(default_factory=lambda: {True: 0, False: 0})
    seconds: float = 0.0
    server_ms: list[float] = field(default_factory=list)
    histogram_p50_ms: float | None = None

    def percentile(self, values: list[float], share: float) -> float:
        ordered = sorted(values)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ---------------------------------------------------------------- the services under test


@contextmanager
def redis_server(password: str) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="sidenote-bench-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", HOST, "--requirepass", password,
         "--save", "", "--appendonly", "no", "--dir", workdir, "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"redis://:{password}@{HOST}:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def service(redis_url: str, workers: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """``sidenote serve --workers N`` (gunicorn, model preloaded), until it answers /readyz."""
    port = free_port()
    environment = {
        **os.environ,
        "REDIS_URL": redis_url,
        "SIDENOTE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}:",
        # Two limits as in the default configuration, set high enough never to bite.
        "SIDENOTE_RATE_LIMIT": "10000000/minute;100000000/hour",
        "SIDENOTE_LOG_LEVEL": "INFO",
        # Set before the service starts: prometheus_client picks its multi-process mode when
        # imported, which `sidenote serve` does before it sets a directory of its own.
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="sidenote-bench-metrics-"),
    }
    command = [str(ROOT / ".venv/bin/sidenote"), "serve", "--host", HOST, "--port", str(port)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)], env=environment, stdout=log, stderr=log
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                sys.exit(f"the service exited; see {log_path}")
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if json.load(response).get("status") == "ready":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"the service did not become ready; see {log_path}")
            time.sleep(0.5)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(30)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def memory_mb(pid: int) -> dict[str, float]:
    """RSS, and PSS/private from smaps_rollup (RSS counts the preloaded model in every worker;
    PSS splits shared pages among the processes that share them)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
            values[name] = int(rest.split()[0]) / 1024
    return {
        "rss": values["Rss"],
        "pss": values["Pss"],
        "private": values["Private_Clean"] + values["Private_Dirty"],
    }


# ---------------------------------------------------------------- the load generator


def request_bytes(port: int, text: str) -> bytes:
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    head = (
        f"POST /v1/annotate HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


async def one_request(port: int, payload: bytes, timeout: float) -> tuple[int, bool | None]:
    """(status, cached) of one request on a fresh connection."""

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(payload)
        await writer.drain()
        data = await reader.read()
        writer.close()
        return data

    data = await asyncio.wait_for(exchange(), timeout)
    status = int(data[9:12])
    body_start = data.find(b"\r\n\r\n") + 4
    cached = {b'{"cached":true': True, b'{"cached":false': False}
    return status, next((v for k, v in cached.items() if data.startswith(k, body_start)), None)


async def drive(
    port: int, payloads: list[bytes], concurrency: int, seconds: float, phase: Phase
) -> None:
    """Send ``payloads`` in order from ``concurrency`` connections; stop at the end of the
    list or when ``seconds`` have passed, whichever comes first."""
    queue = iter(payloads)
    deadline = time.monotonic() + seconds

    async def client() -> None:
        for payload in queue:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            try:
                status, cached = await one_request(port, payload, timeout=30)
            except (TimeoutError, OSError, ValueError):
                phase.errors += 1
                continue
            if status != 200:
                phase.errors += 1
                continue
            phase.latencies.append(time.perf_counter() - started)
            if cached is not None:
                phase.cached[cached] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    phase.seconds = time.perf_counter() - started


# ---------------------------------------------------------------- server-side time


def histogram(base: str) -> dict[float, float]:
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        text = response.read().decode("utf-8")
    return {float(le): float(count) for le, count in _BUCKET.findall(text)}


def histogram_p50(before: dict[float, float], after: dict[float, float]) -> float | None:
    """Median from cumulative bucket counts, interpolated as Prometheus' histogram_quantile."""
    counts = sorted((le, after[le] - before.get(le, 0.0)) for le in after)
    total = counts[-1][1] if counts else 0
    if not total:
        return None
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in counts:
        if count >= total / 2:
            if bound == float("inf"):
                return lower_bound * 1000
            share = (total / 2 - lower_count) / (count - lower_count)
            return (lower_bound + (bound - lower_bound) * share) * 1000
        lower_bound, lower_count = bound, count
    return None


def access_log_ms(log_path: Path, offset: int) -> tuple[list[float], int]:
    """Server time of each annotate request logged since ``offset``, and the new offset."""
    with open(log_path, "rb") as log:
        log.seek(offset)
        chunk = log.read()
    values = [
        float(ms)
        for status, ms in _ACCESS_MS.findall(chunk.decode("utf-8", "replace"))
        if status == "200"
    ]
    return values, offset + len(chunk)


# ---------------------------------------------------------------- the run


def load_texts(paths: list[str]) -> list[str]:
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            texts.extend(json.loads(line)["text"] for line in stream if line.strip())
    return texts


def run_phase(
    name: str,
    base: str,
    port: int,
    texts: list[str],
    concurrency: int,
    seconds: float,
    log_path: Path,
) -> Phase:
    phase = Phase(name)
    payloads = [request_bytes(port, text) for text in texts]
    _, offset = access_log_ms(log_path, 0)
    before = histogram(base)
    asyncio.run(drive(port, payloads, concurrency, seconds, phase))
    time.sleep(0.3)  # let the last access-log lines reach the file
    phase.server_ms, _ = access_log_ms(log_path, offset)
    phase.histogram_p50_ms = histogram_p50(before, histogram(base))
    return phase


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", required=True, help="a dev JSONL file")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hot", type=int, default=20, help="distinct articles served as hits")
    parser.add_argument("--hits", type=int, default=5000, help="requests in the hit phase")
    parser.add_argument("--misses", type=int, default=40, help="requests in the miss phase")
    parser.add_argument("--mix", type=int, default=600, help="requests in the 90%% hit phase")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30, help="time limit of each phase")
    args = parser.parse_args(argv)

    texts = load_texts(args.data)
    mix_misses = args.mix // 10
    if len(texts) < args.hot + args.misses + mix_misses:
        sys.exit(f"need {args.hot + args.misses + mix_misses} distinct texts, have {len(texts)}")
    hot = texts[: args.hot]
    unseen = iter(texts[args.hot :])
    miss_texts = [next(unseen) for _ in range(args.misses)]
    mix_texts = [next(unseen) if i % 10 == 9 else hot[i % len(hot)] for i in range(mix_misses * 10)]

    log_path = Path(tempfile.mkdtemp(prefix="sidenote-bench-")) / "service.log"
    with (
        redis_server(secrets.token_hex(16)) as redis_url,
        service(redis_url, args.workers, log_path) as (base, master),
    ):
        port = int(base.rsplit(":", 1)[1])
        workers = worker_pids(master)
        memory_before = {pid: memory_mb(pid) for pid in workers}
        run_phase("prime", base, port, hot, args.workers, 120, log_path)
        phases = [
            run_phase(
                "hits", base, port, [hot[i % len(hot)] for i in range(args.hits)],
                args.concurrency, args.seconds, log_path,
            ),
            run_phase(
                "misses (distinct articles)", base, port, miss_texts,
                args.workers, args.seconds, log_path,
            ),
            run_phase(
                "mix (90% hits)", base, port, mix_texts, args.concurrency, args.seconds, log_path
            ),
        ]  # fmt: skip
        workers_after = worker_pids(master)
        memory_after = {pid: memory_mb(pid) for pid in workers_after}

    report(args, texts, phases, workers, memory_before, memory_after, log_path)
    return 0


def report(
    args: argparse.Namespace,
    texts: list[str],
    phases: list[Phase],
    workers: list[int],
    memory_before: dict[int, dict[str, float]],
    memory_after: dict[int, dict[str, float]],
    log_path: Path,
) -> None:
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; gunicorn sync workers: {args.workers}; "
        f"client: asyncio, {args.concurrency} connections, one process; log: {log_path}"
    )
    print()
    print(
        "| phase | requests | errors | hit/miss seen | req/s | client p50 ms | client p99 ms "
        "| server p50 ms (log) | server p99 ms (log) | server p50 ms (/metrics) |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for phase in phases:
        done = len(phase.latencies)
        rate = done / phase.seconds if phase.seconds else float("nan")
        ms = [v * 1000 for v in phase.latencies]
        histogram_ms = phase.histogram_p50_ms
        print(
            f"| {phase.name} | {done + phase.errors} | {phase.errors} "
            f"| {phase.cached[True]}/{phase.cached[False]} | {rate:,.0f} "
            f"| {phase.percentile(ms, 0.5):.1f} | {phase.percentile(ms, 0.99):.1f} "
            f"| {phase.percentile(phase.server_ms, 0.5):.1f} "
            f"| {phase.percentile(phase.server_ms, 0.99):.1f} "
            f"| {'n/a' if histogram_ms is None else f'{histogram_ms:.2f}'} |"
        )
    print()
    print("| worker | RSS MB before | RSS MB after | PSS MB after | private MB after |")
    print("|---|---:|---:|---:|---:|")
    for pid in sorted(set(workers) | set(memory_after)):
        before = memory_before.get(pid)
        after = memory_after.get(pid)
        rss_before = "(restarted)" if before is None else f"{before['rss']:.0f}"
        if after is None:
            print(f"| {pid} | {rss_before} | (gone) | | |")
            continue
        print(
            f"| {pid} | {rss_before} | {after['rss']:.0f} | {after['pss']:.0f} "
            f"| {after['private']:.0f} |"
        )


if __name__ == "__main__":
    sys.exit(main())
