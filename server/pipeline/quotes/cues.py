"""Cues: the words that say someone said (wrote, believes, found) something.

A lexicon fitted on PolNeAR train (``server/data/quotes/cues.json``) gives each cue word its
type and how reliably it signalled an attribution there; a few shapes make any verb a cue
('X insists that ...', '"...," Vitter demanded.').
"""

from __future__ import annotations

import json
from functools import cache

from server.pipeline.quotes.data import DATA_DIR, threshold, word_list
from server.pipeline.quotes.marks import ALL_MARKS
from server.pipeline.quotes.types import CueMatch, Token
from server.pipeline.quotes.vocabulary import CUE_MODIFIERS, DETERMINERS, GROUP_HEADS, SUBJECTS
from server.pipeline.types import CueType

CUE_PRECISION: float = threshold("cue_precision")


STANCE_PRECISION: float = threshold("stance_precision")


STANCE_TYPES = frozenset({CueType.BELIEF, CueType.INTENTION, CueType.EVIDENCE})


@cache
def cue_precision() -> dict[str, float]:
    """How reliable each cue word was in train; unquoted (indirect) content needs more."""
    with open(DATA_DIR / "cues.json", encoding="utf8") as handle:
        return {word: entry["precision"] for word, entry in json.load(handle).items()}


@cache
def object_cues() -> frozenset[str]:
    """Cues whose content is their object ('endorsed Ryan'), per train (see the fit script)."""
    with open(DATA_DIR / "cues.json", encoding="utf8") as handle:
        return frozenset(word for word, entry in json.load(handle).items() if entry.get("object"))


@cache
def lexicon_words() -> frozenset[str]:
    return frozenset(cue_lexicon())


@cache
def cue_lexicon() -> dict[str, CueType]:
    """Cue word (lowercase) -> cue type, for the words reliable enough to trigger on."""
    with open(DATA_DIR / "cues.json", encoding="utf8") as handle:
        fitted = json.load(handle)
    return {
        word: CueType(entry["type"])
        for word, entry in fitted.items()
        if word not in CUE_MODIFIERS
        and entry["precision"]
        >= (STANCE_PRECISION if entry["type"] in STANCE_TYPES else CUE_PRECISION)
    }


def find_cues(tokens: list[Token], lexicon: dict[str, CueType]) -> list[CueMatch]:
    """The sentence's cues, in order."""
    cues = []
    words = [t for t in tokens if t.quote is None and t.text[:1].isalpha()]
    title_case = sum(t.text[:1].isupper() for t in words) > 0.6 * max(len(words), 1)
    for i, token in enumerate(tokens):
        if token.quote is not None:
            continue
        if (
            i > 0
            and token.text[:1].isupper()
            and tokens[i - 1].text[:1].isupper()
            and not title_case
        ):
            continue  # part of a name: "The Laura Ingraham Show"
        word = token.lower
        if word == "according":
            if i + 1 < len(tokens) and tokens[i + 1].lower == "to":
                cues.append(CueMatch(i, i + 2, CueType.SPEECH))
            continue
        if word in {"put", "puts"} and i + 1 < len(tokens) and tokens[i + 1].lower == "it":
            cues.append(CueMatch(i, i + 2, CueType.SPEECH))  # "as John Cornyn put it: ..."
            continue
        if i > 0 and tokens[i - 1].lower in _NOUN_MARKERS:
            continue  # "the TV show", "his claims": a noun, not a verb of saying
        cue_type = lexicon.get(word)
        if cue_type is None:
            if _verb_before_that(tokens, i):
                cues.append(CueMatch(i, i + 1, CueType.SPEECH))  # "X insists that ...": any verb
            elif _verb_after_quote(tokens, i):  # '"...," Vitter demanded.'
                back = i + 1 < len(tokens) and tokens[i + 1].lower == "back"
                cues.append(CueMatch(i, i + 2 if back else i + 1, CueType.SPEECH))
            continue
        if word.startswith("call") and i + 1 < len(tokens) and tokens[i + 1].lower in {"for", "on"}:
            cues.append(CueMatch(i, i + 2, CueType.INTENTION))
            continue
        if i + 1 < len(tokens) and tokens[i + 1].lower == "out":
            cues.append(CueMatch(i, i + 2, cue_type))  # "pointed out", "spoke out", "lashed out"
            continue
        if (
            word in _ASPECT_VERBS
            and i + 2 < len(tokens)
            and tokens[i + 1].lower == "to"
            and tokens[i + 2].lower not in cue_precision()
        ):
            continue  # "continued to commit abuses" reports deeds; "continued to attack" speech
        cues.append(CueMatch(i, i + 1, cue_type))
    return _with_light_verbs(tokens, cues)


def _with_light_verbs(tokens: list[Token], cues: list[CueMatch]) -> list[CueMatch]:
    """'Democrats raised concerns that ...': the verb belongs to the cue, not to the speaker."""
    joined: list[CueMatch] = []
    for cue in cues:
        if cue.first > 0 and tokens[cue.first - 1].lower in _LIGHT_VERBS:
            if joined and joined[-1].first == cue.first - 1:
                joined.pop()
            cue = CueMatch(cue.first - 1, cue.stop, cue.type)
        joined.append(cue)
    return joined


_ASPECT_VERBS = word_list("aspect_verbs")


_LIGHT_VERBS = word_list("light_verbs")


_NOUN_MARKERS = word_list("noun_markers")


_NOT_VERBS = word_list("not_verbs")


_IRREGULAR_TRAILERS = word_list("irregular_trailers")


def _verb_before_that(tokens: list[Token], i: int) -> bool:
    """A lowercase word in -s or -ed right before 'that': likely a verb taking a clause; so is
    a plain word after a plural subject ("Prosecutors allege that", "they contend that")."""
    if i + 1 >= len(tokens) or tokens[i + 1].lower != "that" or i == 0:
        return False
    word = tokens[i].text
    if not (word.isalpha() and word.islower() and len(word) >= 4 and word not in _NOT_VERBS):
        return False
    if i >= 2 and tokens[i - 2].lower == "to" and tokens[i - 1].text.isalpha():
        return False  # "to create websites that": the object of an infinitive
    if word.endswith("ed") or (word.endswith("s") and not word.endswith("ss")):
        return True
    if word.endswith("ing") or word in _NOT_PRESENT_VERBS:
        return False
    subject = tokens[i - 1].lower
    if subject in _PLURAL_PRONOUNS:
        return True
    # the plural noun heads a subject, not a compound ("a veterans group that")
    before = tokens[i - 2] if i >= 2 else None
    opens = before is None or not before.text[:1].isalnum()
    if tokens[i - 1].text[:1].isupper() and not opens and subject not in GROUP_HEADS:
        return False  # "Texas legislation that", "Does Bernie Sanders represent that"
    return (
        subject.isalpha()
        and subject.endswith("s")
        and not subject.endswith(("ss", "us", "is", "as"))
        and subject not in _NOT_VERBS
        and (opens or before.text[:1].isupper() or before.lower in _PLURAL_DETERMINERS)
    )


_PLURAL_PRONOUNS = word_list("plural_pronouns")


_PLURAL_DETERMINERS = word_list("plural_determiners")


_NOT_PRESENT_VERBS = word_list("not_present_verbs")


def _verb_after_quote(tokens: list[Token], i: int) -> bool:
    """A verb ending a '"...," Name verbed.' trailer: its speaker said the quote.

    Only the shape counts (quotation with its own comma or question mark, a short capitalized
    or determined phrase, the verb, then the sentence's end), so rare verbs ("retaliated",
    "demanded", "answers", "shot back") and ambiguous ones ('"...," the sign read') attribute
    their quotation as "said" would.
    """
    word = tokens[i].text
    ends = i + 1
    if ends < len(tokens) and tokens[ends].lower == "back":
        ends += 1  # "shot back", "fired back"
    elif not (
        word.endswith("ed")
        or (word.endswith("s") and not word.endswith("ss"))
        or word in _IRREGULAR_TRAILERS  # "read", whatever its precision elsewhere
    ):
        return False
    if not (word.isalpha() and word.islower() and len(word) >= 4) or word in _NOT_VERBS:
        return False
    if ends < len(tokens) and tokens[ends].text not in ".,;!?":
        return False
    k = i - 1
    while k >= 0 and i - k <= 6 and tokens[k].quote is None and tokens[k].text[:1].isalnum():
        k -= 1
    if k < 0 or k == i - 1 or tokens[k].quote is None:
        return False
    mark = tokens[k].text.rstrip(ALL_MARKS + " ")[-1:]
    first = tokens[k + 1]
    return mark in {",", "?", "!"} and (
        first.text[:1].isupper() or first.lower in DETERMINERS | SUBJECTS | {"it"}
    )


INVERTING = word_list("inverting")


TELL_VERBS = word_list("tell_verbs")
