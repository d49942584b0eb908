"""From the tagger's word probabilities to phrases: where a judgment starts and ends, which
words may never be one, and how overlapping finds are joined."""

from __future__ import annotations

import re

from server.pipeline.opinions.tagger import REPORTING, charged, load_model
from server.pipeline.opinions.words import EDGE_WORDS, Candidate, Word, compound

_DIGIT = re.compile(r"\d")


_NEUTRAL_TERMS = frozenset(
    tuple(term.split())
    for term in (
        "death penalty",
        "death toll",
        "death row",
        "death sentence",
        "death sentences",
        "sexual assault",
        "sexual assaults",
        "assault weapon",
        "assault weapons",
        "assault rifle",
        "assault rifles",
        "hate crime",
        "hate crimes",
        "capital punishment",
    )
)


# Longer runs are cut to the window the tagger is surest of: readers get the judgment, not
# the clause around it.
_MAX_PHRASE_WORDS = 5


_SPLIT_GAP = 2


def blocked(word: Word, sentence_start: bool, title_case: bool) -> bool:
    """Words the tagger may never mark: numbers, names, neutral reporting verbs.

    A capitalised word inside a sentence is a name ("Great Britain", "Liberal Party"), and
    the evaluative word in a name is the name's, not the writer's; in a headline written in
    title case, capitals say nothing about names.
    """
    text = word.text
    if word.lower in REPORTING or _DIGIT.search(text):
        return True
    return not (sentence_start or title_case) and text[:1].isupper() and not text.isupper()


def in_neutral_terms(words: list[Word]) -> list[bool]:
    """Whether each word belongs to a fixed term of law or reporting ("death penalty", "sexual
    assault", "hate crime"): the charged word names the thing, it does not judge it."""
    inside = [False] * len(words)
    for i in range(len(words) - 1):
        if (words[i].lower, words[i + 1].lower) in _NEUTRAL_TERMS:
            inside[i] = inside[i + 1] = True
    return inside


def find_tagged(
    words: list[Word], probs: list[float], quoted: list[bool] | None = None
) -> list[Candidate]:
    """Runs of words the tagger marks: seeded at ``threshold``, grown while above ``extend``.

    A word the sentiment lexicons call charged needs less evidence to start a run
    (``charged_threshold``): two independent sources agree on it. A run never crosses a
    quotation mark: the words inside are the speaker's, those outside the writer's.
    """
    voice = quoted or [False] * len(words)
    model = load_model()
    threshold: float = model["threshold"]
    extend: float = model.get("extend", threshold)
    found = []
    previous_last = -1  # a run may not reach back over the one before it
    i = 0
    charged_threshold: float = model.get("charged_threshold", threshold)
    while i < len(words):
        if probs[i] < threshold and (probs[i] < charged_threshold or not charged(words[i])):
            i += 1
            continue
        first = last = i
        while (
            last + 1 < len(words)
            and probs[last + 1] >= extend
            and not words[last + 1].line_start
            and voice[last + 1] == voice[last]
        ):
            last += 1
        while (
            first - 1 > previous_last
            and probs[first - 1] >= extend
            and not words[first].line_start
            and voice[first - 1] == voice[first]
        ):
            first -= 1
        previous_last = last
        i = last + 1
        for phrase in _judgments(words, first, last):
            if phrase[1] - phrase[0] >= _MAX_PHRASE_WORDS:
                phrase = _surest_window(words, probs, *phrase)
            head, tail = compound(words, *phrase)
            found.append(Candidate(head, tail, "loaded", "", 0.0, False))  # reasons.explain
    return found


def _judgments(words: list[Word], first: int, last: int) -> list[tuple[int, int]]:
    """A run's phrases, trimmed; split where _SPLIT_GAP linking words join two of them.

    "serious blow to the shaky" is two judgments, each with its own reason; one linking word
    is usually part of the phrase ("complete and utter lies").
    """
    first, last = _trim(words, first, last)
    phrases = []
    k = first
    while k <= last:
        gap = k
        while gap <= last and _carries_nothing(words[gap]):
            gap += 1
        if gap - k >= _SPLIT_GAP:
            phrases.append((first, k - 1))
            first = gap
        k = max(gap, k + 1)
    if first <= last:
        phrases.append((first, last))
    return phrases


def _surest_window(words: list[Word], probs: list[float], first: int, last: int) -> tuple[int, int]:
    """The ``_MAX_PHRASE_WORDS`` words of a long run with the highest summed probability."""
    best = max(
        range(first, last - _MAX_PHRASE_WORDS + 2),
        key=lambda k: sum(probs[k : k + _MAX_PHRASE_WORDS]),
    )
    return _trim(words, best, best + _MAX_PHRASE_WORDS - 1)


def _carries_nothing(word: Word) -> bool:
    return not any(c.isalnum() for c in word.text) or word.lower in EDGE_WORDS


def _trim(words: list[Word], first: int, last: int) -> tuple[int, int]:
    """Drop punctuation and linking words from the ends of a phrase: they carry no judgment."""
    while first <= last and _carries_nothing(words[first]):
        first += 1
    while last >= first and _carries_nothing(words[last]):
        last -= 1
    return first, last


def merge_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """Join overlapping phrases into one; a cue's category and reason win over the tagger's.

    Cues name a specific device (a hedge, a label), which tells the reader more than "loaded".
    """
    merged: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.first, -c.last)):
        if merged and candidate.first <= merged[-1].last:
            current = merged[-1]
            current.last = max(current.last, candidate.last)
            if candidate.from_cue and (not current.from_cue or candidate.score > current.score):
                current.category, current.reason = candidate.category, candidate.reason
                current.from_cue = True
            current.score = max(current.score, candidate.score)
        else:
            merged.append(candidate)
    return merged
