"""Measure the opinion highlights as readers see them, on the reader data, with its own scorer.

The reader data (two independent annotators per article, see its README) may not ship with the
project, so this takes its path and runs the ``score.py`` beside it unchanged: the lines printed
are the scorer's own. Only author-voice phrases are sent, as the extension shows by default; the
articles run through the whole pipeline, since quotes decide whose voice a phrase is in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from server.evaluation.opinions import read_jsonl
from server.pipeline import annotate


def predict(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each article's author-voice opinion phrases, as the scorer reads predictions."""
    predictions = []
    for record in docs:
        body = annotate(record["text"], title=record.get("title"), features=("quotes", "opinions"))
        spans = [
            {"start": o["start"], "end": o["end"], "category": o["category"]}
            for o in body["opinions"]
            if o["voice"] == "author"
        ]
        predictions.append({"id": record["id"], "spans": spans})
    return predictions


def run(data_path: str, per_doc: bool = False) -> int:
    """Annotate ``data_path`` and print what its ``score.py`` prints.

    Returns 0 on success, 1 when the scorer fails, 2 when the data or its scorer is missing.
    """
    path = Path(data_path)
    scorer = path.parent / "score.py"
    if not path.is_file() or not scorer.is_file():
        print(f"no such file: {path if not path.is_file() else scorer}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        predictions = Path(folder) / "predictions.jsonl"
        with predictions.open("w", encoding="utf-8") as handle:
            for record in predict(read_jsonl(path)):
                handle.write(json.dumps(record) + "\n")
        command = [sys.executable, str(scorer), str(path), str(predictions)]
        completed = subprocess.run(
            command + (["--per-doc"] if per_doc else []), capture_output=True, text=True
        )
    if completed.returncode:
        print(f"score.py failed:\n{completed.stderr}", file=sys.stderr)
        return 1
    print(completed.stdout, end="")
    return 0
