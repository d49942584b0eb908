"""Whether a tagger-found phrase may be shown, and the one reason its evidence supports.

The tagger says where judgment is likely; a reader is owed a reason that is true of the words.
So a tagger find is kept only with evidence a reader can check: its key word is an adjective,
adverb or verb (spaCy's tagger, run on a few words around it), and the sentiment lexicons say
what it does: it condemns, praises or states a view. An adverb needs no lexicon entry: an
adverb the tagger marks qualifies the claim ("barely", "notably"). Nouns and names are not
judgments on their own: "squid" or "pandemic" are never shown as the writer's opinion.
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from server.pipeline import nlp
from server.pipeline.document import Document
from server.pipeline.opinions.tagger import load_lexicon
from server.pipeline.opinions.words import Candidate, Word, compound, phrase_text

ADVERBS_NEED_NO_ENTRY = True
_CONTEXT_WORDS = 6  # either side: what spaCy's tagger reads to tell a word's part of speech
_PARTS = {"ADJ": "adjective", "ADV": "adverb", "VERB": "verb"}
_NEGATIVE, _POSITIVE, _SUBJECTIVE = {"vneg2", "vneg1"}, {"vpos2", "vpos1"}, {"subj2", "subj1"}


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def parts_of_speech(doc: Document, words: list[Word], first: int, last: int) -> list[str]:
    """The coarse part of speech of words ``first..last``, tagged in a small window."""
    low, high = max(0, first - _CONTEXT_WORDS), min(len(words) - 1, last + _CONTEXT_WORDS)
    offset = words[low].start
    tagged = doc.analyze(offset, words[high].end, nlp.TAGGER)
    by_start = {token.idx + offset: token.pos_ for token in tagged}
    return [by_start.get(words[k].start, "X") for k in range(first, last + 1)]


def explain(
    doc: Document, words: list[Word], candidate: Candidate, probs: list[float]
) -> Candidate | None:
    """The candidate narrowed to its words of evidence, with the reason of the surest, or None."""
    lexicon = load_lexicon()
    parts = parts_of_speech(doc, words, candidate.first, candidate.last)
    indexes = range(candidate.first, candidate.last + 1)
    evidence = [
        (bool(lexicon.get(words[k].lower)), probs[k], k, part)
        for k, part in zip(indexes, parts, strict=True)
        if part in _PARTS
        and words[k].lower not in STOP_WORDS
        and ((ADVERBS_NEED_NO_ENTRY and part == "ADV") or lexicon.get(words[k].lower))
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
