"""One submitted text and the linguistic analysis its analyzers share.

Analyzers never run spaCy themselves: they ask the document, which computes each piece once
and only for the stretches of text that need it, and keeps results other analyzers reuse
(``memo``), so a request pays for every expensive step at most once.
"""

from __future__ import annotations

import re
import time
from functools import cached_property
from typing import Any

from spacy.tokens import Doc

from server.pipeline import nlp

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


class TimeBudgetExceeded(Exception):
    """The analysis ran past its deadline; the API answers 503 rather than hold a worker."""


class Document:
    def __init__(
        self,
        text: str,
        url: str | None = None,
        title: str | None = None,
        deadline: float | None = None,
    ) -> None:
        self.text = text
        self.url = url
        self.title = title
        self.deadline = deadline  # time.monotonic() value, or None for no limit
        self.memo: dict[str, Any] = {}
        self._analyzed: dict[tuple[int, int, tuple[str, ...]], Doc] = {}

    @cached_property
    def tokens(self) -> Doc:
        """The whole text, tokenized only (about 11 ms per 1,000 words), within the deadline."""
        return nlp.tokenize(self.text, between=self.check_deadline)

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        """Character spans of the non-blank lines, which news text uses as paragraphs."""
        spans = []
        start = 0
        for match in _PARAGRAPH_BREAK.finditer(self.text):
            if self.text[start : match.start()].strip():
                spans.append(_strip_span(self.text, start, match.start()))
            start = match.end()
        if self.text[start:].strip():
            spans.append(_strip_span(self.text, start, len(self.text)))
        return spans

    def analyze(self, start: int, end: int, components: tuple[str, ...] = nlp.PARSER) -> Doc:
        """Tag/parse ``text[start:end]``; token ``idx`` is relative to ``start``.

        Results are cached per span, so analyzers asking for the same paragraph share one run.
        """
        key = (start, end, components)
        if key not in self._analyzed:
            self.check_deadline()
            self._analyzed[key] = nlp.run(nlp.tokenize(self.text[start:end]), components)
        return self._analyzed[key]

    def check_deadline(self) -> None:
        """Analyzers call this between units of work; raises once the budget is spent."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeBudgetExceeded


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
