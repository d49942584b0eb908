"""Whether a tagger-found phrase may be shown, and the one reason its evidence supports.

The tagger says where judgment is likely; a reader is owed a reason that is true of the words.
So a tagger find is kept only with evidence a reader can check: its key word is an adjective,
adverb or verb (spaCy's tagger, run on a few words around it), and the sentiment lexicons say
what it does: it condemns, praises or states a view. Adverbs need the lexicon too: without it,
"typically" or "actually" would be said to colour a claim they only qualify (such adverbs were
right a third of the time out of fold). Nouns and names are not judgments on their own:
"squid" or "pandemic" are never shown as the writer's opinion.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.lang.en.stop_words import STOP_WORDS

from server.pipeline import nlp
from server.pipeline.document import Document
from server.pipeline.opinions.tagger import load_lexicon
from server.pipeline.opinions.words import Candidate, Word, compound, phrase_text

_WINDOW_BREAK = "\n\n"
_CONTEXT_WORDS = 6  # either side: what spaCy's tagger reads to tell a word's part of speech
_PARTS = {"ADJ": "adjective", "ADV": "adverb", "VERB": "verb"}
_NEGATIVE, _POSITIVE, _SUBJECTIVE = {"vneg2", "vneg1"}, {"vpos2", "vpos1"}, {"subj2", "subj1"}


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def parts_of_speech(doc: Document, words: list[Word], candidates: list[Candidate]) -> list[str]:
    """The coarse part of speech of the candidates' words (``"X"`` for the others).

    spaCy's tagger reads a few words either side, so only small windows around the candidates
    are tagged, joined into one text and tagged at once: one call costs the same few
    milliseconds whether it holds 10 words or 500.
    """
    windows: list[list[int]] = []
    for candidate in sorted(candidates, key=lambda c: c.first):
        low = max(0, candidate.first - _CONTEXT_WORDS)
        high = min(len(words) - 1, candidate.last + _CONTEXT_WORDS)
        if windows and low <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    parts = ["X"] * len(words)
    if not windows:
        return parts
    pieces, starts, shifts = [], [], []  # each window's text, its start there and here
    at = 0
    for low, high in windows:
        piece = doc.text[words[low].start : words[high].end]
        pieces.append(piece)
        starts.append(at)
        shifts.append(words[low].start - at)
        at += len(piece) + len(_WINDOW_BREAK)
    doc.check_deadline()
    tagged = nlp.run(nlp.tokenize(_WINDOW_BREAK.join(pieces)), nlp.TAGGER)
    index = {w.start: k for k, w in enumerate(words)}
    for token in tagged:
        shift = shifts[bisect_right(starts, token.idx) - 1]
        k = index.get(token.idx + shift)
        if k is not None:
            parts[k] = token.pos_
    return parts


def _may_have_evidence(words: list[Word], candidate: Candidate) -> bool:
    """Cheap test before tagging: a lexicon word that is no stop word."""
    lexicon = load_lexicon()
    return any(
        w.lower not in STOP_WORDS and w.lower in lexicon
        for w in words[candidate.first : candidate.last + 1]
    )


def explain_all(
    doc: Document, words: list[Word], candidates: list[Candidate], probs: list[float]
) -> list[Candidate]:
    """The tagger's candidates that evidence explains, each narrowed and given its reason."""
    candidates = [c for c in candidates if _may_have_evidence(words, c)]
    parts = parts_of_speech(doc, words, candidates)
    explained = (explain(words, c, probs, parts) for c in candidates)
    return [c for c in explained if c is not None]


def explain(
    words: list[Word], candidate: Candidate, probs: list[float], parts: list[str]
) -> Candidate | None:
    """The candidate narrowed to its words of evidence, with the reason of the surest, or None."""
    lexicon = load_lexicon()
    indexes = range(candidate.first, candidate.last + 1)
    evidence = [
        (bool(lexicon.get(words[k].lower)), probs[k], k, parts[k])
        for k in indexes
        if parts[k] in _PARTS and words[k].lower not in STOP_WORDS and lexicon.get(words[k].lower)
    ]
    if not evidence:
        return None
    _, _, key, part = max(evidence)
    first, _ = compound(words, evidence[0][2], key)
    _, last = compound(words, key, evidence[-1][2])
    shown = phrase_text(words, *compound(words, key, key))
    # A hyphenated word is judged whole: "thought-provoking" is no insult for holding "provoking".
    classes = set(lexicon.get(shown.lower(), ()))
    kind = _PARTS[part]
    if classes & _NEGATIVE:
        does = f"is a negatively charged {kind} where a neutral one would do"
    elif classes & _POSITIVE:
        does = f"is a praising {kind} where a neutral one would do"
    elif classes & _SUBJECTIVE:
        does = f"is {_a(kind)} of opinion: it states the writer's view, not a checkable fact"
    elif part == "ADV":
        does = "is an adverb of degree or manner that colours the claim it qualifies"
    else:
        does = f"is an evaluative {kind}: it judges where a neutral one would describe"
    reason = f"loaded: '{shown}' {does}"
    return Candidate(first, last, "loaded", reason, candidate.score, False)
