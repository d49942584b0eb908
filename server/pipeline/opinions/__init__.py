"""Opinion phrases: the words that carry the writer's judgment, each with a reason a reader gets.

The stages, each a module: ``words`` (the text's words, lines and sentences), ``tagger`` (a
linear model's probability that a word carries judgment, fitted on articles labelled under
the reader's rubric, see ``server/data/opinions/README.md``), ``phrases`` (runs of likely
words, trimmed and joined), ``reasons`` (a tagger find is kept only with checkable evidence, its
part of speech and a lexicon entry, and its reason says what that evidence is), ``cues``
(hand-written devices a reader can name: hedges, speculation, intensifiers, labels, figures of
speech, rhetorical questions) and ``voice`` (whose words a phrase is: the writer's, a quoted
speaker's, or a view the writer reports).
"""

from __future__ import annotations

from server.pipeline.document import Document
from server.pipeline.opinions.cues import find_cues, find_rhetorical_questions
from server.pipeline.opinions.phrases import (
    blocked,
    find_tagged,
    in_neutral_terms,
    merge_candidates,
)
from server.pipeline.opinions.reasons import explain_all
from server.pipeline.opinions.tagger import (
    PieceScores,
    load_lexicon,
    load_model,
    load_scorer,
    style_classes,
    tagger_probabilities,
    token_features,
    word_pieces,
)
from server.pipeline.opinions.voice import AUTHOR, Voices
from server.pipeline.opinions.words import (
    BOUNDARY,
    DATA_DIR,
    WINDOW,
    Word,
    neighbours,
    quoted_words,
    sentence_starts,
    title_case_lines,
    window_words,
    words_of,
)
from server.pipeline.quotes.regions import quoted_regions
from server.pipeline.types import Opinion

__all__ = [
    "BOUNDARY",
    "DATA_DIR",
    "WINDOW",
    "OpinionAnalyzer",
    "PieceScores",
    "Word",
    "find_tagged",
    "load_lexicon",
    "load_model",
    "load_scorer",
    "neighbours",
    "quoted_words",
    "style_classes",
    "title_case_lines",
    "token_features",
    "window_words",
    "word_pieces",
    "words_of",
]


class OpinionAnalyzer:
    name = "opinions"
    version = "15"

    def analyze(self, doc: Document) -> list[Opinion]:
        regions = quoted_regions(doc)
        words = words_of(doc)
        if not words:
            return []
        voices = Voices(doc)
        quoted = quoted_words(words, regions)
        starts = sentence_starts(words)
        title_case = title_case_lines(words)
        neutral = in_neutral_terms(words)
        doc.check_deadline()  # between stages: each is linear in the text, none is long
        probs = tagger_probabilities(words, quoted)
        for k, word in enumerate(words):
            if neutral[k] or blocked(word, starts[k], title_case[k]):
                probs[k] = 0.0
        doc.check_deadline()
        candidates = explain_all(doc, words, find_tagged(words, probs, quoted), probs)
        candidates += find_cues(doc.text, words)
        candidates += find_rhetorical_questions(doc.text, words, starts)
        found = []
        for phrase in merge_candidates(candidates):
            start, end = words[phrase.first].start, words[phrase.last].end
            voice = voices.of(start, end)
            if voice != AUTHOR and phrase.category == "rhetorical":
                continue  # a question in someone's speech is dialogue, not the writer's device
            score = max(phrase.score, *probs[phrase.first : phrase.last + 1])
            found.append(
                Opinion(
                    start,
                    end,
                    doc.text[start:end],
                    phrase.category,
                    voice,
                    round(score, 3),
                    phrase.reason,
                )
            )
        return found
