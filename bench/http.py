"""Load on the HTTP service as deployed: gunicorn workers, a real Redis, loopback only.

Starts its own ``redis-server`` and ``sidenote serve --workers N`` on free loopback ports
(``bench.service``), then loads ``POST /v1/annotate`` from this process (``bench.loadgen``, a
closed-loop generator bounded in count and time) in three phases:

* floor: ``GET /healthz``, what any request costs before the API does anything;
* hits: a small set of articles, cached beforehand, requested over and over;
* misses: distinct articles never seen before, so each one runs the whole pipeline;
* mix: 90% hits, 10% distinct unseen articles.

Client-side latency includes queueing behind busy workers (each client thread keeps its
connection alive, which the threaded workers allow). Server time comes from what the service
already exposes: its access log (``ms=`` per request) and the ``sidenote_request_seconds``
histogram at ``/metrics``, read before and after each phase. CPU time per request is read
from ``/proc`` for the workers and for Redis, because on a shared, busy machine it is the
figure that other processes skew least; requests per second on two free cores follow from it.

Usage (the texts are read where they lie, never copied):
    .venv/bin/python -m bench.http --data ../shared/data/quotes/dev.jsonl \
        --data ../shared/data/opinion/dev.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.loadgen import child_pids, run_load
from bench.service import redis_server, sidenote_service

_ACCESS_MS = re.compile(r"endpoint=v1\.annotate_text status=(\d+) .* ms=([\d.]+)")
_CACHE = re.compile(r'^sidenote_cache_total\{result="(hit|miss)"\} ([\d.e+]+)', re.MULTILINE)
_BUCKET = re.compile(
    r'^sidenote_request_seconds_bucket\{endpoint="v1\.annotate_text",le="([^"]+)"\} ([\d.e+]+)',
    re.MULTILINE,
)


@dataclass
class Phase:
    """What one load phase observed, client side and server side."""

    name: str
    client: str = "bench.loadgen"
    done: int = 0  # successful requests
    client_ms: dict[float, float] = field(default_factory=dict)  # percentile -> latency
    errors: int = 0
    cached: dict[bool, int] = field(default_factory=lambda: {True: 0, False: 0})
    seconds: float = 0.0
    server_ms: list[float] = field(default_factory=list)
    histogram_p50_ms: float | None = None
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # "workers", "redis", "client"

    def cpu_ms_per_request(self, who: str) -> float:
        done = self.done
        return self.cpu_seconds.get(who, 0.0) / done * 1000 if done else float("nan")

    def capacity(self, cores: int) -> float:
        """Requests per second ``cores`` free cores would serve: the service's own CPU cost
        (workers and Redis, not this load generator), which a busy machine skews least."""
        cost = self.cpu_ms_per_request("workers") + self.cpu_ms_per_request("redis")
        return cores * 1000 / cost if cost else float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ---------------------------------------------------------------- what /proc says


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by a process and all its children, living or gone:
    gunicorn replaces a worker past ``SIDENOTE_WORKER_MAX_MB``, and the old one's time counts."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    for child in child_pids(pid):
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # just exited: its time moves to the parent's cutime
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def worker_memory(master: int) -> dict[int, dict[str, float]]:
    snapshot = {}
    for pid in child_pids(master):
        with contextlib.suppress(FileNotFoundError):
            snapshot[pid] = memory_mb(pid)
    return snapshot


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


# ---------------------------------------------------------------- server-side time


def metrics(base: str) -> str:
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        return response.read().decode("utf-8")


def histogram(text: str) -> dict[float, float]:
    return {float(le): float(count) for le, count in _BUCKET.findall(text)}


def cache_counts(text: str) -> dict[str, float]:
    counts = dict.fromkeys(("hit", "miss"), 0.0)
    counts.update((result, float(value)) for result, value in _CACHE.findall(text))
    return counts


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
    """Server time of each successful annotate request logged since ``offset``, and the
    offset of the log's end."""
    with open(log_path, "rb") as log:
        log.seek(offset)
        chunk = log.read()
    text = chunk.decode("utf-8", "replace")
    values = [float(ms) for status, ms in _ACCESS_MS.findall(text) if status == "200"]
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
    texts: list[str],
    concurrency: int,
    seconds: float,
    log_path: Path,
    processes: dict[str, int],
    requests: int = 0,
    client: str = "bench.loadgen",
) -> Phase:
    """Annotate each text once (in order, from ``concurrency`` connections); with no texts,
    ``requests`` times ``GET /healthz``, the floor every request pays (gunicorn, Flask and the
    app's hooks). With ``client="wrk"``, wrk cycles through the texts for ``seconds`` instead."""
    phase = Phase(name, client)
    bodies = [json.dumps({"text": text}, ensure_ascii=False).encode("utf-8") for text in texts]
    if bodies:
        total = len(bodies)
        make = lambda n: ("POST", "/v1/annotate", bodies[n], "application/json")  # noqa: E731
    else:
        total = requests
        make = lambda n: ("GET", "/healthz", None, "text/plain")  # noqa: E731

    def record(_number: int, status: int, payload: bytes) -> None:
        if status == 200 and bodies:
            phase.cached[payload.startswith(b'{"cached":true')] += 1

    _, offset = access_log_ms(log_path, 0)
    before = metrics(base)
    cpu_before = {who: cpu_seconds(pid) for who, pid in processes.items()}
    if client == "wrk":
        run_wrk(phase, base, list(dict.fromkeys(bodies)), concurrency, seconds)
        counts_before, counts_after = cache_counts(before), cache_counts(metrics(base))
        for result, cached in (("hit", True), ("miss", False)):
            phase.cached[cached] = round(counts_after[result] - counts_before[result])
    else:
        client_before = time.process_time()
        result = run_load(
            base, make, concurrency=concurrency, total=total, seconds=seconds, on_response=record
        )
        phase.cpu_seconds["client"] = time.process_time() - client_before
        phase.done = result.statuses[200]
        ms = [v * 1000 for v in result.latencies]
        phase.client_ms = {0.5: percentile(ms, 0.5), 0.99: percentile(ms, 0.99)}
        phase.errors = result.requests - result.statuses[200]
        phase.seconds = result.seconds
    for who, pid in processes.items():
        phase.cpu_seconds[who] = cpu_seconds(pid) - cpu_before[who]
    time.sleep(0.3)  # let the last access-log lines reach the file
    phase.server_ms, _ = access_log_ms(log_path, offset)
    phase.histogram_p50_ms = histogram_p50(histogram(before), histogram(metrics(base)))
    return phase


_WRK_SCRIPT = """
local bodies = {%s}
local n = 0
request = function()
  if #bodies == 0 then return wrk.format("GET", "/healthz") end
  n = n %% #bodies + 1
  return wrk.format("POST", "/v1/annotate", {["Content-Type"] = "application/json"}, bodies[n])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SIDENOTE %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def run_wrk(phase: Phase, base: str, bodies: list[bytes], concurrency: int, seconds: float) -> None:
    """wrk (C, one thread) cycling through ``bodies``: a client that takes little of the CPU
    it measures. Its own CPU time is counted as the client's."""
    quoted = []
    for body in bodies:
        level = "="
        while b"]" + level.encode() + b"]" in body:
            level += "="
        quoted.append(f"[{level}[{body.decode('utf-8')}]{level}]")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", encoding="utf-8", delete=False) as lua:
        lua.write(_WRK_SCRIPT % ",".join(quoted))
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "-s", lua.name]
    started = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        output = subprocess.run(
            [*command, base], capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
    finally:
        os.unlink(lua.name)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    phase.cpu_seconds["client"] = (
        ended.ru_utime - started.ru_utime + ended.ru_stime - started.ru_stime
    )
    fields = output.rsplit("SIDENOTE ", 1)[1].split()
    total, errors = int(fields[0]), int(fields[1])
    phase.done, phase.errors = total - errors, errors
    phase.seconds = int(fields[2]) / 1e6
    phase.client_ms = {0.5: float(fields[3]), 0.99: float(fields[4])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", required=True, help="a dev JSONL file")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hot", type=int, default=20, help="distinct articles served as hits")
    parser.add_argument("--floor", type=int, default=1500, help="GET /healthz requests")
    parser.add_argument("--hits", type=int, default=4000, help="requests in the hit phase")
    parser.add_argument("--misses", type=int, default=40, help="requests in the miss phase")
    parser.add_argument("--mix", type=int, default=600, help="requests in the 90%% hit phase")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--client",
        choices=("wrk", "bench.loadgen"),
        default="wrk" if shutil.which("wrk") else "bench.loadgen",
        help="what loads the floor and hit phases (wrk when installed: apt-get install wrk); "
        "misses and the mix always use bench.loadgen, which sends each text exactly once",
    )
    parser.add_argument("--seconds", type=float, default=30, help="time limit of each phase")
    parser.add_argument("--wrk-seconds", type=float, default=10, help="length of a wrk phase")
    parser.add_argument(
        "--rate-limit",
        default="10000000/minute;100000000/hour",
        help="SIDENOTE_RATE_LIMIT; two limits as in the default configuration, never biting",
    )
    args = parser.parse_args(argv)

    texts = load_texts(args.data)
    mix_misses = args.mix // 10
    if len(texts) < args.hot + args.misses + mix_misses:
        sys.exit(f"need {args.hot + args.misses + mix_misses} distinct texts, have {len(texts)}")
    hot = texts[: args.hot]
    unseen = iter(texts[args.hot :])
    miss_texts = [next(unseen) for _ in range(args.misses)]
    mix_texts = [next(unseen) if i % 10 == 9 else hot[i % len(hot)] for i in range(mix_misses * 10)]

    environment = {
        "SIDENOTE_RATE_LIMIT": args.rate_limit,
        "SIDENOTE_LOG_LEVEL": "INFO",
        # A fresh directory per run, so /metrics counts this run's requests only.
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="sidenote-bench-metrics-"),
    }
    with redis_server() as redis:
        environment.update(REDIS_URL=redis.url, SIDENOTE_KEY_PREFIX="bench:")
        with sidenote_service(environment, workers=args.workers) as service:
            master = service.process.pid
            assert redis.process is not None
            processes = {"workers": master, "redis": redis.process.pid}
            deadline = time.monotonic() + 30  # /readyz answers once the first worker is up
            while len(child_pids(master)) < args.workers and time.monotonic() < deadline:
                time.sleep(0.1)
            memory_before = worker_memory(master)
            last_seen: dict[int, dict[str, float]] = {}

            def phase(
                name: str,
                texts: list[str],
                concurrency: int,
                seconds: float,
                requests: int = 0,
                client: str = "bench.loadgen",
            ) -> Phase:
                result = run_phase(
                    name,
                    service.url,
                    texts,
                    concurrency,
                    seconds,
                    service.log_path,
                    processes,
                    requests,
                    client,
                )
                last_seen.update(worker_memory(master))  # a worker may be replaced later
                return result

            phase("prime", hot, args.workers, 120)
            by_wrk = args.client == "wrk"  # wrk cycles through the hot articles for a set time
            hits = hot if by_wrk else [hot[i % len(hot)] for i in range(args.hits)]
            seconds = args.wrk_seconds if by_wrk else args.seconds
            phases = [
                phase(
                    "GET /healthz (floor)", [], args.concurrency, seconds, args.floor, args.client
                ),
                phase("hits", hits, args.concurrency, seconds, client=args.client),
                phase("misses (distinct articles)", miss_texts, args.workers, args.seconds),
                phase("mix (90% hits)", mix_texts, args.concurrency, args.seconds),
            ]
            memory_after = worker_memory(master)

    report(args, phases, memory_before, last_seen, memory_after)
    return 0


def _ms(values: list[float], share: float) -> str:
    return f"{percentile(values, share):.1f}" if values else "n/a"


def report(
    args: argparse.Namespace,
    phases: list[Phase],
    memory_before: dict[int, dict[str, float]],
    last_seen: dict[int, dict[str, float]],
    memory_after: dict[int, dict[str, float]],
) -> None:
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"gunicorn threaded workers (server/worker.py): {args.workers}; "
        f"{args.concurrency} connections from one client process"
    )
    print()
    print(
        "| phase | client | requests | errors | hits/misses seen | req/s | client p50 ms "
        "| client p99 ms "
        "| server p50 ms (log) | server p99 ms (log) | server p50 ms (/metrics) |"
    )
    print("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for phase in phases:
        rate = phase.done / phase.seconds if phase.seconds else float("nan")
        from_histogram = phase.histogram_p50_ms
        print(
            f"| {phase.name} | {phase.client} | {phase.done + phase.errors} | {phase.errors} "
            f"| {phase.cached[True]}/{phase.cached[False]} | {rate:,.0f} "
            f"| {phase.client_ms[0.5]:.1f} | {phase.client_ms[0.99]:.1f} "
            f"| {_ms(phase.server_ms, 0.5)} | {_ms(phase.server_ms, 0.99)} "
            f"| {'n/a' if from_histogram is None else f'{from_histogram:.2f}'} |"
        )
    print()
    print(
        "| phase | gunicorn CPU ms/req | Redis CPU ms/req | client CPU ms/req "
        "| req/s on 2 free cores (workers + Redis CPU) |"
    )
    print("|---|---:|---:|---:|---:|")
    for phase in phases:
        print(
            f"| {phase.name} | {phase.cpu_ms_per_request('workers'):.2f} "
            f"| {phase.cpu_ms_per_request('redis'):.2f} "
            f"| {phase.cpu_ms_per_request('client'):.2f} | {phase.capacity(2):,.0f} |"
        )
    print()
    print(
        "| worker | RSS MB at start | RSS MB last seen | PSS MB last seen "
        "| private MB last seen | state at the end |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for pid in sorted(set(memory_before) | set(last_seen)):
        before = memory_before.get(pid)
        seen = last_seen.get(pid) or memory_before[pid]
        state = "running" if pid in memory_after else "replaced"
        if before is None:
            state = "started during the run; " + state
        rss_at_start = "" if before is None else f"{before['rss']:.0f}"
        print(
            f"| {pid} | {rss_at_start} | {seen['rss']:.0f} "
            f"| {seen['pss']:.0f} | {seen['private']:.0f} | {state} |"
        )


if __name__ == "__main__":
    sys.exit(main())
