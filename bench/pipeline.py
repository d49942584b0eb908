"""Latency of the annotation pipeline per 1,000 words, next to the textacy baseline.

Why the baseline runs in the same process and on the same texts: this machine is shared and its
speed varies from minute to minute, so a figure from another day means little. Each text goes
through our pipeline and then through textacy's ``direct_quotations`` over the full spaCy
pipeline (as ``shared/data/quotes/baselines/baseline_textacy.py`` runs it, paragraph by
paragraph), so both sides see the same noise and their ratio holds.

Two views of each analyzer's cost are printed, because analyzers share work through the
``Document`` (tokens, memoized quotations, outlet mentions): *alone* runs one analyzer on a
fresh document, so it pays for everything it needs; *in order* runs them as the pipeline does
(outlets, quotes, opinions), where shared work lands on whichever asks first.

Usage (the texts are read where they lie, never copied):
    .venv/bin/python -m bench.pipeline --data ../shared/data/quotes/dev.jsonl \
        --data ../shared/data/opinion/dev.jsonl --limit 40
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import json
import os
import platform
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy

from server.config import Config
from server.pipeline import ANALYZERS, annotate, nlp
from server.pipeline.document import Document

_LINE = re.compile(r"[^\n]+")


@dataclass
class Sample:
    """Milliseconds per 1,000 words, one value per text, for one thing being timed."""

    values: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, seconds: float, words: int) -> None:
        self.seconds += seconds
        self.values.append(seconds / words * 1e6)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.values)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load_texts(paths: list[str], limit: int) -> list[str]:
    """``limit`` texts from each file, spread evenly over it (first, last and between)."""
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            records = [json.loads(line)["text"] for line in stream if line.strip()]
        if limit and limit < len(records):
            step = (len(records) - 1) / max(limit - 1, 1)
            records = [records[round(i * step)] for i in range(limit)]
        texts.extend(records)
    return texts


def longest_text(texts: list[str], chars: int) -> str:
    """Whole articles, one after another (repeated if need be), cut at ``chars``."""
    pieces, length = [], 0
    for text in itertools.cycle(texts):
        if length >= chars:
            break
        pieces.append(text)
        length += len(text) + 2
    return "\n\n".join(pieces)[:chars]


def timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def make_baseline() -> tuple[str, Callable[[str], Any]]:
    """textacy's direct quotations over the full spaCy pipeline, per paragraph; without
    textacy, the full pipeline plus a regular-expression scan for quoted passages."""
    language = spacy.load(nlp.MODEL)  # every component, not the service's trimmed copy
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        quoted = re.compile(r"[\"“]([^\"”\n]+)[\"”]")

        def spacy_and_regex(text: str) -> list[Any]:
            paragraphs = [m.group() for m in _LINE.finditer(text)]
            found = [
                m.span() for doc in language.pipe(paragraphs) for m in quoted.finditer(doc.text)
            ]
            return found

        return "full spaCy pipeline + regex quote scan (textacy not installed)", spacy_and_regex

    def textacy_quotes(text: str) -> list[Any]:
        paragraphs = [m.group() for m in _LINE.finditer(text)]
        found = []
        for doc in language.pipe(paragraphs):
            with contextlib.suppress(ValueError):  # odd number of quotation marks in it
                found.extend(direct_quotations(doc))
        return found

    return "textacy direct_quotations over the full spaCy pipeline", textacy_quotes


def pipeline_in_order(text: str, steps: dict[str, Sample], words: int) -> None:
    """Each analyzer in the pipeline's order on one shared document, each step timed."""
    doc = Document(text)
    for analyzer in ANALYZERS:
        steps[analyzer.name].add(timed(lambda a=analyzer: a.analyze(doc)), words)


def peak_request_memory(texts: list[str]) -> float:
    """The largest Python heap growth during one ``annotate`` call, in MB (tracemalloc sees
    NumPy's arrays too). Untimed: tracing slows everything down."""
    peak = 0
    for text in texts:
        gc.collect()
        tracemalloc.start()
        annotate(text)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return peak / 2**20


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", required=True, help="a dev JSONL file")
    parser.add_argument(
        "--limit", type=int, default=40, help="texts per file, spread evenly; 0 = all"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the textacy side")
    args = parser.parse_args(argv)

    texts = load_texts(args.data, args.limit)
    started = time.perf_counter()
    nlp.load()
    load_seconds = time.perf_counter() - started
    rss_loaded = rss_mb()
    for text in texts[:3]:  # warm-up: lazy lexicons, automata, spaCy's vocabulary
        annotate(text)
    request_peak = peak_request_memory(texts)
    # Before textacy is imported, so this is our pipeline's own footprint.
    rss_after_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    baseline_name, baseline = make_baseline()
    if not args.no_baseline:
        for text in texts[:3]:
            baseline(text)

    whole, base, tokens = Sample(), Sample(), Sample()
    alone = {a.name: Sample() for a in ANALYZERS}
    in_order = {a.name: Sample() for a in ANALYZERS}
    total_words = 0
    for text in texts:
        words = len(text.split())  # as the baseline script counts them
        total_words += words
        whole.add(timed(lambda t=text: annotate(t)), words)
        tokens.add(timed(lambda t=text: Document(t).tokens), words)
        for analyzer in ANALYZERS:
            alone[analyzer.name].add(
                timed(lambda a=analyzer, t=text: a.analyze(Document(t))), words
            )
        pipeline_in_order(text, in_order, words)
        if not args.no_baseline:
            base.add(timed(lambda t=text: baseline(t)), words)

    # The longest text the API accepts (SIDENOTE_MAX_TEXT_CHARS), made of whole articles:
    # it must finish inside the time budget (SIDENOTE_TIME_BUDGET, 5 s by default).
    longest = longest_text(texts, Config().max_text_chars)
    longest_seconds = timed(lambda: annotate(longest))

    print_report(
        args,
        texts,
        total_words,
        whole,
        tokens,
        base,
        baseline_name,
        alone,
        in_order,
        {
            "model load s": load_seconds,
            "RSS after model load MB": rss_loaded,
            "peak RSS of our pipeline MB": rss_after_ours,
            "peak heap growth of one request MB": request_peak,
            f"longest accepted text ({len(longest):,} chars, {len(longest.split()):,} words) s": (
                longest_seconds
            ),
        },
    )
    return 0


def print_report(
    args: argparse.Namespace,
    texts: list[str],
    total_words: int,
    whole: Sample,
    tokens: Sample,
    base: Sample,
    baseline_name: str,
    alone: dict[str, Sample],
    in_order: dict[str, Sample],
    memory: dict[str, float],
) -> None:
    load = os.getloadavg()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, Python {sys.version.split()[0]}"
    )
    sources = ", ".join(f"{Path(p).parent.name}/{Path(p).name}" for p in args.data)
    print(f"texts: {len(texts)} ({total_words} words) from {sources}")
    print()
    print("| ms per 1,000 words | p50 | p95 | words/s |")
    print("|---|---:|---:|---:|")
    rows = [("whole pipeline (annotate)", whole), ("shared tokenization (doc.tokens)", tokens)]
    rows += [(f"{name} alone (fresh Document)", sample) for name, sample in alone.items()]
    rows += [(f"{name} in pipeline order", sample) for name, sample in in_order.items()]
    if base.values:
        rows.append((f"baseline: {baseline_name}", base))
    for label, sample in rows:
        rate = total_words / sample.seconds if sample.seconds else float("nan")
        p50, p95 = sample.percentile(0.5), sample.percentile(0.95)
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {rate:,.0f} |")
    if base.values:
        p50_ratio = base.percentile(0.5) / whole.percentile(0.5)
        total_ratio = base.seconds / whole.seconds
        print()
        print(
            f"baseline / whole pipeline: {p50_ratio:.1f}x at p50, {total_ratio:.1f}x in total time"
        )
    print()
    for label, value in memory.items():
        print(f"{label}: {value:.1f}")


if __name__ == "__main__":
    sys.exit(main())
