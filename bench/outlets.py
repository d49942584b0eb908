"""Speed of the outlet analyzer: data load, and lookup plus mention finding per 1,000 words.

The target (issue 5) is 5 ms per 1,000 words for finding the outlets a text names and
looking up every note (the page's and each cited outlet's). Data loading is measured in a
fresh process, since it happens once per process.

Usage (texts are read where they lie, never copied):
    .venv/bin/python -m bench.outlets --data ../shared/data/quotes/dev.jsonl \
        --data ../shared/data/opinion/dev.jsonl
Without --data it times the seed article alone.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "fixtures" / "seed" / "rostec-venezuela.txt"
_WORD = re.compile(r"\w+")
PAGES = ("https://www.nytimes.com/2024/x.html", "https://someone.substack.com/p/x", None)

LOAD_SNIPPET = """
import time
wall, cpu = time.perf_counter(), time.process_time()
from server.pipeline.outlets import tables
tables()
print((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
"""


def load_texts(paths: list[str], limit: int) -> list[str]:
    texts: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            texts += [json.loads(line)["text"] for line in stream if line.strip()][:limit]
    return texts or [SEED.read_text(encoding="utf-8")]


def time_load(runs: int) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds to load the shipped data, each in a fresh interpreter that has
    already imported the pipeline (spaCy's import is not the outlet data's cost). The load
    includes parsing tldextract's bundled suffix list. CPU time is the steadier figure on a
    shared machine."""
    prelude = "import server.pipeline.document\n"
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", prelude + LOAD_SNIPPET],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu = out.stdout.strip().splitlines()[-1].split()
        results.append((float(wall), float(cpu)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[], help="JSONL with a text field")
    parser.add_argument("--limit", type=int, default=200, help="texts per file")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over all texts")
    parser.add_argument("--load-runs", type=int, default=3)
    args = parser.parse_args()

    from server.pipeline.document import Document
    from server.pipeline.outlets import OutletAnalyzer, tables

    texts = load_texts(args.data, args.limit)
    words = sum(len(_WORD.findall(t)) for t in texts)
    tables()
    analyzer = OutletAnalyzer()
    notes = mentions = 0
    for i, text in enumerate(texts):  # warm the per-site note cache, as a running service is
        found = analyzer.analyze(Document(text, url=PAGES[i % len(PAGES)]))
        notes += len(found)
        mentions += sum(len(n.mentions) for n in found)

    per_1000: list[float] = []
    cold_per_1000: list[float] = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for i, text in enumerate(texts):
            analyzer.analyze(Document(text, url=PAGES[i % len(PAGES)]))
        per_1000.append((time.perf_counter() - start) * 1000 / words * 1000)
    from server.pipeline.outlets.notes import note_for
    from server.pipeline.outlets.sites import cited_site

    note_for.cache_clear()
    cited_site.cache_clear()
    start = time.perf_counter()
    for i, text in enumerate(texts):
        analyzer.analyze(Document(text, url=PAGES[i % len(PAGES)]))
    cold_per_1000.append((time.perf_counter() - start) * 1000 / words * 1000)

    loads = time_load(args.load_runs)
    print(f"texts: {len(texts)}, words: {words}, notes: {notes}, mentions: {mentions}")
    print(
        f"lookup + mention finding, warm note cache: median {statistics.median(per_1000):.2f} "
        f"ms per 1,000 words (min {min(per_1000):.2f}, max {max(per_1000):.2f}; target 5)"
    )
    print(f"same, note cache emptied first: {cold_per_1000[0]:.2f} ms per 1,000 words")
    print(
        f"data load (fresh process): median {statistics.median(x[0] for x in loads):.0f} ms wall, "
        f"{statistics.median(x[1] for x in loads):.0f} ms CPU (target < 200)"
    )


if __name__ == "__main__":
    main()
