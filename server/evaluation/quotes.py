"""``sidenote eval quotes PATH.jsonl``: the quote analyzer against PolNeAR-format gold.

The data may not ship with the project, so this takes its path and runs the ``score.py``
that sits beside it (stdlib only), unchanged. Predicted speakers are the mention as written,
because that is what PolNeAR annotates (its speakers are not coreference-resolved); the
scorer's "resolved" figure credits a pronoun matched to an earlier named speaker.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from server.pipeline.document import Document
from server.pipeline.quotes import QuoteAnalyzer

# (label, --kinds value, predicted kinds written): the last run scores only the quotes the
# analyzer found through quotation marks, as score.py suggests for systems that target them.
RUNS = (
    ("all kinds, all predictions", None, None),
    ("direct+mixed, all predictions", "direct,mixed", None),
    ("direct+mixed, quotation-mark predictions only", "direct,mixed", {"direct", "mixed"}),
)


def predict(data_path: Path) -> tuple[list[dict], float]:
    """Predictions for every document, and the analyzer's time in ms per 1,000 words."""
    analyzer = QuoteAnalyzer()
    predictions = []
    words = 0
    elapsed = 0.0
    with data_path.open(encoding="utf8") as handle:
        for line in handle:
            if not line.strip():
                continue
            gold = json.loads(line)
            words += len(gold["text"].split())
            started = time.perf_counter()
            quotes = analyzer.analyze(Document(gold["text"], title=gold.get("title")))
            elapsed += time.perf_counter() - started
            predictions.append(
                {
                    "id": gold["id"],
                    "quotes": [
                        {
                            "start": quote.start,
                            "end": quote.end,
                            "fragments": [list(f) for f in quote.fragments],
                            "speaker": quote.speaker.mention if quote.speaker else None,
                            "kind": quote.kind,
                        }
                        for quote in quotes
                    ],
                }
            )
    return predictions, 1e6 * elapsed / max(words, 1)


def run(data_path: str) -> int:
    """Score the analyzer on ``data_path``; returns a process exit code."""
    path = Path(data_path)
    scorer = path.parent / "score.py"
    if not path.is_file() or not scorer.is_file():
        print(f"need {path} and score.py beside it", file=sys.stderr)
        return 2
    predictions, ms_per_1000 = predict(path)
    print(f"analyzer time: {ms_per_1000:.1f} ms per 1,000 words ({len(predictions)} docs)")
    status = 0
    with tempfile.TemporaryDirectory() as folder:
        for label, kinds, written in RUNS:
            pred_path = Path(folder) / "predictions.jsonl"
            with pred_path.open("w", encoding="utf8") as out:
                for doc in predictions:
                    quotes = [q for q in doc["quotes"] if written is None or q["kind"] in written]
                    out.write(json.dumps({"id": doc["id"], "quotes": quotes}) + "\n")
            print(f"\n== {label}")
            command = [sys.executable, str(scorer), str(path), str(pred_path)]
            if kinds:
                command += ["--kinds", kinds]
            result = subprocess.run(command, check=False, capture_output=True, text=True)
            print(result.stdout, end="")
            if result.returncode:
                print(result.stderr, file=sys.stderr)
                status = result.returncode
    return status


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1]))
