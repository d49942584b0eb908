"""Fit the statement filter of the quote analyzer on PolNeAR ``train.jsonl``.

The pattern stage over-generates on purpose (every cue word with a speaker nearby); this
logistic model, over features the analyzer computes anyway (``quotes.confidence.features``),
learns which of those candidates annotators counted as attributions with the right speaker.
Labels come from the matching rules of the ``score.py`` beside the data (imported by path,
unchanged).

Usage: python scripts/fit_quote_filter.py PATH/TO/train.jsonl [--quoted T] [--indirect T] [--l2 L]

The two thresholds (statements with and without quotation marks) are chosen on dev.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np

from server.pipeline.document import Document
from server.pipeline.quotes import QuoteAnalyzer
from server.pipeline.quotes.confidence import feature_schema, features
from server.pipeline.quotes.data import DATA_DIR
from server.pipeline.quotes.statements import find_attributions

MIN_FEATURE_COUNT = 5


def load_scorer(data_path: Path):
    spec = importlib.util.spec_from_file_location("score", data_path.parent / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def examples(data_path: Path) -> tuple[list[dict[str, float]], list[int]]:
    """Candidate statements with label 1 when they match a gold one with the right speaker."""
    score = load_scorer(data_path)
    rows, labels = [], []
    analyzer = QuoteAnalyzer(use_filter=False)
    for line in data_path.open(encoding="utf8"):
        gold = json.loads(line)
        text = gold["text"]
        doc = Document(text)
        quotes = analyzer.analyze(doc)
        attributions = {(a.content[0][0], a.content[-1][1]): a for a in find_attributions(doc)}
        gold_quotes = gold["quotes"]
        gold_tokens = [
            score.tokens(text, q.get("fragments") or [(q["start"], q["end"])]) for q in gold_quotes
        ]
        named = [
            q["speaker"]
            for q in gold_quotes
            if q.get("speaker")
            and not set(score.norm_speaker(q["speaker"]).split()) <= score.PRONOUNS
        ]
        for quote in quotes:
            predicted = score.tokens(text, quote.fragments or [(quote.start, quote.end)])
            mention = quote.speaker.mention if quote.speaker else None
            good = 0
            for g, tokens in zip(gold_quotes, gold_tokens, strict=True):
                if not predicted or not tokens:
                    continue
                shared = len(predicted & tokens)
                if shared / max(len(predicted), len(tokens)) < 0.5 and shared < 0.8 * len(
                    predicted
                ):
                    continue
                wanted = g.get("speaker")
                if not score.norm_speaker(wanted):
                    ok = not score.norm_speaker(mention)
                else:
                    ok = score.speaker_lenient(wanted, mention) or (
                        set(score.norm_speaker(wanted).split()) <= score.PRONOUNS
                        and any(score.speaker_lenient(n, mention) for n in named)
                    )
                if ok:
                    good = 1
                    break
            attribution = attributions.get((quote.start, quote.end))
            if attribution is None:
                continue
            rows.append(features(doc, attribution, quote.speaker))
            labels.append(good)
    return rows, labels


def fit(rows: list[dict[str, float]], labels: list[int], l2: float) -> dict[str, float]:
    counts: dict[str, int] = {}
    for row in rows:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(n for n, c in counts.items() if c >= MIN_FEATURE_COUNT)
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, row in enumerate(rows):
        for name, value in row.items():
            if name in index:
                x[r, index[name]] = value
    y = np.array(labels, dtype=float)
    w = np.zeros(len(names))
    for _ in range(25):  # Newton steps on the L2-penalized log-likelihood
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(names))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return {name: round(float(w[i]), 4) for name, i in index.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("train")
    parser.add_argument("--quoted", type=float, default=0.3)
    parser.add_argument("--indirect", type=float, default=0.53)
    parser.add_argument("--l2", type=float, default=0.3)  # chosen on dev
    parser.add_argument("--out", default=str(DATA_DIR / "filter.json"))
    args = parser.parse_args()
    rows, labels = examples(Path(args.train))
    weights = fit(rows, labels, args.l2)
    Path(args.out).write_text(
        json.dumps(
            {
                # the contract with the code (tests/pipeline/test_quote_filter.py)
                "analyzer_version": QuoteAnalyzer.version,
                "feature_schema": feature_schema(),
                "threshold_quoted": args.quoted,
                "threshold_indirect": args.indirect,
                "weights": weights,
            },
            indent=0,
        )
        + "\n",
        encoding="utf8",
    )
    print(f"{len(rows)} candidates, {sum(labels)} good; {len(weights)} weights -> {args.out}")


if __name__ == "__main__":
    main()
