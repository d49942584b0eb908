"""The shared Document runs each expensive spaCy step only where, and only as often as, needed.

The recorder wraps the loaded model's own components, so it sees every way of running them
(``nlp.run``, ``Language.__call__``, ``Language.pipe``), not only the route we expect.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from spacy.tokens import Doc

from server.pipeline import nlp
from server.pipeline.document import Document, TimeBudgetExceeded
from server.pipeline.opinions import OpinionAnalyzer
from server.pipeline.quotes import QuoteAnalyzer

SEED_URL = "https://spencerfernando.com/"


class _Recording:
    """A pipeline component that notes its name each time it processes a document."""

    def __init__(self, name: str, component: Any, ran: list[str]) -> None:
        self.name, self.component, self.ran = name, component, ran

    def __call__(self, doc: Doc, **kwargs: Any) -> Doc:
        self.ran.append(self.name)
        return self.component(doc, **kwargs)

    def pipe(self, docs: Iterable[Doc], **kwargs: Any) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@pytest.fixture
def components_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the model's components, in the order they processed documents."""
    language = nlp.load()
    ran: list[str] = []
    recording = [(name, _Recording(name, part, ran)) for name, part in language._components]
    monkeypatch.setattr(language, "_components", recording)
    return ran


def test_the_recorder_sees_the_parser_when_an_analyzer_asks_for_it(components_run):
    doc = Document("The minister said the plan would fail. Critics disagreed.")

    parsed = doc.analyze(0, len(doc.text))

    assert "parser" in components_run
    assert parsed.has_annotation("DEP")


def test_a_span_is_parsed_once_however_often_it_is_asked_for(components_run):
    doc = Document("First paragraph here.\n\nSecond paragraph, which two analyzers want.")
    start, end = doc.paragraphs[1]

    first = doc.analyze(start, end)
    again = doc.analyze(start, end)

    assert again is first
    assert components_run.count("parser") == 1
    assert first.text == doc.text[start:end]


def test_an_outlets_request_never_runs_the_parser(client, seed_text, components_run):
    response = client.post(
        "/v1/annotate", json={"text": seed_text, "url": SEED_URL, "features": ["outlets"]}
    )

    assert response.status_code == 200
    body = response.get_json()
    assert body["outlets"], "the seed article names outlets; an empty result proves nothing"
    assert body["quotes"] == [] and body["opinions"] == []
    assert "parser" not in components_run
    assert "tagger" not in components_run


@pytest.mark.parametrize("analyzer", [QuoteAnalyzer(), OpinionAnalyzer()], ids=lambda a: a.name)
def test_an_analyzer_stops_at_the_deadline_between_units_of_work(analyzer):
    doc = Document("“It is a disaster,” she said. It appears to be over.", deadline=0.0)

    with pytest.raises(TimeBudgetExceeded):
        analyzer.analyze(doc)
