"""Speaker resolution: a speaker phrase typed and named as fully as the article names it.

"Sen. Warren" becomes Elizabeth Warren, "he" the latest man who spoke, "the AP, which first
reported" the AP, "the BBC's North America editor Jon Sopel" Jon Sopel (through the BBC).
"""

from __future__ import annotations

import re

from server.pipeline.document import Document
from server.pipeline.quotes.coreference import SpeakerHistory
from server.pipeline.quotes.names import (
    POSSESSIVE,
    before_apposition,
    full_name,
    name_index,
    names_before,
    staff_name,
)
from server.pipeline.quotes.regions import inside_quoted_region
from server.pipeline.quotes.relays import outlet_at
from server.pipeline.quotes.sentences import PRONOUNS
from server.pipeline.quotes.speaker_types import before_aside, speaker_type
from server.pipeline.quotes.vocabulary import SENTENCE_ADVERBS
from server.pipeline.types import Speaker


def resolve_speaker(doc: Document, span: tuple[int, int], history: SpeakerHistory) -> Speaker:
    """Type the speaker phrase and name it as fully as the article does."""
    start, end = span
    adverb = re.match(r"(\w+)\s*,\s*", doc.text[start:end])
    if adverb and adverb.group(1).lower() in SENTENCE_ADVERBS:
        start += adverb.end()  # "Separately, the department said": the department
    outlet = outlet_at(doc, start, end)
    if outlet is not None and re.search(r"[A-Z][\w.'’-]*\s+$", doc.text[start : outlet.start]):
        outlet = None  # "Vicente Fox", "Mr. Fox", "Rep. Randy Forbes": a person's name
    if outlet is not None and not re.search(
        r"\w",
        re.sub(r"(?i)^\s*the\b", "", doc.text[start : outlet.start]) + doc.text[outlet.end : end],
    ):
        start, end = outlet.start, outlet.end  # "the Wall Street Journal": the outlet's name
    mention = doc.text[start:end]
    staff = staff_name(doc.text[outlet.end : end]) if outlet is not None else None
    if staff is not None:  # "the BBC's North America editor Jon Sopel": he, through the BBC
        return Speaker(full_name(doc, staff), mention, start, end, "person")
    kind = speaker_type(mention, outlet)
    if outlet is None and kind != "person" and re.fullmatch(r"[A-Z][\w'’-]+", mention):
        full = name_index(doc).get(mention)  # "Fox" after "Vicente Fox": him, not the network
        if full is not None and speaker_type(full, None) == "person":
            kind = "person"
    name = mention
    lower = mention.lower()
    if outlet is not None:
        name = outlet.name
    elif lower in {"who", "which"}:
        # the noun phrase the relative pronoun hangs on: "the AP, which first reported"
        before = re.split(r"[.;:()\n]|,", doc.text[max(0, start - 120) : start].rstrip(" ,—–"))[-1]
        capitalized = re.search(r"(?:[A-Z][\w.'’-]*\s*)+$", before)
        words = (capitalized.group() if capitalized else before).split()[-6:]
        if words:
            name = " ".join(words)
            kind = speaker_type(name, outlet_at(doc, start - len(before), start))
    elif lower in PRONOUNS:
        antecedent = history.latest(lower)
        if lower in {"he", "she", "i"}:
            kind = "person"
            if lower == "i" and not inside_quoted_region(doc, start, end):
                name = mention  # "I" in the writer's own sentences: the writer, no one quoted
            elif antecedent is not None:
                name = antecedent.name
            else:  # nobody has spoken yet: the nearest full name the article gave before
                earlier = names_before(doc, start)
                if earlier:
                    name = earlier
    elif kind == "person":
        phrase = before_apposition(mention)
        possessive = POSSESSIVE.fullmatch(phrase)
        if possessive and possessive.group(3).split()[-1][:1].islower():
            # "Trump's lawyer" is not Trump: name the owner in full, keep whose it is
            owner, mark, owned = possessive.groups()
            name = full_name(doc, owner) + mark + " " + owned
        elif possessive and all(w[:1].isupper() for w in possessive.group(3).split()):
            name = full_name(doc, possessive.group(3))  # "Apple's Tim Cook" is Tim Cook
        elif any(w[:1].isupper() for w in phrase.split()):
            name = full_name(doc, phrase)
    else:
        name = before_aside(mention)
    if lower.startswith("the ") and not any(w[:1].isupper() for w in mention.split()[1:]):
        # "the senator", "the Democratic congressman": the latest person the role fits
        antecedent = history.person_by_word.get(lower.split()[-1])
        if antecedent is not None and kind in {"unknown", "anonymous", "person"}:
            name, kind = antecedent.name, "person"
    return Speaker(name=name, mention=mention, start=start, end=end, type=kind)
