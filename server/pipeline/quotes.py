"""Attributed quotes (first version: quotation-mark spans only; see issue 3)."""

from __future__ import annotations

import re

from server.pipeline.document import Document
from server.pipeline.types import Quote

_QUOTED = re.compile(r"[\"“«]([^\"“”«»]{2,}?)[\"”»]")


def quoted_regions(doc: Document) -> list[tuple[int, int]]:
    """Spans of text inside quotation marks (the speaker's words, not the author's)."""
    if "quoted_regions" not in doc.memo:
        doc.memo["quoted_regions"] = [m.span(1) for m in _QUOTED.finditer(doc.text)]
    return doc.memo["quoted_regions"]


class QuoteAnalyzer:
    name = "quotes"
    version = "0"

    def analyze(self, doc: Document) -> list[Quote]:
        return [
            Quote(start, end, doc.text[start:end], "direct", None, None)
            for start, end in quoted_regions(doc)
            if len(doc.text[start:end].split()) >= 4
        ]
