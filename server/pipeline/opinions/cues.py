"""Hand-written cues: phrases whose device a reader can name (a hedge, an intensifier, a
rhetorical question), each with the effect its reason states."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from server.pipeline.opinions.tagger import charged
from server.pipeline.opinions.words import (
    DATA_DIR,
    EDGE_WORDS,
    Candidate,
    Word,
)


@dataclass(frozen=True, slots=True)
class Cue:
    """One hand-written cue phrase: the words it matches and what it tells the reader."""

    alternatives: tuple[frozenset[str], ...]  # per position, the words that match there
    takes_next_word: bool
    next_word_charged: bool  # the taken word must be strongly valenced
    category: str
    effect: str


def _split_hyphens(parts: list[str]) -> list[str]:
    """The tokenizer splits "so-called" into "so", "-", "called"; cue positions follow it."""
    positions = []
    for part in parts:
        if "-" in part and "|" not in part:
            pieces = part.split("-")
            for k, piece in enumerate(pieces):
                if k:
                    positions.append("-")
                positions.append(piece)
        else:
            positions.append(part)
    return positions


@cache
def load_cues() -> dict[str, tuple[Cue, ...]]:
    """Cues from ``cues.tsv``, indexed by every word that can start them."""
    by_first: dict[str, list[Cue]] = {}
    for line in (DATA_DIR / "cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, category, effect = line.split("\t")
        parts = phrase.split()
        takes_next = parts[-1] in ("+", "++")
        charged = parts[-1] == "++"
        if takes_next:
            parts = parts[:-1]
        alternatives = tuple(frozenset(p.split("|")) for p in _split_hyphens(parts))
        cue = Cue(alternatives, takes_next, charged, category, effect)
        for first in cue.alternatives[0]:
            by_first.setdefault(first, []).append(cue)
    return {first: tuple(cues) for first, cues in by_first.items()}


# How sure a cue alone makes us; the tagger's probability raises it where both agree.
_CUE_SCORES = {
    "speculation": 0.6,
    "hedge": 0.5,
    "doubt": 0.6,
    "intensifier": 0.55,
    "exaggeration": 0.65,
    "labeling": 0.7,
    "loaded": 0.6,
    "rhetorical": 0.6,
    "minimisation": 0.6,
    "figurative": 0.65,
}
# Every category a phrase can have (the API publishes them), in the order readers see them.
OPINION_CATEGORIES = (
    "loaded",
    "labeling",
    "exaggeration",
    "minimisation",
    "intensifier",
    "hedge",
    "speculation",
    "rhetorical",
    "doubt",
    "figurative",
)


_RHETORICAL_MAX_WORDS = 8


def _plain_word(word: Word) -> bool:
    return word.text.isalpha() and word.text.islower() and word.lower not in EDGE_WORDS


def find_cues(text: str, words: list[Word]) -> list[Candidate]:
    """Phrases matching the hand-written cue list."""
    cues = load_cues()
    found = []
    for i, word in enumerate(words):
        for cue in cues.get(word.lower, ()):
            last = i + len(cue.alternatives) - 1
            if last >= len(words) or any(
                words[i + k].lower not in options or (k and words[i + k].line_start)
                for k, options in enumerate(cue.alternatives)
            ):
                continue
            if cue.takes_next_word:
                last += 1
                if last >= len(words) or words[last].line_start or not _plain_word(words[last]):
                    continue
                if cue.next_word_charged and not charged(words[last]):
                    continue
            phrase = text[words[i].start : words[last].end]
            reason = f"{cue.category}: '{phrase}' {cue.effect}"
            found.append(Candidate(i, last, cue.category, reason, _CUE_SCORES[cue.category], True))
    return found


def find_rhetorical_questions(text: str, words: list[Word], starts: list[bool]) -> list[Candidate]:
    """Short questions the writer asks, which steer the reader instead of asking."""
    found = []
    first = 0
    for i, word in enumerate(words):
        if starts[i]:
            first = i
        if word.text != "?":
            continue
        while first < i and not any(c.isalnum() for c in words[first].text):
            first += 1
        n_words = sum(1 for w in words[first:i] if any(c.isalnum() for c in w.text))
        if 1 < n_words <= _RHETORICAL_MAX_WORDS:
            phrase = text[words[first].start : word.end]
            reason = f"rhetorical: '{phrase}' is a question posed to steer the reader, not to ask"
            found.append(Candidate(first, i, "rhetorical", reason, _CUE_SCORES["rhetorical"], True))
    return found
