"""Time the opinion analyzer alone, per 1,000 words (its budget is 30 ms beyond the tokenizer).

Usage: python scripts/bench_opinions.py [TEXTS.jsonl|TEXT.txt ...] [--repeat N]

Tokens and quoted regions are computed before the clock starts, as the pipeline shares them with
the other analyzers; the headline figure is the best of ``--repeat`` passes, to keep other load
out, and the first pass (per-word caches still empty) is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from server.pipeline.document import Document
from server.pipeline.opinions import OpinionAnalyzer, load_scorer
from server.pipeline.quotes import quoted_regions

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "rostec-venezuela.txt"
_WORD = re.compile(r"\w+")


def read_texts(paths: list[Path]) -> list[str]:
    texts = []
    for path in paths:
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as handle:
                texts += [json.loads(line)["text"] for line in handle if line.strip()]
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[SEED])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = read_texts(args.paths)
    words = sum(len(_WORD.findall(text)) for text in texts)
    analyzer = OpinionAnalyzer()
    load_scorer()  # model loading is a one-off per process, not per request
    best_alone = best_with_tokens = float("inf")
    first_pass = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        docs = [Document(text) for text in texts]
        for doc in docs:
            doc.tokens  # noqa: B018 (computing the shared tokens is the point)
            quoted_regions(doc)
        prepared = time.perf_counter()
        for doc in docs:
            analyzer.analyze(doc)
        finished = time.perf_counter()
        if first_pass is None:
            first_pass = finished - prepared  # word caches still cold
        best_alone = min(best_alone, finished - prepared)
        best_with_tokens = min(best_with_tokens, finished - started)
    print(f"{len(texts)} texts, {words} words, best of {args.repeat}")
    print(f"opinions alone:            {1e6 * best_alone / words:6.1f} ms per 1,000 words")
    print(f"opinions, first pass:      {1e6 * first_pass / words:6.1f} ms per 1,000 words")
    print(f"with tokenizer and quotes: {1e6 * best_with_tokens / words:6.1f} ms per 1,000 words")


if __name__ == "__main__":
    main()
