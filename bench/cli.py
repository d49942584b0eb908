"""Throughput of ``sidenote annotate --jsonl``, the researchers' batch command, by ``--jobs``.

Each run is a fresh ``python -m server annotate --jsonl`` over the same articles, so the
figures include what a researcher waits for: starting up, loading the model in every process,
and writing the output.

Usage (texts are read where they lie, never copied):
    .venv/bin/python -m bench.cli --data ../shared/data/quotes/dev.jsonl \
        --data ../shared/data/opinion/dev.jsonl --jobs 1 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_input(paths: list[str], folder: Path) -> tuple[Path, int, int]:
    """The articles as annotate's JSONL input, in a temporary folder; (path, articles, words)."""
    articles = words = 0
    target = folder / "articles.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for path in paths:
            with open(path, encoding="utf-8") as stream:
                for line in stream:
                    if line.strip():
                        text = json.loads(line)["text"]
                        out.write(json.dumps({"id": articles, "text": text}) + "\n")
                        articles += 1
                        words += len(text.split())
    return target, articles, words


def run(source: Path, jobs: int) -> float:
    """Wall seconds of one whole command; its output is checked, then thrown away."""
    started = time.perf_counter()
    with source.open(encoding="utf-8") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "server", "annotate", "--jsonl", "-", "--jobs", str(jobs)],
            cwd=REPO,
            stdin=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
    seconds = time.perf_counter() - started
    if any("error" in json.loads(line) for line in done.stdout.splitlines()):
        raise SystemExit(f"--jobs {jobs}: an article failed")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="a JSONL file with text")
    parser.add_argument("--jobs", type=int, action="append", help="repeatable; default 1 and 2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source, articles, words = write_input(args.data, Path(folder))
        print(f"{articles} articles, {words:,} words; {os.cpu_count()} CPUs", end="")
        print(f", load average {os.getloadavg()[0]:.2f}")
        baseline = None
        for jobs in args.jobs or [1, 2]:
            seconds = run(source, jobs)
            baseline = baseline or seconds
            print(
                f"--jobs {jobs}: {seconds:.1f} s, {articles / seconds:.1f} articles/s, "
                f"{words / seconds:,.0f} words/s, {baseline / seconds:.2f}x the first run"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
