"""Join the shipped reader-rubric labels (offsets only) with their licensed texts.

Usage: python scripts/reader_labels.py ../shared/data [--labels server/data/opinions/labels.jsonl]
       [--format opinion|reader] > train.jsonl

``opinion``: the opinion data's format, for ``fit_opinions.py`` (every label counts as opinion);
``reader``: the reader data's format with both readers the one annotator, so that the reader
scorer measures the analyzer on its own fitting texts (``sidenote eval reader train.jsonl``,
with the reader ``score.py`` beside the file). Texts are checked against their SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

LABELS = Path(__file__).resolve().parent.parent / "server" / "data" / "opinions" / "labels.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder (quotes/, opinion/)")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--format", choices=("opinion", "reader"), default="opinion")
    args = parser.parse_args(argv)
    texts: dict[str, str] = {}
    labels = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines()]
    for name in sorted({label["file"] for label in labels}):
        for line in (args.data / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts[record["id"]] = record["text"]
    for label in labels:
        text = texts[label["id"]]
        if hashlib.sha256(text.encode()).hexdigest() != label["sha256"]:
            print(f"{label['id']}: the text differs from the one labelled", file=sys.stderr)
            return 1
        spans = [
            {"start": s, "end": e, "text": text[s:e], "category": c, "label": "Loaded_Language"}
            for s, e, c in label["spans"]
        ]
        if args.format == "opinion":
            record = {"id": label["id"], "text": text, "spans": spans}
        else:
            record = {"id": label["id"], "text": text, "readers": {"A": spans, "B": spans}}
        print(json.dumps(record, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
