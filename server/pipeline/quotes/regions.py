"""Quoted regions: where the text gives someone else's words, for every analyzer that asks.

The quotations by their marks (see ``marks``), plus block quotes whose page dropped the marks
its styling stood for: a paragraph after an attributed colon line ('According to Jack
Kelly:'). The opinion analyzer reads these to tell the writer's voice from a quoted one.
"""

from __future__ import annotations

import re

from server.pipeline.document import Document
from server.pipeline.quotes.cues import cue_lexicon
from server.pipeline.quotes.data import threshold
from server.pipeline.quotes.marks import ALL_MARKS, scan_quotations
from server.pipeline.quotes.sentences import plain_tokens, split_sentences
from server.pipeline.quotes.sources import colon_intro
from server.pipeline.quotes.types import Quotation, SpanIndex

MIN_QUOTE_WORDS: int = threshold("min_quote_words")


def quotations(doc: Document) -> list[Quotation]:
    """Quotations by their marks, plus unmarked block quotes introduced by 'X wrote:'."""
    if "quotations" not in doc.memo:
        found = scan_quotations(doc.text, doc.paragraphs)
        found.extend(_unmarked_blocks(doc, found))
        found.sort(key=lambda q: q.start)
        doc.memo["quotations"] = found
    return doc.memo["quotations"]


def _unmarked_blocks(doc: Document, marked: list[Quotation]) -> list[Quotation]:
    """A paragraph after an attributed colon line ('According to Jack Kelly:') is quoted text
    even when the page dropped the marks its block-quote styling stood for."""
    text = doc.text
    blocks = []
    lexicon = cue_lexicon()
    for index in range(len(doc.paragraphs) - 1):
        p_start, p_end = doc.paragraphs[index]
        if not text[p_start:p_end].rstrip().endswith(":"):
            continue
        n_start, n_end = doc.paragraphs[index + 1]
        if text[n_start] in ALL_MARKS or any(
            q.outer_start < n_end and n_start < q.outer_end and q.double for q in marked
        ):
            continue
        sentences = split_sentences(text, p_start, p_end, [])
        tokens = plain_tokens(text, *sentences[-1])
        if len(re.findall(r"\w+", text[n_start:n_end])) >= MIN_QUOTE_WORDS and colon_intro(
            text, tokens, lexicon, named_subject=False
        ):
            blocks.append(Quotation([(n_start, n_end)], None, None))
    return blocks


def quoted_regions(doc: Document) -> list[tuple[int, int]]:
    """Spans of quoted material (inside quotation marks, block quotes): the speaker's words."""
    if "quoted_regions" not in doc.memo:
        regions = [piece for q in quotations(doc) for piece in q.pieces]
        doc.memo["quoted_regions"] = sorted(set(regions))
    return doc.memo["quoted_regions"]


def inside_quoted_region(doc: Document, start: int, end: int) -> bool:
    if "quoted_region_spans" not in doc.memo:
        doc.memo["quoted_region_spans"] = SpanIndex(sorted(quoted_regions(doc)), lambda r: r)
    regions = doc.memo["quoted_region_spans"].overlapping(start, end)
    return any(a <= start and end <= b for a, b in regions)
