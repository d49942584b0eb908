"""Attributed statements: who said (wrote, believes, found) what, and through which outlet.

Everything here runs on regular expressions and a fitted cue lexicon, no tagger or parser: the
parser alone would cost more than this analyzer's whole budget (see ``nlp.py``), and news
prose states attribution in a handful of fixed shapes that word patterns read reliably.
The steps, per paragraph:

1. Scan quotation marks into quotations. Straight, curly, single, double and angle marks are
   paired by position and context; an unclosed mark closes at its paragraph's end (or carries
   into the next paragraph when that one opens with a mark, the multi-paragraph convention),
   so one missing mark never loses the rest of the document.
2. Split the paragraph into sentences, never inside a quotation, so ``"A. B," he said`` stays
   one unit with its attribution.
3. In each sentence find cue words (``said``, ``according to``, ``believes``, ``a poll
   shows``...) from a lexicon fitted on PolNeAR train (``server/data/quotes``), then the
   speaker next to the cue and the content on the side the sentence's shape points to.
4. Quotations left without a cue take the speaker of the surrounding passage when the passage
   makes it plain (the same paragraph, or the paragraph that introduced them with a colon);
   short ones inside a sentence are scare quotes or titles and are dropped.
5. Speakers are resolved to the fullest name the article gives, typed, and linked to the outlet
   they came through (``via``) using the outlet analyzer's mentions.
6. The patterns over-generate on purpose; a logistic filter fitted on train (``filter.json``)
   scores each candidate from how it was found, and its probability is the quote's
   ``confidence``. Candidates under the dev-chosen thresholds are dropped.

Quotes are ``direct`` (exactly a quotation), ``mixed`` (reported content with quoted words) or
``indirect``; a quote interrupted by its attribution is one statement with ``fragments``.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from server.pipeline.document import Document
from server.pipeline.quotes.confidence import scored
from server.pipeline.quotes.coreference import SpeakerHistory, speaker_gender
from server.pipeline.quotes.regions import quoted_regions
from server.pipeline.quotes.relays import via_outlet
from server.pipeline.quotes.resolution import resolve_speaker
from server.pipeline.quotes.statements import find_attributions
from server.pipeline.quotes.types import Attribution, SpanIndex
from server.pipeline.types import Cue, CueType, Quote, Speaker, SpeakerType

__all__ = ["QuoteAnalyzer", "quoted_regions"]


def _says_nothing(text: str, content: list[tuple[int, int]]) -> bool:
    """'Here's what was reported:' - function words that point at the quotation after the colon."""
    rest_of_line = text[content[-1][1] : content[-1][1] + 200].split("\n", 1)[0]
    if not rest_of_line.rstrip().endswith(":"):  # an introducing line is short
        return False
    words = re.findall(r"['’]?\w+", " ".join(text[s:e] for s, e in content))
    return all(w.lower().replace("’", "'") in STOP_WORDS for w in words)


def _relays(attribution: Attribution, statements: SpanIndex[Attribution]) -> bool:
    """Whether an "according to" attribution only wraps another one of the same sentence.

    The inner statement then carries the outlet as its ``via``; the wrapper would show the
    reader the same words twice.
    """
    if attribution.cue_word != "according":
        return False
    start, end = _content_bounds(attribution)
    return any(
        other is not attribution and _content_bounds(other)[1] <= end
        for other in statements.starting(start, end)
    )


def _content_bounds(attribution: Attribution) -> tuple[int, int]:
    return attribution.content[0][0], attribution.content[-1][1]


class QuoteAnalyzer:
    name = "quotes"
    version = "12"

    def __init__(self, use_filter: bool = True) -> None:
        self.use_filter = use_filter

    def analyze(self, doc: Document) -> list[Quote]:
        text = doc.text
        quotes: list[Quote] = []
        history = SpeakerHistory()
        resolved: dict[tuple[int, int], Speaker] = {}
        outer_via: list[tuple[int, int, str]] = []
        attributions = find_attributions(doc)
        statements = SpanIndex(attributions, _content_bounds)  # sorted by where content starts
        for attribution in attributions:
            doc.check_deadline()  # a text can hold thousands of statements
            if not attribution.quoted and _says_nothing(text, attribution.content):
                continue  # the block quote after the colon is the statement
            speaker = None
            if attribution.speaker is not None:
                speaker = resolved.get(attribution.speaker)
                if speaker is None:
                    speaker = resolve_speaker(doc, attribution.speaker, history)
                    resolved[attribution.speaker] = speaker
            relayed = speaker is not None and speaker.type == SpeakerType.OUTLET
            if relayed and _relays(attribution, statements):
                continue  # "X said ..., according to Reuters": X's quote comes via Reuters
            cue = None
            if attribution.cue is not None:
                c_start, c_end = attribution.cue
                cue = Cue(
                    text[c_start:c_end], c_start, c_end, attribution.cue_type or CueType.SPEECH
                )
            start = attribution.content[0][0]
            end = attribution.content[-1][1]
            via = via_outlet(doc, attribution, speaker)
            if via is None:
                via = next((v for s, e, v in outer_via if s <= start and end <= e), None)
            if via is not None:
                outer_via.append((start, end, via))
            confidence, passes = scored(doc, attribution, speaker)
            if self.use_filter and not passes:
                continue
            if speaker is not None:
                # a dropped candidate's speaker is no antecedent
                history.add(speaker, speaker_gender(doc, speaker))
            quotes.append(
                Quote(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=attribution.kind,
                    speaker=speaker,
                    cue=cue,
                    via=via,
                    confidence=round(confidence, 3),
                    fragments=list(attribution.content),
                )
            )
        return quotes
