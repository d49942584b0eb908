"""Coreference: whom a pronoun or a bare role ("the senator") stands for.

The speakers of the statements kept so far are the candidates, latest first; what the article
says of a person's gender (the mention's own words, or an honorific for the surname anywhere)
keeps "she" from passing to a man.
"""

from __future__ import annotations

import re

from server.pipeline.document import Document
from server.pipeline.quotes.data import word_list
from server.pipeline.quotes.sentences import PRONOUNS
from server.pipeline.types import Speaker, SpeakerType

_FEMALE_WORDS = word_list("female_words")


_MALE_WORDS = word_list("male_words")


_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+((?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’-]+)")


_PRONOUN_GENDER = {"she": "f", "her": "f", "he": "m", "him": "m"}


def _gender_of_words(words: list[str]) -> str | None:
    lower = {w.lower().strip(",.") for w in words}
    female, male = bool(lower & _FEMALE_WORDS), bool(lower & _MALE_WORDS)
    return "f" if female and not male else "m" if male and not female else None


def speaker_gender(doc: Document, speaker: Speaker) -> str | None:
    """ "f", "m" or None: what the speaker's mention says ("the spokeswoman", "Ms. Gil"), or
    else the honorific the article gives the surname anywhere ("Mr. Smith")."""
    gender = _gender_of_words(speaker.mention.split())
    name = speaker.name.split()
    if gender is None and name:
        gender = _honorific_genders(doc).get(name[-1])
    return gender


def _honorific_genders(doc: Document) -> dict[str, str | None]:
    """Surname -> the gender its honorifics give it (None where they disagree)."""
    if "quote_genders" not in doc.memo:
        genders: dict[str, str | None] = {}
        for match in _HONORIFIC.finditer(doc.text):
            surname = match.group(2).split()[-1]
            gender = "m" if match.group(1) == "Mr" else "f"
            genders[surname] = gender if genders.get(surname, gender) == gender else None
        doc.memo["quote_genders"] = genders
    return doc.memo["quote_genders"]


class SpeakerHistory:
    """The speakers of the statements kept so far, as a pronoun or "the senator" looks back at
    them: the named persons in order, with what the article says of their gender, and the
    latest person by each word of their mention."""

    def __init__(self) -> None:
        self.named: list[tuple[Speaker, str | None]] = []
        self.person_by_word: dict[str, Speaker] = {}

    def add(self, speaker: Speaker, gender: str | None = None) -> None:
        if speaker.type != SpeakerType.PERSON:
            return
        if speaker.name.lower() not in PRONOUNS:
            self.named.append((speaker, gender))
        for word in speaker.mention.lower().split():
            self.person_by_word[word] = speaker

    def latest(self, pronoun: str) -> Speaker | None:
        """The latest named person the pronoun can stand for: "she" passes over a man."""
        wanted = _PRONOUN_GENDER.get(pronoun)
        for speaker, gender in reversed(self.named):
            if wanted is None or gender in (None, wanted):
                return speaker
        return None

    def by_role(self, mention: str) -> Speaker | None:
        """The latest person a bare role names: "the senator", "the Democratic congressman"."""
        lower = mention.lower()
        if not lower.startswith("the ") or any(w[:1].isupper() for w in mention.split()[1:]):
            return None
        return self.person_by_word.get(lower.split()[-1])
