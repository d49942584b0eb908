"""Relays: the outlets in a statement, from the outlet analyzer's mentions.

A speaker phrase may be an outlet ("the Wall Street Journal reported"); a statement may come
through one ("told the Washington Post", "..., according to Reuters"), which is its ``via``.
"""

from __future__ import annotations

import re

from server.pipeline.document import Document
from server.pipeline.outlets import CitedMention, find_mentions
from server.pipeline.quotes.types import Attribution, SpanIndex
from server.pipeline.types import Speaker


def _mention_spans(doc: Document) -> SpanIndex[CitedMention]:
    if "outlet_mention_spans" not in doc.memo:
        doc.memo["outlet_mention_spans"] = SpanIndex(find_mentions(doc), lambda m: (m.start, m.end))
    return doc.memo["outlet_mention_spans"]


def outlet_at(doc: Document, start: int, end: int) -> CitedMention | None:
    found = _mention_spans(doc).overlapping(start, end)
    return found[0] if found else None


def via_outlet(doc: Document, attribution: Attribution, speaker: Speaker | None) -> str | None:
    """The outlet whose reporting the statement came through, if the text names one."""
    if speaker is not None:
        for mention in _mention_spans(doc).overlapping(speaker.start, speaker.end):
            if mention.role != "page":
                return mention.domain
    if attribution.cue is not None:
        # "told the Washington Post", "reported by the Journal": near the cue, outside content
        c_start, c_end = attribution.cue
        for mention in _mention_spans(doc).starting(c_start - 80, c_end + 80):
            inside = any(s <= mention.start < e for s, e in attribution.content)
            if mention.role != "page" and not inside:
                between = doc.text[min(c_end, mention.end) : max(c_start, mention.start)]
                if not re.search(r"[.!?\n]", between):
                    return mention.domain
    if attribution.content:
        # "Officials said the plan is failing, according to Reuters": the relay closes the
        # sentence, often inside what was taken as the content.
        first = min(s for s, _ in attribution.content)
        last = max(e for _, e in attribution.content)
        for mention in _mention_spans(doc).starting(first, last + 40):
            if mention.role == "page":
                continue
            before = doc.text[max(0, mention.start - 20) : mention.start]
            between = doc.text[last : mention.start] if mention.start > last else ""
            if _RELAYED_BY.search(before) and not re.search(r"[.!?\n]", between):
                return mention.domain
    return None


_RELAYED_BY = re.compile(r"(?i)\b(?:according to|as reported by|reported by)\s+(?:the\s+)?$")
