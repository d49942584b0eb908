"""The opinion tagger's fitting script: a teacher's word-piece labels as word targets, soft
targets, and word-piece embeddings folded into per-piece scores."""

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import numpy as np
from fit_opinions import PieceEmbeddings, fit, word_targets

from server.pipeline.document import Document
from server.pipeline.opinions import BOUNDARY, PieceScores, words_of


def test_a_word_takes_its_likeliest_piece_and_unlisted_words_take_zero():
    text = "A venomous crackdown began."
    words = words_of(Document(text))
    # The teacher's tokenizer cut "venomous" into two pieces; "began" was under the cut-off.
    pieces = [[11, 20, 0.4], [2, 6, 0.2], [6, 10, 0.9]]
    targets = dict(zip((w.text for w in words), word_targets(words, pieces), strict=True))
    assert targets == {"A": 0.0, "venomous": 0.9, "crackdown": 0.4, "began": 0.0, ".": 0.0}


def test_a_piece_across_two_words_labels_both():
    words = words_of(Document("so-called experts"))
    targets = word_targets(words, [[0, 9, 0.7]])
    assert [w.text for w in words] == ["so", "-", "called", "experts"]
    assert targets == [0.7, 0.7, 0.7, 0.0]


def test_soft_targets_fit_probabilities_not_classes():
    # Two features, each seen with one target in every example: the fit recovers both targets.
    feats = [["f"]] * 200 + [["g"]] * 200
    labels = [0.8] * 200 + [0.1] * 200
    bias, weights, _ = fit(feats, labels, min_count=1, l2=0.0, epochs=300, min_weight=0.0)
    assert 1 / (1 + math.exp(-(bias + weights["f"]))) == pytest.approx(0.8, abs=0.02)
    assert 1 / (1 + math.exp(-(bias + weights["g"]))) == pytest.approx(0.1, abs=0.02)


def test_piece_scores_give_a_word_the_score_its_mean_embedding_gets():
    rng = np.random.default_rng(0)
    vocabulary = ["[PAD]", "[UNK]", "[", "vi", "##cious", "venom", "##ous", "calm"]
    embeddings = PieceEmbeddings(vocabulary, rng.normal(size=(len(vocabulary), 4)))
    # the word, the word before, the word after, then the window (sharing one weight vector)
    contexts = [("vicious", BOUNDARY, "venomous", "calm"), ("calm", "vicious", "zzz", "[")]
    rows, matrix, mean, scale = embeddings.inputs(contexts)
    dense_weights = rng.normal(size=(4, 4))
    table, offset = embeddings.piece_scores(dense_weights, mean, scale)
    assert "[PAD]" not in table and "[UNK]" in table and "[" in table
    pieces = PieceScores(table, offset)
    for context, row in zip(contexts, rows, strict=True):
        for position, word in enumerate(context):
            expected = matrix[row[position]] @ dense_weights[position]
            assert pieces.of(word, position) == pytest.approx(expected, abs=1e-3)


def test_dense_inputs_are_fitted_beside_the_sparse_features():
    # One feature for all; what tells the targets apart is the word's vector alone.
    feats = [["f"]] * 400
    labels = [0.9] * 200 + [0.1] * 200
    rows = np.array([[1, 0, 0]] * 200 + [[2, 0, 0]] * 200)
    matrix = np.array([[0.0], [1.0], [-1.0]])
    bias, weights, dense_weights = fit(
        feats, labels, 1, 0.0, 600, 0.0, dense=(rows, matrix), dense_l2=0.0
    )
    z = bias + weights.get("f", 0.0)
    assert 1 / (1 + math.exp(-(z + dense_weights[0][0]))) == pytest.approx(0.9, abs=0.03)
    assert 1 / (1 + math.exp(-(z - dense_weights[0][0]))) == pytest.approx(0.1, abs=0.03)


def test_window_positions_share_one_weight_applied_to_their_mean():
    # Two window words per example; only their mean tells the targets apart.
    feats = [["f"]] * 400
    labels = [0.9] * 200 + [0.1] * 200
    rows = np.array([[0, 0, 0, 1, 1]] * 200 + [[0, 0, 0, 1, 2]] * 200)
    matrix = np.array([[0.0], [1.0], [-1.0]])
    bias, weights, dense_weights = fit(
        feats, labels, 1, 0.0, 2000, 0.0, dense=(rows, matrix), dense_l2=0.0
    )
    assert dense_weights.shape == (4, 1)
    z = bias + weights.get("f", 0.0)
    assert 1 / (1 + math.exp(-(z + dense_weights[3][0]))) == pytest.approx(0.9, abs=0.03)
    assert 1 / (1 + math.exp(-z)) == pytest.approx(0.1, abs=0.03)
