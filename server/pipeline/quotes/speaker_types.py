"""Speaker types: whether a speaker phrase names a person, an organization, an outlet, an
unnamed group ("officials", "many Democrats") or nothing the words tell.

The phrase's head decides, read past its asides and appositions: "Clinton campaign spokesman
Brian Fallon" is a person, "a person close to John Smith" anonymous, "the company, which
makes chips" an organization.
"""

from __future__ import annotations

import re

from server.pipeline.outlets import CitedMention
from server.pipeline.quotes.data import word_list
from server.pipeline.quotes.names import before_apposition, name_words, phrase_head, strip_titles
from server.pipeline.quotes.sentences import PRONOUNS
from server.pipeline.quotes.vocabulary import (
    ANONYMOUS_HEADS,
    DETERMINERS,
    NON_PERSON_WORDS,
    ORGANIZATION_WORDS,
    OUTLET_WORDS,
)
from server.pipeline.types import SpeakerType

_SURNAME_OUTLET_WORDS = word_list("surname_outlet_words")


# An aside after a comma or dash describes the speaker without naming it; a relative or
# participle clause describes something else ("Christie, who has campaigned for Trump").
_ASIDE_MARK = r"\s*(?:,|--|[—–])\s*"


_ASIDE = re.compile(_ASIDE_MARK + r"(?=[a-z])")


_CLAUSE_ASIDE = re.compile(
    _ASIDE_MARK + r"(?=(?:who|whom|whose|which|that|including|along|\w+ing|\w+ed)\b)"
)


def before_aside(mention: str, aside: re.Pattern[str] = _ASIDE) -> str:
    """'The company, which makes chips' -> 'The company'; 'Privately, officials' stays."""
    first = aside.split(mention, maxsplit=1)[0]
    return mention if not first or re.fullmatch(r"\w+ly", first) else first


def speaker_type(mention: str, outlet: CitedMention | None) -> SpeakerType:
    if outlet is not None:
        return SpeakerType.OUTLET
    # "Christie, who has campaigned for Trump": what the aside mentions is not the speaker
    words = re.findall(r"[\w'’.-]+", before_aside(mention, _CLAUSE_ASIDE))
    lower = [w.lower() for w in words]
    if not words:
        return SpeakerType.UNKNOWN
    if len(lower) == 1 and lower[0] in PRONOUNS:
        return SpeakerType.PERSON if lower[0] in {"he", "she", "i"} else SpeakerType.UNKNOWN
    if len(lower) > 1 and lower[0] in _QUANTIFIERS:
        # "Many Tunisians", "Some Democrats": a share of people, unnamed
        return SpeakerType.ANONYMOUS
    head_part = [w.lower() for w in phrase_head(words)]
    head = head_part[-1] if head_part else lower[-1]
    named = [w for w in words[1:] if w[:1].isupper()] + (
        [words[0]]
        if words[0][:1].isupper()
        and lower[0] not in DETERMINERS
        and lower[0] not in ANONYMOUS_HEADS
        else []
    )
    apposed = re.findall(r"[\w'’.-]+", before_apposition(mention))
    name = {w.lower() for w in name_words(strip_titles(apposed))}
    # "Fox" is a surname too; a network the text names was typed as an outlet above
    if len(name) >= 2 and not (name - _SURNAME_OUTLET_WORDS) & NON_PERSON_WORDS:
        # "Clinton campaign spokesman Brian Fallon", "Ajmi Lourimi, a member"
        return SpeakerType.PERSON
    if apposed and apposed[0].lower().rstrip(".") in _HONORIFICS:
        return SpeakerType.PERSON  # "Mr. Fox" is no network
    apposed_head = phrase_head(apposed)
    if apposed_head and apposed_head[-1].lower() in _PERSON_HEADS:
        # "The Democratic congressman, who serves on the party's committee"
        return SpeakerType.PERSON
    if head in ANONYMOUS_HEADS:
        return SpeakerType.ANONYMOUS  # "a person close to John Smith", "officials in Washington"
    if any(w in OUTLET_WORDS for w in lower) and named:
        return SpeakerType.OUTLET
    if any(w in ORGANIZATION_WORDS for w in lower):
        return SpeakerType.ORGANIZATION
    head_words = phrase_head(words)
    if set(named) & set(head_words):
        if _common_plural(head_words[-1]):
            # "Islamist politicians", "Trump supporters": nobody is named
            return SpeakerType.ANONYMOUS
        return SpeakerType.PERSON  # not "55 percent of Republican voters": the name is in the head
    return SpeakerType.UNKNOWN


_QUANTIFIERS = word_list("quantifiers")


def _common_plural(word: str) -> bool:
    return word.islower() and word.endswith("s") and not word.endswith("ss") and len(word) > 3


_HONORIFICS = word_list("honorifics")


_PERSON_HEADS = word_list("person_heads")
