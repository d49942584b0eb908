"""Outlet-credibility notes for the page's own outlet and every outlet the text names.

The stages, each its own module: ``tables`` (the shipped rating data, loaded once), ``sites``
(a domain or URL reduced to the keys ratings are stored under), ``bands`` (the rule that sets
the band), ``notes`` (one outlet's verdicts and explanation) and ``mentions`` (outlets named
in the text). Every source's verdict is shown side by side; the band follows one fixed rule
(``bands.decide``) so disagreements are shown, not averaged away.
"""

from __future__ import annotations

from dataclasses import replace

from server.pipeline.document import Document
from server.pipeline.outlets.mentions import CitedMention, find_mentions
from server.pipeline.outlets.notes import UNRATED, lookup, note_for
from server.pipeline.outlets.sites import SiteKey, cited_site, safe_site, site_key
from server.pipeline.outlets.tables import DATA_PATH, tables
from server.pipeline.types import Mention, OutletNote

__all__ = [
    "DATA_PATH",
    "UNRATED",
    "CitedMention",
    "OutletAnalyzer",
    "SiteKey",
    "find_mentions",
    "lookup",
    "site_key",
    "tables",
]


class OutletAnalyzer:
    name = "outlets"
    version = "3"

    def analyze(self, doc: Document) -> list[OutletNote]:
        """A note for the page's outlet, then one per outlet the text names."""
        page = safe_site(doc.url)
        notes: dict[str, OutletNote] = {}
        if page:
            notes[page.site] = replace(note_for(page, "page"), mentions=[])
        grouped: dict[str, list[CitedMention]] = {}
        for mention in find_mentions(doc):
            grouped.setdefault(mention.site, []).append(mention)
        for site, mentions in grouped.items():
            spans = [Mention(m.start, m.end, m.text) for m in mentions]
            if page and (site == page.site or mentions[0].domain == page.domain):
                notes[page.site].mentions.extend(spans)  # the page naming itself
                continue
            role = "cited" if any(m.role == "cited" for m in mentions) else "credit"
            # the name the mentions carry: the data's, or for a paper it lacks, the text's
            note = note_for(cited_site(site), role, mentions[0].name)
            note = replace(note, mentions=spans)
            notes[site] = note
        return list(notes.values())
