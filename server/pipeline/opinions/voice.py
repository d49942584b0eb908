"""Whose words a phrase is: the writer's, a quoted speaker's, or a view the writer reports.

A reader asks for the writer's judgment. Words inside quotation marks belong to the speaker;
words of reported speech and attributed views ("analysts said the tactics were brutal",
"critics call it a giveaway") are someone else's too, though no quotation mark shows it, and
so are the lines of an interview transcript. The quote analyzer already finds the first two,
so its quotes decide.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from server.pipeline.document import Document
from server.pipeline.quotes import QuoteAnalyzer
from server.pipeline.quotes.regions import quoted_regions
from server.pipeline.types import Quote

AUTHOR, QUOTED, REPORTED = "author", "quoted", "reported"
VOICES = (AUTHOR, QUOTED, REPORTED)


def found_quotes(doc: Document) -> list[Quote]:
    """The pipeline's quotes when it ran the quote analyzer first; otherwise found here."""
    quotes = doc.memo.get("found:quotes")
    if quotes is None:
        quotes = doc.memo["found:quotes"] = QuoteAnalyzer().analyze(doc)
    return quotes


_INTERVIEW_LINE = re.compile(r"(?:Q|A)\s?[:.]\s")


def interview_lines(doc: Document) -> list[tuple[int, int]]:
    """Lines of an interview transcript ("Q: ...", "A: ..."): the speakers' words, unquoted."""
    return [(s, e) for s, e in doc.paragraphs if _INTERVIEW_LINE.match(doc.text, s)]


class Voices:
    """The voice at any offset of a text: quoted and reported stretches, flattened once into
    disjoint segments (quoted words inside a reported statement stay the speaker's own), then
    found by bisection."""

    def __init__(self, doc: Document) -> None:
        events: list[tuple[int, int, str]] = []  # (offset, +1 opens / -1 closes, voice)
        for start, end in quoted_regions(doc) + interview_lines(doc):
            events += [(start, 1, QUOTED), (end, -1, QUOTED)]
        for quote in found_quotes(doc):
            if quote.kind != "direct":
                for start, end in quote.fragments or [(quote.start, quote.end)]:
                    events += [(start, 1, REPORTED), (end, -1, REPORTED)]
        self.starts: list[int] = []
        self.voices: list[str] = []
        open_count = {QUOTED: 0, REPORTED: 0}
        for offset, step, voice in sorted(events):
            open_count[voice] += step
            current = QUOTED if open_count[QUOTED] else REPORTED if open_count[REPORTED] else AUTHOR
            if self.starts and self.starts[-1] == offset:
                self.voices[-1] = current
            elif not self.voices or self.voices[-1] != current:
                self.starts.append(offset)
                self.voices.append(current)

    def at(self, offset: int) -> str:
        k = bisect_right(self.starts, offset)
        return self.voices[k - 1] if k else AUTHOR

    def of(self, start: int, end: int) -> str:
        """The voice of a phrase: that of its middle."""
        return self.at((start + end) // 2)
