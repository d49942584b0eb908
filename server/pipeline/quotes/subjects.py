"""A sentence's subject: the first noun phrase after a dateline and any scene-setting opener.

Participle cues (', saying ...') and colon lines ('Sanders made the following comment:') take
it as their speaker.
"""

from __future__ import annotations

import re

from server.pipeline.quotes.data import word_list
from server.pipeline.quotes.sentences import is_pronoun
from server.pipeline.quotes.types import Token, TokenRange
from server.pipeline.quotes.vocabulary import (
    DAYS,
    DETERMINERS,
    LEADING_ADVERBIAL,
    ROLE_WORDS,
    SENTENCE_ADVERBS,
    SUBJECTS,
)


def sentence_subject(tokens: list[Token], floor: int, ceiling: int) -> TokenRange | None:
    """The sentence's first noun phrase, for participle cues (", saying ...")."""
    start = after_dateline(tokens, floor, ceiling)
    while start < ceiling and tokens[start].lower in {"but", "and", "so", "yet", "still"}:
        start += 1
    while start + 1 < ceiling and (
        (
            tokens[start + 1].text == ","
            and not _relative_after(tokens, start + 2, ceiling)
            and not _adverb_aside(tokens, start + 2)
        )
        or tokens[start].lower in SENTENCE_ADVERBS
        or re.fullmatch(DAYS, tokens[start].text)
    ):
        # "Tuesday, the senator said", "Essentially, ...", "Recently the group ..."
        # (but "Trump, who spoke in May, said": the name is the subject)
        start += 2 if tokens[start + 1].text == "," else 1
    if start < ceiling and _opens_adverbial(tokens, start, ceiling):
        comma = next(
            (k for k in range(start, min(ceiling, start + 30)) if tokens[k].text == ","), None
        )
        if comma is not None:
            start = comma + 1
        else:  # "On September 27 they published ..."
            pronoun = next(
                (
                    k
                    for k in range(start, min(ceiling, start + 8))
                    if is_pronoun(tokens[k]) and tokens[k].lower in SUBJECTS
                ),
                None,
            )
            # an opening phrase with no end in sight is no subject: "At", "When" are not names
            return TokenRange(pronoun, pronoun + 1) if pronoun is not None else None
    if (
        start >= ceiling
        or tokens[start].quote is not None
        or re.sub(r"['’]s$", "", tokens[start].lower) in {"there", "let"}
    ):
        return None  # "There is ...", "Let's look at that tweet:" have no speaker
    if is_pronoun(tokens[start]):
        return TokenRange(start, start + 1)
    end = _name_phrase_end(tokens, start, ceiling)
    if end == start or not any(t.text[:1].isupper() for t in tokens[start:end]):
        return None
    return TokenRange(start, end)


def _name_phrase_end(tokens: list[Token], start: int, ceiling: int) -> int:
    """Where the noun phrase at ``start`` ends: a determiner and its noun, then capitalized
    words, roles before a name, a party tag in parentheses, "of"/"and" inside a name."""
    end = start
    if tokens[start].lower in DETERMINERS:
        end += 1
        if end < ceiling and tokens[end].quote is None and tokens[end].text.isalpha():
            end += 1
    while end < ceiling and tokens[end].quote is None:
        if tokens[end].text[:1].isupper() or tokens[end].text in {"'s", "’s", ".", "&"}:
            end += 1
        elif (
            tokens[end].lower in ROLE_WORDS
            and end + 1 < ceiling
            and (tokens[end + 1].text[:1].isupper() or tokens[end + 1].lower in ROLE_WORDS)
        ):
            end += 1  # "Democratic nominee Hillary Clinton"
        elif tokens[end].text == "(" and end > start:  # "Sen. Ted Cruz (R-Texas)"
            close = next(
                (k for k in range(end + 1, min(end + 8, ceiling)) if tokens[k].text == ")"), None
            )
            if close is None:
                break
            end = close + 1
        elif (
            tokens[end].lower in {"and", "of", "for", "on"}
            and end > start
            and end + 1 < ceiling
            and tokens[end + 1].text[:1].isupper()
            and not re.fullmatch(DAYS, tokens[end + 1].text)
        ):
            end += 2  # "United States Citizenship and Immigration Services", not "on Friday"
        else:
            break
    return end


def _adverb_aside(tokens: list[Token], k: int) -> bool:
    """'Smith, however, said': the word before the aside is the subject, not an opener."""
    return k + 1 < len(tokens) and tokens[k].lower in SENTENCE_ADVERBS and tokens[k + 1].text == ","


def _relative_after(tokens: list[Token], k: int, ceiling: int) -> bool:
    return k < ceiling and tokens[k].lower in {"who", "which"}


def _opens_adverbial(tokens: list[Token], start: int, ceiling: int) -> bool:
    """Whether the sentence opens with a phrase that sets the scene before its subject.

    "At the meeting, ...", "Hours later, ...", "Facing criticism, ...": the subject follows
    the comma. A participle opens such a phrase only when a comma closes it soon.
    """
    word = tokens[start].lower
    if word in LEADING_ADVERBIAL or word in _OPENING_SCENE:
        return True
    following = tokens[start + 1].lower if start + 1 < ceiling else ""
    if word in {"this", "that", "next"} and following in _TIME_NOUNS:
        return True  # "This week, two groups ...": not "This report said"
    participle = word.endswith("ing") or (
        word.endswith("ed") and following in _PARTICIPLE_PREPOSITIONS
    )  # "Chastened by the analyses, Trump ..."
    if not (participle and tokens[start].text[:1].isupper()):
        return False
    return any(tokens[k].text == "," for k in range(start + 1, min(ceiling, start + 12)))


_TIME_NOUNS = word_list("time_nouns")


_PARTICIPLE_PREPOSITIONS = word_list("participle_prepositions")


_OPENING_SCENE = word_list("opening_scene")


def after_dateline(tokens: list[Token], floor: int, ceiling: int) -> int:
    """Skip a dateline ("WASHINGTON —", "BUENA PARK, Calif. -", "NEW YORK (Reuters) -")."""
    k = floor
    while k < ceiling and tokens[k].text.isupper() and tokens[k].text.isalpha():
        k += 1
    if k == floor or (k - floor == 1 and len(tokens[floor].text) < 3):
        return floor
    limit = min(ceiling, k + 8)
    dash = next((j for j in range(k, limit) if tokens[j].text in {"—", "–", "-", "―", "--"}), None)
    if dash is None or any(
        tokens[j].text in ".!?" and j + 1 < dash and tokens[j + 1].text[:1].islower()
        for j in range(k, dash)
    ):
        return floor
    return dash + 1 if dash + 1 < ceiling else floor
