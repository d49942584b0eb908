"""Outlet-credibility notes (first version: the page's own domain only; see issue 5)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from server.pipeline.document import Document
from server.pipeline.types import OutletNote

UNRATED = "Not rated by the open sources we use. This is not a verdict on the outlet."


@dataclass(slots=True)
class CitedMention:
    """An outlet named in the text; ``role`` is ``cited`` or ``credit``."""

    start: int
    end: int
    text: str
    domain: str
    name: str
    role: str


def find_mentions(doc: Document) -> list[CitedMention]:
    """Outlets the text names, computed once per document (the quote analyzer reuses them)."""
    return doc.memo.setdefault("outlet_mentions", [])


def lookup(domain_or_url: str, role: str = "page") -> OutletNote:
    """The note for one outlet, given a bare domain or any URL on it."""
    value = domain_or_url if "//" in domain_or_url else "//" + domain_or_url
    host = (urlsplit(value).hostname or "").removeprefix("www.")
    return OutletNote(domain=host, name=host, role=role, note=UNRATED)


class OutletAnalyzer:
    name = "outlets"
    version = "0"

    def analyze(self, doc: Document) -> list[OutletNote]:
        find_mentions(doc)
        return [lookup(doc.url)] if doc.url else []
