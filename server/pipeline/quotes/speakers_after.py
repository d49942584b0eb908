"""The speaker phrase after a cue, as a token range: '"...," said a person close to X',
"according to people familiar with the matter"; it runs to a clause word or mark.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from server.pipeline.quotes.data import threshold, word_list
from server.pipeline.quotes.sentences import PRONOUNS, ends_phrase, is_pronoun
from server.pipeline.quotes.speakers import SPEAKER_STOP, is_speaker_phrase
from server.pipeline.quotes.types import Token, TokenRange
from server.pipeline.quotes.vocabulary import (
    ANONYMOUS_HEADS,
    CUE_MODIFIERS,
    DAYS,
    DETERMINERS,
    GROUP_HEADS,
    ROLE_WORDS,
)

_NOT_SOURCES = word_list("not_sources")


_SPEAKER_RIGHT_ENDS = word_list("speaker_right_ends")


_LONGEST_SPEAKER: int = threshold("longest_speaker")


_LONGEST_SOURCE: int = threshold("longest_source")


def speaker_right(
    tokens: list[Token], after: int, ceiling: int, whole_clause: bool = False
) -> TokenRange | None:
    """Token range of a speaker phrase right after the cue ("said a person close to X").

    ``whole_clause`` (after 'according to') keeps prepositional phrases: 'someone in attendance'.
    """
    start = after
    while start < ceiling and tokens[start].lower in CUE_MODIFIERS:
        start += 1
    if start < ceiling and re.fullmatch(DAYS, tokens[start].text):
        start += 1
    end = start
    # "according to early results of exit polls conducted for The Associated Press and
    # television networks by Edison Research": a source after "according to" may run long
    longest = _LONGEST_SOURCE if whole_clause else _LONGEST_SPEAKER
    while end < ceiling and end - start < longest:
        token = tokens[end]
        if ends_phrase(token):
            break
        if token.lower in _SPEAKER_RIGHT_ENDS and not (
            whole_clause and token.lower not in {"that", "who", "which", "when"}
        ):
            if end == start:
                return None
            if token.lower == "to" and tokens[end - 1].lower in {"close", "closest", "next"}:
                end += 1
                continue
            break
        end += 1
    if end == start:
        return None
    phrase = tokens[start:end]
    if phrase[0].lower in _OBJECT_PRONOUNS or (is_pronoun(phrase[0]) and len(phrase) > 1):
        return None
    if any(t.lower in _CLAUSE_WORDS for t in phrase):
        return None  # "said the office space was needed": a clause, not a speaker
    if not (
        whole_clause  # whatever "according to" names is the source
        or phrase[0].text[:1].isupper()
        or phrase[0].text[:1].isdigit()
        or phrase[0].lower in DETERMINERS | PRONOUNS
        or phrase[-1].lower in ANONYMOUS_HEADS | GROUP_HEADS
        or (phrase[0].lower in ANONYMOUS_HEADS | ROLE_WORDS and phrase[-1].text[:1].isupper())
        or _role_before_name(phrase)
    ):  # "spokesperson Monica Klein"
        return None
    if whole_clause:  # "according to people familiar with the matter", but not "to plan"
        if phrase[0].lower in SPEAKER_STOP or phrase[-1].lower in _NOT_SOURCES:
            return None
    elif not is_speaker_phrase(phrase):
        return None
    return TokenRange(start, _with_name_after(tokens, phrase, end, ceiling))


def _role_before_name(phrase: list[Token]) -> bool:
    """'said co-host Stu Burguiere', 'said undecided Republican voter Jane Doe of Derry': up to
    four words of description, then a name (and where the person is from)."""
    capitalized = [t.text[:1].isupper() for t in phrase] + [False]
    k = 0
    while (
        k < min(4, len(phrase))
        and re.fullmatch(r"[A-Za-z][a-z-]*", phrase[k].text)
        and phrase[k].lower not in STOP_WORDS
        and not (capitalized[k] and capitalized[k + 1])  # a name starts here
    ):
        k += 1
    name = k
    while capitalized[name]:
        name += 1
    rest = phrase[name:]
    from_place = len(rest) >= 2 and rest[0].lower in {"of", "from"} and capitalized[name + 1]
    return 0 < k < name and not capitalized[0] and (not rest or from_place)


def _with_name_after(tokens: list[Token], phrase: list[Token], end: int, ceiling: int) -> int:
    """'said one voter, Mary Jones, 62': a name after a description names the speaker."""
    if end >= ceiling or tokens[end].text != "," or any(t.text[:1].isupper() for t in phrase):
        return end
    k = end + 1
    while k < ceiling and k - end <= 4 and tokens[k].text[:1].isupper() and tokens[k].quote is None:
        k += 1
    if k - end - 1 >= 2 and (k >= ceiling or tokens[k].text in {",", ".", ";", "!", "?"}):
        return k
    return end


_OBJECT_PRONOUNS = word_list("object_pronouns")


_CLAUSE_WORDS = word_list("clause_words")
