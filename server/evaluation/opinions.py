"""Measure the opinion analyzer on a file in the opinion data format, with that data's own scorer.

The data may not ship with the project, so this takes its path, and runs the ``score.py`` that
sits beside it: the figures printed are the scorer's own, not a re-implementation's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from server.pipeline.document import Document
from server.pipeline.opinions import OpinionAnalyzer

# The scorer's rows and metrics, in the order the report prints them.
_METRICS = ("si", "exact", "char", "overlap")
# Devices the analyzer marks that neither PTC nor BASIL annotates as such: the data marks
# propaganda and biased word choice, not a writer's hedging or questions. The second table
# leaves them out so both views are visible; the first, with everything, is the headline.
NOT_ANNOTATED = frozenset({"hedge", "speculation", "rhetorical"})


def predict(
    docs: list[dict[str, Any]], leave_out: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Run the analyzer over each document; both voices count, as the data marks both."""
    analyzer = OpinionAnalyzer()
    predictions = []
    for record in docs:
        opinions = analyzer.analyze(Document(record["text"]))
        spans = [{"start": o.start, "end": o.end} for o in opinions if o.category not in leave_out]
        predictions.append({"id": record["id"], "spans": spans})
    return predictions


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(data_path: Path, predictions_path: Path) -> dict[str, Any]:
    """The scorer's JSON result (opinion labels), by running the score.py beside the data."""
    scorer = data_path.parent / "score.py"
    if not scorer.is_file():
        raise FileNotFoundError(f"no score.py beside {data_path}")
    command = [sys.executable, str(scorer), str(data_path), str(predictions_path), "--json"]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def format_table(result: dict[str, Any]) -> str:
    """One line per row (pooled first, then each source): SI, exact and char P/R/F1."""
    lines = [
        f"{'row':<22}{'docs':>5}{'gold':>6}{'pred':>6}"
        + "".join(f"  {m + ' P/R/F1':>20}" for m in _METRICS)
    ]
    rows = sorted(result, key=lambda key: (key != "ALL", key))
    for row in rows:
        figures = result[row]
        cells = "".join(
            "  {:>20}".format("{:.3f}/{:.3f}/{:.3f}".format(*figures[m])) for m in _METRICS
        )
        lines.append(
            f"{row:<22}{figures['docs']:>5}{figures['gold_spans']:>6}{figures['pred_spans']:>6}"
            + cells
        )
    return "\n".join(lines)


def run(data_path: str) -> int:
    """Annotate ``data_path`` and print the scorer's figures.

    Returns 0 on success, 1 when the scorer fails, 2 when the data or its scorer is missing.
    """
    path = Path(data_path)
    if not path.is_file():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    if not (path.parent / "score.py").is_file():
        print(f"no score.py beside {path}", file=sys.stderr)
        return 2
    docs = read_jsonl(path)
    views = (
        ("all opinion phrases", frozenset()),
        (
            "without " + ", ".join(sorted(NOT_ANNOTATED)) + " (not annotated in PTC/BASIL)",
            NOT_ANNOTATED,
        ),
    )
    for title, leave_out in views:
        with tempfile.TemporaryDirectory() as folder:
            predictions_path = Path(folder) / "predictions.jsonl"
            with predictions_path.open("w", encoding="utf-8") as handle:
                for record in predict(docs, leave_out):
                    handle.write(json.dumps(record) + "\n")
            try:
                result = score(path, predictions_path)
            except subprocess.CalledProcessError as failure:
                print(f"score.py failed:\n{failure.stderr}", file=sys.stderr)
                return 1
        print(f"{title} ({path.name}, scorer's opinion labels, both voices):")
        print(format_table(result))
        print()
    return 0
