"""Speaker resolution: a speaker phrase typed and named as fully as the article names it.

"Sen. Warren" becomes Elizabeth Warren, "he" the latest man who spoke, "the AP, which first
reported" the AP, "the BBC's North America editor Jon Sopel" Jon Sopel (through the BBC).
"""

from __future__ import annotations

import re

from server.pipeline.document import Document
from server.pipeline.outlets import CitedMention
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
from server.pipeline.quotes.types import CharSpan
from server.pipeline.quotes.vocabulary import SENTENCE_ADVERBS
from server.pipeline.types import Speaker, SpeakerType

# What a bare role ("the senator") may have been typed as before it finds its person.
_ROLE_TYPES = frozenset({SpeakerType.UNKNOWN, SpeakerType.ANONYMOUS, SpeakerType.PERSON})


def resolve_speaker(doc: Document, span: CharSpan, history: SpeakerHistory) -> Speaker:
    """Type the speaker phrase and name it as fully as the article does."""
    start, end = span
    adverb = re.match(r"(\w+)\s*,\s*", doc.text[start:end])
    if adverb and adverb.group(1).lower() in SENTENCE_ADVERBS:
        start += adverb.end()  # "Separately, the department said": the department
    outlet = _outlet_named(doc, start, end)
    if outlet is not None and _only_outlet(doc.text, start, end, outlet):
        start, end = outlet.start, outlet.end  # "the Wall Street Journal": the outlet's name
    mention = doc.text[start:end]
    staff = staff_name(doc.text[outlet.end : end]) if outlet is not None else None
    if staff is not None:  # "the BBC's North America editor Jon Sopel": he, through the BBC
        return Speaker(full_name(doc, staff), mention, start, end, SpeakerType.PERSON)
    kind = _mention_type(doc, mention, outlet)
    lower = mention.lower()
    if outlet is not None:
        name = outlet.name
    elif lower in {"who", "which"}:
        name, kind = _relative_antecedent(doc, start) or (mention, kind)
    elif lower in {"he", "she", "i"}:
        name, kind = _personal_antecedent(doc, start, end, history), SpeakerType.PERSON
    elif lower in PRONOUNS:
        name = mention
    elif kind == SpeakerType.PERSON:
        name = _person_name(doc, mention)
    else:
        name = before_aside(mention)
    antecedent = history.by_role(mention)
    if antecedent is not None and kind in _ROLE_TYPES:
        name, kind = antecedent.name, SpeakerType.PERSON
    return Speaker(name=name, mention=mention, start=start, end=end, type=kind)


def _outlet_named(doc: Document, start: int, end: int) -> CitedMention | None:
    """The outlet the phrase names, unless its name is a person's ("Vicente Fox")."""
    outlet = outlet_at(doc, start, end)
    if outlet is not None and re.search(r"[A-Z][\w.'’-]*\s+$", doc.text[start : outlet.start]):
        return None  # "Vicente Fox", "Mr. Fox", "Rep. Randy Forbes": a person's name
    return outlet


def _only_outlet(text: str, start: int, end: int, outlet: CitedMention) -> bool:
    """Whether the phrase says nothing but the outlet's name (and perhaps "the")."""
    around = re.sub(r"(?i)^\s*the\b", "", text[start : outlet.start]) + text[outlet.end : end]
    return not re.search(r"\w", around)


def _mention_type(doc: Document, mention: str, outlet: CitedMention | None) -> SpeakerType:
    """The mention's type; a lone surname is a person when the article's full name is one."""
    kind = speaker_type(mention, outlet)
    if outlet is None and kind != SpeakerType.PERSON and re.fullmatch(r"[A-Z][\w'’-]+", mention):
        full = name_index(doc).get(mention)  # "Fox" after "Vicente Fox": him, not the network
        if full is not None and speaker_type(full, None) == SpeakerType.PERSON:
            return SpeakerType.PERSON
    return kind


def _relative_antecedent(doc: Document, start: int) -> tuple[str, SpeakerType] | None:
    """Name and type of the noun phrase a relative pronoun hangs on: "the AP, which first
    reported" is the AP's."""
    before = re.split(r"[.;:()\n]|,", doc.text[max(0, start - 120) : start].rstrip(" ,—–"))[-1]
    capitalized = re.search(r"(?:[A-Z][\w.'’-]*\s*)+$", before)
    words = (capitalized.group() if capitalized else before).split()[-6:]
    if not words:
        return None
    name = " ".join(words)
    return name, speaker_type(name, outlet_at(doc, start - len(before), start))


def _personal_antecedent(doc: Document, start: int, end: int, history: SpeakerHistory) -> str:
    """Whom "he", "she" or "I" stands for: the latest named person it fits, else the nearest
    full name the article gave before; "I" in the writer's own sentences is the writer."""
    mention = doc.text[start:end]
    if mention.lower() == "i" and not inside_quoted_region(doc, start, end):
        return mention  # the writer, no one quoted
    antecedent = history.latest(mention.lower())
    if antecedent is not None:
        return antecedent.name
    return names_before(doc, start) or mention  # nobody has spoken yet


def _person_name(doc: Document, mention: str) -> str:
    """A person's full name; "Trump's lawyer" stays the lawyer, of Donald Trump."""
    phrase = before_apposition(mention)
    possessive = POSSESSIVE.fullmatch(phrase)
    if possessive and possessive.group(3).split()[-1][:1].islower():
        # "Trump's lawyer" is not Trump: name the owner in full, keep whose it is
        owner, mark, owned = possessive.groups()
        return full_name(doc, owner) + mark + " " + owned
    if possessive and all(w[:1].isupper() for w in possessive.group(3).split()):
        return full_name(doc, possessive.group(3))  # "Apple's Tim Cook" is Tim Cook
    if any(w[:1].isupper() for w in phrase.split()):
        return full_name(doc, phrase)
    return mention
