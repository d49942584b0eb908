"""Opinion phrases in the author's voice (first version: a tiny lexicon; see issue 4)."""

from __future__ import annotations

import re

from server.pipeline.document import Document
from server.pipeline.quotes import quoted_regions
from server.pipeline.types import Opinion

_LEXICON = {
    "appears to be": ("hedge", "'appears to be' presents a guess as an observation"),
    "likely": ("speculation", "'likely' presents a possibility as the expected outcome"),
    "could face": ("speculation", "'could' presents a possibility as the likely outcome"),
}
_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, _LEXICON)) + r")\b", re.IGNORECASE)


class OpinionAnalyzer:
    name = "opinions"
    version = "0"

    def analyze(self, doc: Document) -> list[Opinion]:
        quoted = quoted_regions(doc)
        found = []
        for match in _PATTERN.finditer(doc.text):
            category, reason = _LEXICON[match.group(1).lower()]
            inside = any(s <= match.start() and match.end() <= e for s, e in quoted)
            voice = "quoted" if inside else "author"
            found.append(Opinion(*match.span(), match.group(0), category, voice, 0.5, reason))
        return found
