"""The annotation pipeline: one shared ``Document``, three analyzers, one result.

Each analyzer is a module with one class behind the ``Analyzer`` interface (a document in,
a list of spans out). They run in a fixed order because later ones read what earlier ones
found through the document's memo: quotes link to the outlets they came through, and opinion
phrases inside quotes belong to the quoted speaker.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any, Protocol

from server.pipeline.document import Document
from server.pipeline.offsets import to_utf16
from server.pipeline.opinions import OpinionAnalyzer
from server.pipeline.outlets import OutletAnalyzer
from server.pipeline.quotes import QuoteAnalyzer

FEATURES = ("opinions", "quotes", "outlets")
OFFSET_UNITS = ("codepoint", "utf16")
_WORD = re.compile(r"\w+")


class Analyzer(Protocol):
    name: str
    version: str

    def analyze(self, doc: Document) -> list[Any]: ...


# Run order, not display order: see the module docstring.
ANALYZERS: tuple[Analyzer, ...] = (OutletAnalyzer(), QuoteAnalyzer(), OpinionAnalyzer())

PIPELINE_VERSION = "1+" + "+".join(f"{a.name}-{a.version}" for a in ANALYZERS)


def annotate(
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    features: tuple[str, ...] = FEATURES,
    offset_unit: str = "codepoint",
    deadline: float | None = None,
) -> dict[str, Any]:
    """Annotate one text; the returned dict is the API's response body (without ``cached``).

    ``deadline`` (a ``time.monotonic()`` value) bounds the work: past it, ``TimeBudgetExceeded``.
    """
    text = without_lone_surrogates(text)
    doc = Document(text, url=url, title=title, deadline=deadline)
    found: dict[str, list[dict[str, Any]]] = {}
    for analyzer in ANALYZERS:
        if analyzer.name in features:
            doc.check_deadline()
            spans = sorted(analyzer.analyze(doc), key=_sort_key)
            doc.memo[f"found:{analyzer.name}"] = spans  # later analyzers read earlier ones'
            doc.check_deadline()  # before converting thousands of spans
            found[analyzer.name] = [asdict(span) for span in spans]
    body: dict[str, Any] = {
        "version": PIPELINE_VERSION,
        "lang": "en",
        "offset_unit": offset_unit,
        "summary": summarize(text, found),
    }
    for name in FEATURES:
        body[name] = found.get(name, [])
    if offset_unit == "utf16":
        to_utf16(body, text)
    return body


def without_lone_surrogates(value: str) -> str:
    """Unpaired surrogates (JSON can carry "\\ud800") cannot be encoded, and spaCy needs to;
    they become U+FFFD, one code point and one UTF-16 unit like them, so no offset moves."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def summarize(text: str, found: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    words = len(_WORD.findall(text))
    quotes = found.get("quotes", [])
    speaker_types = [(q["speaker"] or {}).get("type", "unknown") for q in quotes]
    anonymous = speaker_types.count("anonymous")
    unattributed = speaker_types.count("unknown")
    author_opinions = [o for o in found.get("opinions", []) if o["voice"] == "author"]
    return {
        "words": words,
        "quotes": {
            "total": len(quotes),
            "named": len(quotes) - anonymous - unattributed,
            "anonymous": anonymous,
            "unattributed": unattributed,
        },
        "opinions_per_100_words": round(100 * len(author_opinions) / words, 2) if words else 0.0,
        "outlets_cited": sum(1 for o in found.get("outlets", []) if o["role"] == "cited"),
    }


def _sort_key(span: Any) -> tuple[int, int]:
    start = getattr(span, "start", None)
    if start is None:  # outlet notes sort by their first mention; the page's own comes first
        mentions = getattr(span, "mentions", [])
        start = mentions[0].start if mentions else -1
    return (start, getattr(span, "end", 0) or 0)
