"""How the opinion tagger's decoding thresholds fare on train alone, out of fold.

Usage: python scripts/check_opinion_thresholds.py PATH/train.jsonl [--soft TEACHER.jsonl.gz]

The shipped thresholds were chosen on dev; this checks that choice without dev. Train is cut
into three folds (a BASIL event's three articles stay together), the tagger is refitted on two
folds with the shipped settings (and the teacher-labelled texts of ``--soft``, as
``fit_opinions.py``), and the third is annotated at every point of a threshold grid; the data's
own ``score.py`` (beside the file) scores the pooled out-of-fold output. Prints one line per
point, sorted by character precision. Takes about ten minutes, half an hour with ``--soft``.
The teacher saw all of train, so with ``--soft`` the held-out folds are not wholly unseen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

from fit_opinions import PieceEmbeddings, examples, fit_model, soft_examples
from opinion_spans import load_scorer

from server.evaluation.opinions import predict, read_jsonl, score
from server.pipeline import opinions

STARTS = (0.3, 0.35, 0.4, 0.45, 0.5)
EXTENDS = (0.2, 0.25, 0.3)
CHARGED_STARTS = (0.15, 0.2, 0.25, 0.3)
FOLDS = 3


def fold_of(record: dict) -> int:
    event = record["id"].rsplit("_", 1)[0] if record["source"] == "BASIL" else record["id"]
    return sum(event.encode()) % FOLDS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--soft", type=Path, action="append", default=[])
    parser.add_argument("--model", type=Path, help="MiniLM folder (default: the package's)")
    args = parser.parse_args()
    records = read_jsonl(args.train)
    shipped = opinions.load_model()
    settings = shipped["settings"]
    work = Path(tempfile.mkdtemp(prefix="opinion-folds-"))
    scorer = load_scorer(args.train)
    soft_feats, soft_labels, soft_contexts = soft_examples(args.soft, opinions.load_lexicon())
    embeddings = PieceEmbeddings.load(args.model) if settings.get("pieces") else None
    fold_models = []
    for fold in range(FOLDS):
        rest = work / f"without-{fold}.jsonl"
        rest.write_text("".join(json.dumps(r) + "\n" for r in records if fold_of(r) != fold))
        feats, labels, contexts = examples(
            rest, settings["max_span_words"], opinions.load_lexicon(), scorer
        )
        fitted = fit_model(
            feats + soft_feats,
            labels + soft_labels,
            contexts + soft_contexts,
            settings,
            embeddings,
        )
        fold_models.append({**shipped, **fitted})
    rows = []
    for start, extend, charged in itertools.product(STARTS, EXTENDS, CHARGED_STARTS):
        thresholds = {"threshold": start, "extend": extend, "charged_threshold": charged}
        predictions = []
        for fold, model in enumerate(fold_models):
            # The analyzer reads its model through these two cached loaders.
            current = {**model, **thresholds}
            opinions.load_model = lambda current=current: current
            opinions.load_scorer.cache_clear()
            predictions += predict([r for r in records if fold_of(r) == fold])
        output = work / "predictions.jsonl"
        output.write_text("".join(json.dumps(p) + "\n" for p in predictions))
        result = score(args.train, output)
        shipped_point = all(thresholds[k] == shipped[k] for k in thresholds)
        rows.append((result["ALL"]["char"][0], start, extend, charged, result, shipped_point))
    print("start extend charged   SI P/R/F1 pooled   char P   SI F1 PTC   SI F1 BASIL")
    for char_p, start, extend, charged, result, shipped_point in sorted(rows):
        si = result["ALL"]["si"]
        print(
            f"{start:5} {extend:6} {charged:7}   {si[0]:.3f}/{si[1]:.3f}/{si[2]:.3f}"
            f"   {char_p:6.3f}   {result['PTC-SemEval2020T11']['si'][2]:9.3f}"
            f"   {result['BASIL']['si'][2]:11.3f}" + ("   (shipped)" if shipped_point else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
