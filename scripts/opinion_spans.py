"""What the opinion taggers learn as positive: short spans the data's own scorer counts as opinion.

Shared by ``fit_opinions.py`` and ``fit_opinion_teacher.py``; standard library only, so the
teacher runs where neither spaCy nor the service is installed. Spans longer than
``max_span_words`` (whole clauses marked for doubt or fear) are neither positive nor negative:
their words are mostly neutral, and the analyzer marks the judgment-carrying words only.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

Spans = list[tuple[int, int]]


def load_scorer(data_path: Path) -> ModuleType:
    """The ``score.py`` beside the data, as a module: its label set is the one learned."""
    spec = importlib.util.spec_from_file_location("score", data_path.parent / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def opinion_spans(record: dict, max_span_words: int, scorer: ModuleType) -> tuple[Spans, Spans]:
    """The record's opinion spans, short and long, as (start, end) offsets."""
    short, long = [], []
    for span in record.get("spans", []):
        if scorer.keep_label(span["label"], "opinion"):
            n_words = len(span["text"].split())
            (short if n_words <= max_span_words else long).append((span["start"], span["end"]))
    return short, long


def label_of(start: int, end: int, short: Spans, long: Spans) -> int | None:
    """1 for text inside a short span, 0 outside any, None (left out) inside a long one only."""
    if any(s < end and start < e for s, e in short):
        return 1
    if any(s < end and start < e for s, e in long):
        return None
    return 0
