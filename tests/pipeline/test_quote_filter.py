"""The statement filter's contract: ``filter.json`` was fitted on the features the code builds.

Feature names are built from internal labels (``shape=passage``); renaming a label leaves its
fitted weight unused and changes confidences while every behaviour test still passes. These
tests fail instead, until ``scripts/fit_quote_filter.py`` refits the filter.
"""

from __future__ import annotations

import pytest

from server.pipeline.document import Document
from server.pipeline.quotes import QuoteAnalyzer, confidence
from server.pipeline.quotes.confidence import admitted, feature_schema, statement_filter
from tests.golden import golden_texts

REFIT = "refit it: python scripts/fit_quote_filter.py PATH/TO/train.jsonl (see server/data/quotes)"


def test_filter_records_the_feature_schema_of_the_code():
    assert statement_filter()["feature_schema"] == feature_schema(), (
        f"filter.json was fitted with other features than the code builds; {REFIT}"
    )


def test_filter_records_the_analyzer_version_it_was_fitted_with():
    assert statement_filter()["analyzer_version"] == QuoteAnalyzer.version, REFIT


def test_every_weighted_feature_can_be_built():
    weights = statement_filter()["weights"]
    assert isinstance(weights, dict) and weights
    unbuildable = [name for name in weights if not admitted(name, feature_schema())]
    assert not unbuildable, f"no code builds these features: {unbuildable[:10]}; {REFIT}"


def test_the_features_built_on_the_golden_texts_are_in_the_schema(monkeypatch):
    built: set[str] = set()
    original = confidence.features

    def recording(*args, **kwargs):
        found = original(*args, **kwargs)
        built.update(found)
        return found

    monkeypatch.setattr(confidence, "features", recording)
    for item in golden_texts():
        QuoteAnalyzer().analyze(Document(item.text, url=item.url, title=item.title))
    assert len(built) > 100
    assert sorted(name for name in built if not admitted(name, feature_schema())) == []


@pytest.mark.parametrize(
    "name",
    ["shape=from_passage", "shape", "bias=1", "kind=quoted", "cue=Said", "speaker_words=4"],
)
def test_names_outside_the_schema_are_refused(name):
    assert not admitted(name, feature_schema())
