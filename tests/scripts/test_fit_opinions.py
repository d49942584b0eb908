"""The opinion tagger's fitting script: how a teacher's word-piece labels become word targets."""

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from fit_opinions import fit, word_targets

from server.pipeline.document import Document
from server.pipeline.opinions import words_of


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
    bias, weights = fit(feats, labels, min_count=1, l2=0.0, epochs=300, min_weight=0.0)
    assert 1 / (1 + math.exp(-(bias + weights["f"]))) == pytest.approx(0.8, abs=0.02)
    assert 1 / (1 + math.exp(-(bias + weights["g"]))) == pytest.approx(0.1, abs=0.02)
