"""Speakers: the phrase before a cue that names who spoke, as a token range.

The phrase is walked back to a boundary ('Gene Sperling, a top adviser, said'); asides
(parentheses, dashes, party tags, relative clauses) are stepped over, never taken. The phrase
after an inverting cue is ``speakers_after``'s.
"""

from __future__ import annotations

import re

from server.pipeline.quotes.cues import lexicon_words
from server.pipeline.quotes.data import word_list
from server.pipeline.quotes.sentences import DASHES, PRONOUNS, ends_phrase, is_pronoun, is_punct
from server.pipeline.quotes.subjects import sentence_subject
from server.pipeline.quotes.types import CharSpan, Token, TokenRange
from server.pipeline.quotes.vocabulary import (
    ANONYMOUS_HEADS,
    CUE_MODIFIERS,
    DAYS,
    DETERMINERS,
    GROUP_HEADS,
    LEADING_ADVERBIAL,
    ROLE_WORDS,
    SUBJECTS,
    TRAILER_PREPOSITIONS,
)

_LEFT_BOUNDARY = word_list("left_boundary")


SPEAKER_STOP = word_list("speaker_stop")


_QUESTION_AUXILIARIES = word_list("question_auxiliaries")


def is_speaker_phrase(tokens: list[Token]) -> bool:
    if not tokens or any(t.quote is not None for t in tokens):
        return False
    first, last = tokens[0].lower, tokens[-1].lower
    if first.replace("’", "'") in _QUESTION_AUXILIARIES:
        return False  # "Does the senator say ...?", "Aren't those the things critics say": asked
    if first in SPEAKER_STOP or (
        len(tokens) == 1 and first in DETERMINERS and first not in _LONE_SPEAKERS
    ):
        return False
    if any(t.text[:1].isupper() for t in tokens) or first in PRONOUNS or first[:1].isdigit():
        return True
    if first in DETERMINERS or last in ANONYMOUS_HEADS | GROUP_HEADS:
        return True
    # "attorneys for the family": a plural head noun, short
    head = next((t.lower for t in tokens if t.lower in {"for", "of", "at", "in", "with"}), None)
    head_word = tokens[[t.lower for t in tokens].index(head) - 1].lower if head else last
    return (
        len(tokens) <= 5
        and head_word.endswith("s")
        and not head_word.endswith(("ss", "us", "is"))
        and head_word in GROUP_HEADS | ANONYMOUS_HEADS
    )


def _segment_start(tokens: list[Token], end: int, floor: int) -> int:
    """Start of the phrase ending at ``end``, walking left to a boundary (14 tokens at most,
    not counting asides in parentheses or between dashes)."""
    start = end
    aside = 0
    while start - 1 >= floor and end - start - aside < 14:
        token = tokens[start - 1]
        if token.text == ")":  # "Rep. Gwen Moore (D-Wis.)"
            k = start - 2
            while k >= floor and tokens[k].text != "(" and start - k < 8:
                k -= 1
            if k >= floor and tokens[k].text == "(":
                aside += start - k
                start = k
                continue
        if token.text in DASHES and start - 1 > floor:  # "insiders — in Nevada — said"
            k = start - 2
            while k >= floor and tokens[k].text not in DASHES and start - k < 24:
                k -= 1
            if k > floor and tokens[k].text in DASHES and tokens[k - 1].quote is None:
                aside += start - k
                start = k
                continue
        if ends_phrase(token):
            break
        if token.lower in _LEFT_BOUNDARY and not (
            token.lower == "and"
            and start - 2 >= floor
            and (
                (tokens[start - 2].text[:1].isupper() and tokens[start].text[:1].isupper())
                or _apposed_pair(tokens, start, floor)
            )
        ):
            break
        start -= 1
    return start


def speaker_left(tokens: list[Token], cue: int, floor: int) -> TokenRange | None:
    """Token range of the speaker phrase ending just before the cue."""
    end = _left_end(tokens, cue, floor)
    if end - 1 >= floor and is_pronoun(tokens[end - 1]) and tokens[end - 1].lower in SUBJECTS:
        return TokenRange(end - 1, end)  # "in an interview with RT he blasted"
    if (
        end - 1 >= floor
        and tokens[end - 1].lower == "it"
        and tokens[cue].lower in _IT_SAYS
        and (
            end - 1 == floor
            or tokens[end - 2].lower in {",", "and", "but"}
            or tokens[end - 2].quote is not None
        )
    ):
        return TokenRange(end - 1, end)  # "It stated that ...", '"...," it read'
    if (
        end - 2 >= 0
        and end - 1 >= floor
        and tokens[end - 1].lower in {"who", "which"}
        and is_punct(tokens[end - 2], ",—–")
    ):
        return TokenRange(end - 1, end)  # "the AP, which first reported the story": "which"
    if end - 1 >= floor and tokens[end - 1].text == ",":
        # "Gene Sperling, a top adviser, said" / "Trump, who spoke at a rally, said"
        return _speaker_before_comma(tokens, end - 1, floor)
    return _described_speaker(tokens, _segment_start(tokens, end, floor), end, floor)


def _left_end(tokens: list[Token], cue: int, floor: int) -> int:
    """Where the speaker phrase before a cue ends: before the cue's adverbs ("also",
    "repeatedly"), a day ("Trump on Thursday said") and a party tag ("McConnell, R-Ky., said")."""
    end = cue
    while end - 1 >= floor and (
        tokens[end - 1].lower in CUE_MODIFIERS
        or (
            tokens[end - 1].text.islower()
            and tokens[end - 1].text.endswith("ly")
            and tokens[end - 1].text not in _LY_NOUNS  # "a pro-Trump rally said"
        )
    ):
        end -= 1
    if (
        end - 2 >= floor
        and re.fullmatch(DAYS, tokens[end - 1].text)
        and tokens[end - 2].lower in {"on", "late", "early"}
    ):
        end -= 2
    return _before_party_tag(tokens, end, floor)


def _speaker_before_comma(tokens: list[Token], end: int, floor: int) -> TokenRange | None:
    """The speaker of a phrase that a comma closes before the cue: a subject with its
    appositions, or the phrase before an aside ("Hillary Clinton, at a later press gaggle,")."""
    clause = max([floor] + [k + 1 for k in range(floor, end) if tokens[k].quote is not None])
    apposed = _apposed_subject(tokens, clause, end)
    if apposed is not None:
        return apposed
    start, end = _segment_before_asides(tokens, end, floor)
    if start == end or tokens[start - 1 if start > floor else start].lower in {"who", "which"}:
        # "Douglas Brinkley, a historian who attended the session, recalled"
        subject = sentence_subject(tokens, floor, end)
        if subject is not None and subject.stop < end and tokens[subject.stop].text == ",":
            return TokenRange(subject.first, end)
    if start == end:
        return None
    if start - 1 < floor or tokens[start - 1].text != ",":
        capitalized = is_speaker_phrase(tokens[start:end]) and tokens[start].text[:1].isupper()
        return TokenRange(start, end) if capitalized else None
    return _described_speaker(tokens, start, end, floor)


def _apposed_pair(tokens: list[Token], after_and: int, floor: int) -> bool:
    """'Nefzi, a professor and a member of the board, said': "and" joins two descriptions."""
    if tokens[after_and].lower not in _ARTICLES:
        return False
    k = after_and - 2
    while k > floor and after_and - k < 8 and tokens[k].text.isalpha():
        k -= 1
    return tokens[k].text == "," and tokens[k + 1].lower in _ARTICLES


def _apposed_subject(tokens: list[Token], clause: int, end: int) -> TokenRange | None:
    """The clause's subject and its appositions up to the comma before the cue: "Gene
    Sperling, a top adviser," or "The employee of four years, a registered Republican,"."""
    subject = sentence_subject(tokens, clause, end)
    if (
        subject is not None
        and subject.stop < end
        and tokens[subject.stop].text == ","
        and tokens[subject.first].text[:1].isupper()
        and not any(t.quote is not None or t.text in "!?;:" for t in tokens[subject.stop : end])
    ):
        return TokenRange(subject.first, end)  # the sentence's subject and its appositions
    first_comma = next((k for k in range(clause, end) if tokens[k].text == ","), None)
    if (
        first_comma is not None
        and first_comma - clause <= 10
        and tokens[clause].lower in _ARTICLES | {"a", "an", "one", "another"}
        and is_speaker_phrase(tokens[clause:first_comma])
        and not any(t.lower in lexicon_words() for t in tokens[clause:first_comma])
        and not any(t.quote is not None or t.text in "!?;:" for t in tokens[clause:end])
    ):
        return TokenRange(clause, end)  # "The employee of four years, a Republican, said"
    return None


def _segment_before_asides(tokens: list[Token], end: int, floor: int) -> TokenRange:
    """The phrase ending at ``end``, or the one before it when it is an aside: "Hillary
    Clinton, at a later press gaggle," "Smith, citing a poll," "Trump, who spoke Monday,"."""
    start = _segment_start(tokens, end, floor)
    if (
        0 < end - start <= 2
        and all(t.text[:1].isupper() for t in tokens[start:end])
        and start - 2 > floor
        and tokens[start - 1].text == ","
        and tokens[start - 2].text[:1].isupper()
    ):
        # "Clinton, during a meeting in Columbus, Ohio, said": the state ends the place
        place = _segment_start(tokens, start - 1, floor)
        if tokens[place].lower in TRAILER_PREPOSITIONS | DETERMINERS or _participle(tokens[place]):
            start = place  # or "Smith, a lawyer in Columbus, Ohio, said"
    if (
        start < end
        and (tokens[start].lower in TRAILER_PREPOSITIONS or _participle(tokens[start]))
        and start - 1 > floor
        and tokens[start - 1].text == ","
    ):
        end = start - 1
        start = _segment_start(tokens, end, floor)
    if (
        start < end
        and tokens[start].lower in {"who", "which"}
        and start - 1 >= floor
        and tokens[start - 1].text == ","
    ):
        end = start - 1
        start = _segment_start(tokens, end, floor)
    return TokenRange(start, end)


def _described_speaker(tokens: list[Token], start: int, end: int, floor: int) -> TokenRange | None:
    """The phrase ``start..end`` as a speaker, with the name before it when it describes that
    name ("Evan Tracey, a Republican consultant, said"); None when it names no one."""
    if start == end:
        return None
    if (
        start - 2 >= floor
        and tokens[start - 1].text == ","
        and (
            tokens[start].lower in DETERMINERS
            or tokens[start].text[:1].isupper()
            or tokens[start].text.isdigit()
        )
        and tokens[start - 2].text[:1].isupper()
    ):
        start = _name_before(tokens, start, end, floor)
    if not is_speaker_phrase(tokens[start:end]):
        return None
    if tokens[end - 1].lower in _ARTICLES or (is_pronoun(tokens[start]) and end - start > 1):
        return None  # "spoke about the proposed wall": not a cue here
    if tokens[end - 1].lower == "to":
        return sentence_subject(tokens, floor, end - 1)  # "Trump took to Twitter to accuse": Trump
    if tokens[end - 1].lower in _ENDS_NO_NAME:
        return None  # "hinted at Trump by adding": the participle's subject speaks
    return TokenRange(start, end)


def _name_before(tokens: list[Token], start: int, end: int, floor: int) -> int:
    """Where the name before a description's comma starts, if a name is there ("Evan Tracey,
    a Republican consultant"); ``start`` if not ("On Monday, Trump")."""
    name_start = _segment_start(tokens, start - 1, floor)
    if (
        name_start < start - 1
        and end - name_start <= 20
        and tokens[name_start].lower not in LEADING_ADVERBIAL  # "On Monday, Trump said"
        and not any(re.fullmatch(DAYS, t.text) for t in tokens[name_start : start - 1])
        and all(
            t.text[:1].isupper() or t.lower in {"'s", "’s", "of", "de", "van", "von"}
            for t in tokens[name_start : start - 1]
        )
    ):
        return name_start
    return start


_PARTY_TAG = re.compile(r"[RDI]-[A-Z][A-Za-z.]*")


def _before_party_tag(tokens: list[Token], end: int, floor: int) -> int:
    """'Mitch McConnell, R-Ky., said': the party and state are an aside; the name ends before."""
    if end - 1 < floor or tokens[end - 1].text != ",":
        return end
    opening = next(
        (k for k in range(end - 2, max(floor, end - 7) - 1, -1) if tokens[k].text == ","), None
    )
    if opening is None or opening - 1 < floor:
        return end
    tag = "".join(t.text for t in tokens[opening + 1 : end - 1])  # "D-N" "." "Y" "." -> "D-N.Y."
    return opening if _PARTY_TAG.fullmatch(tag) else end


_CONJUNCTIONS = word_list("conjunctions")


def opens_clause(token: Token) -> bool:
    """After a comma "but it has" goes on with a clause; "who leads", "a Republican" are asides."""
    return token.lower in _CONJUNCTIONS or is_pronoun(token)


def _participle(token: Token) -> bool:
    """A lowercase -ing word ("citing", "wearing"): it opens an aside, never a speaker."""
    word = token.text
    return word.isalpha() and word.islower() and len(word) > 5 and word.endswith("ing")


_ENDS_NO_NAME = word_list("ends_no_name")


_ARTICLES = word_list("articles")


_LONE_SPEAKERS = word_list("lone_speakers")

_IT_SAYS = word_list("it_says")

_LY_NOUNS = word_list("ly_nouns")


def relative_antecedent(
    tokens: list[Token], ci: int, previous_speaker: TokenRange | None
) -> TokenRange | None:
    """The subject a ", who ...," clause hangs on, when the cue right after that clause is
    the subject's own ("Barkley, who said he votes, said one candidate ...")."""
    if previous_speaker is None or ci < 1 or tokens[ci - 1].text != ",":
        return None
    who = previous_speaker[0]
    if tokens[who].lower != "who" or who < 2 or tokens[who - 1].text != ",":
        return None
    return speaker_left(tokens, who - 1, 0)


_SHARES = word_list("shares")


def counted_people(tokens: list[Token], phrase: TokenRange) -> TokenRange | None:
    """The share of people ending ``phrase`` ("with 30 percent of voters" -> "30 percent of
    voters"), who say what follows as in a poll; None when the phrase counts no people."""
    start, end = phrase
    if tokens[end - 1].lower not in GROUP_HEADS | ANONYMOUS_HEADS:
        return None
    for k in range(start, end):
        if tokens[k].text[:1].isdigit() or tokens[k].lower in _SHARES:
            if k > start and tokens[k - 1].lower in {"a", "the"}:
                k -= 1
            return TokenRange(k, end)
    return None


def clitic_free(text: str, tokens: list[Token], speaker: TokenRange | None) -> CharSpan | None:
    """The speaker's characters without a clitic: "I've" is "I"; "Graham's" is nobody.

    A phrase ending in a possessive ("Graham's comments came", "Trump's proposed wall")
    or in "It's", "There's", "Let's" names no one who speaks.
    """
    if speaker is None:
        return None
    start, end = tokens[speaker[0]].start, tokens[speaker[1] - 1].end
    match = _CLITIC.search(text, start, end)
    if match is None:
        return CharSpan(start, end)
    if speaker[1] - speaker[0] == 1 and match.group(1).lower() in SUBJECTS | {"it"}:
        return CharSpan(start, match.end(1))  # "She's describing": she is
    if match.group(2).lower() != "s":
        return CharSpan(start, end)
    if match.group(1).lower() in _NOT_POSSESSORS:
        return None
    following = [t.lower for t in tokens[speaker[1] : speaker[1] + 3]]
    # "Scott's family has called": the name stands for its family; "Graham's comments" do not;
    # "a friend of the couple's" ends in its own possessive
    of = " of " in text[start:end] and (not following or following[0] in {",", "—", "–"})
    return CharSpan(start, end) if of or any(w in _POSSESSED_SPEAKERS for w in following) else None


_CLITIC = re.compile(r"\b(\w+)['’](s|ve|ll|d|re|m)$", re.IGNORECASE)


_NOT_POSSESSORS = word_list("not_possessors")


_POSSESSED_SPEAKERS = ANONYMOUS_HEADS | GROUP_HEADS | ROLE_WORDS | word_list("possessed_speakers")
