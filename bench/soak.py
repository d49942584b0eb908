"""Soak: a steady rate of realistic traffic against gunicorn + Redis, with figures at the end.

The mix: new articles (never seen), repeated articles (cache hits), and bad requests (malformed
JSON, missing text, wrong content type). Valid requests must all succeed; bad ones must all get
a 4xx. Worker memory is read at the start and at the end to show drift.

    python -m bench.soak --seconds 600 --rate 20        # the 10-minute run
    python -m bench.soak --seconds 30 --rate 15         # what CI runs
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter

from bench.loadgen import run_load, worker_rss_mb
from bench.service import redis_server, sidenote_service

PARAGRAPHS = [
    "The committee said on {day} that the budget would be cut by {n} percent.",
    "“This is a disastrous decision for the region,” said {name}, a local official.",
    "According to Reuters, the plan appears to be facing strong opposition from {name}.",
    "Critics argue the move could trigger a crippling blow to small businesses.",
    "{name} told reporters that the negotiations were “going nowhere fast.”",
    "The report, published by the Wall Street Journal, cited {n} anonymous sources.",
]
NAMES = ["Ana Ruiz", "Tom Becker", "Priya Natarajan", "Olu Adeyemi", "Mei Chen"]
DAYS = ["Monday", "Tuesday", "Friday"]
BAD_REQUESTS = [
    (b"{not json", "application/json"),
    (b'{"url": "https://example.com/"}', "application/json"),
    (b'{"text": "fine"}', "text/plain"),
    (b'{"text": 12}', "application/json"),
]


def article(seed: int) -> str:
    rng = random.Random(seed)
    sentences = [
        rng.choice(PARAGRAPHS).format(
            day=rng.choice(DAYS), n=rng.randint(2, 90), name=rng.choice(NAMES)
        )
        for _ in range(rng.randint(6, 30))
    ]
    return "\n\n".join(sentences) + f"\n\nReference {seed}."


def make_request_factory(repeated_pool: int = 25):
    kinds: dict[int, str] = {}

    def make(n: int):
        rng = random.Random(n)
        roll = rng.random()
        if roll < 0.1:
            kinds[n] = "bad"
            body, content_type = BAD_REQUESTS[n % len(BAD_REQUESTS)]
            return "POST", "/v1/annotate", body, content_type
        kinds[n] = "new" if roll < 0.4 else "repeated"
        seed = 1_000_000 + n if kinds[n] == "new" else rng.randrange(repeated_pool)
        body = json.dumps({"text": article(seed), "url": "https://news.example/story"}).encode()
        return "POST", "/v1/annotate", body, "application/json"

    return make, kinds


def soak(seconds: float, rate: float, concurrency: int) -> dict:
    with redis_server() as redis, sidenote_service({"REDIS_URL": redis.url}) as service:
        warm, _ = make_request_factory()
        run_load(service.url, warm, concurrency=2, total=20, seconds=30)  # load each worker
        rss_start = worker_rss_mb(service.process.pid)
        make, kinds = make_request_factory()
        by_kind: Counter[str] = Counter()
        wrong: Counter[str] = Counter()

        def check(n: int, status: int, _: bytes) -> None:
            kind = kinds[n]
            by_kind[kind] += 1
            ok = 400 <= status < 500 if kind == "bad" else status == 200
            if not ok:
                wrong[f"{kind}:{status}"] += 1

        result = run_load(
            service.url,
            make,
            concurrency=concurrency,
            total=int(seconds * rate) + 1,
            seconds=seconds,
            rate=rate,
            on_response=check,
        )
        rss_end = worker_rss_mb(service.process.pid)
    return {
        "seconds": round(result.seconds, 1),
        "requests": result.requests,
        "by_kind": dict(by_kind),
        "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
        "transport_failures": dict(result.failures),
        "wrong_answers": dict(wrong),
        "p50_ms": round(result.percentile(50) * 1000, 1),
        "p99_ms": round(result.percentile(99) * 1000, 1),
        "worker_rss_mb_start": [round(x) for x in rss_start],
        "worker_rss_mb_end": [round(x) for x in rss_end],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--rate", type=float, default=20, help="requests per second")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    figures = soak(args.seconds, args.rate, args.concurrency)
    print(json.dumps(figures, indent=2))
    failed = figures["wrong_answers"] or figures["transport_failures"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
