"""The one-line reason a tagger-found phrase is shown with: only what its evidence says."""

from __future__ import annotations

from server.pipeline.opinions.tagger import load_lexicon
from server.pipeline.opinions.words import Word, compound, phrase_text


def _explained(word: Word) -> bool:
    """Whether the sentiment lexicons say what a word does: its reason then names that."""
    return word.lower in load_lexicon()


def loaded_reason(words: list[Word], first: int, last: int, probs: list[float]) -> str:
    """Why a tagger-found phrase is loaded, from what the lexicons say of its key word.

    A hyphenated word is judged whole: "self-interest" is no praise for holding "interest".
    A phrase no lexicon explains is named whole: "crack down", not "down".
    """
    key = max(range(first, last + 1), key=lambda k: (_explained(words[k]), probs[k]))
    if _explained(words[key]):
        first, last = compound(words, key, key)
    shown = phrase_text(words, first, last)
    classes = set(load_lexicon().get(shown.lower(), ()))
    if classes & {"vneg2", "vneg1"}:
        return f"loaded: '{shown}' is a negatively charged word where a neutral one would do"
    if classes & {"vpos2", "vpos1"}:
        return f"loaded: '{shown}' is a praising word where a neutral one would do"
    if classes & {"subj2", "subj1"}:
        return f"loaded: '{shown}' states the writer's view rather than a checkable fact"
    return f"loaded: '{shown}' is emotive wording, often marked as loaded in annotated news"
