"""Attributed statements: who said (wrote, believes, found) what, and through which outlet.

Everything here runs on regular expressions and a fitted cue lexicon, no tagger or parser: the
parser alone would cost more than this analyzer's whole budget (see ``nlp.py``), and news
prose states attribution in a handful of fixed shapes that word patterns read reliably.
The stages, each a module of this package:

1. ``marks`` pairs quotation marks into quotations: straight, curly, single, double and angle
   marks by position and context; an unclosed mark closes at its paragraph's end (or carries
   into the next paragraph when that one opens with a mark, the multi-paragraph convention),
   so one missing mark never loses the rest of the document. ``regions`` adds block quotes
   whose marks the page dropped, and tells every analyzer where quoted words are.
2. ``sentences`` splits each paragraph into sentences, never inside a quotation, so ``"A. B,"
   he said`` stays one unit with its attribution, and reads them as tokens.
3. ``attribution`` reads each sentence's cue words (``cues``: ``said``, ``according to``,
   ``believes``... from a lexicon fitted on PolNeAR train, ``server/data/quotes``), who speaks
   for each (``speaking``, over the phrases of ``speakers``, ``speakers_after`` and
   ``subjects``) and the content on the side the sentence's shape points to (``content``).
4. ``statements`` gathers them; quotations left without a cue take the speaker of the
   surrounding passage when the passage makes it plain (``sources``: the same paragraph, or
   the paragraph that introduced them with a colon); short ones inside a sentence are scare
   quotes or titles and are dropped.
5. ``resolution`` types each speaker (``speaker_types``) and names it as fully as the article
   does (``names``, and ``coreference`` for pronouns and roles); ``relays`` links a statement
   to the outlet it came through (``via``) using the outlet analyzer's mentions.
6. The patterns over-generate on purpose; a logistic filter fitted on train (``confidence``,
   ``filter.json``) scores each candidate from how it was found, and its probability is the
   quote's ``confidence``. Candidates under the dev-chosen thresholds are dropped.

This module runs the stages in order over a document (``QuoteAnalyzer``).

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
from server.pipeline.quotes.types import Attribution, CharSpan, SpanIndex
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


def _cue(text: str, attribution: Attribution) -> Cue | None:
    if attribution.cue is None:
        return None
    start, end = attribution.cue
    return Cue(text[start:end], start, end, attribution.cue_type or CueType.SPEECH)


class QuoteAnalyzer:
    name = "quotes"
    version = "17"

    def __init__(self, use_filter: bool = True) -> None:
        self.use_filter = use_filter

    def analyze(self, doc: Document) -> list[Quote]:
        text = doc.text
        quotes: list[Quote] = []
        history = SpeakerHistory()
        resolved: dict[CharSpan, Speaker] = {}
        outer_via: list[tuple[int, int, str]] = []
        attributions = find_attributions(doc)
        statements = SpanIndex(attributions, _content_bounds)  # sorted by where content starts
        for attribution in attributions:
            doc.check_deadline()  # a text can hold thousands of statements
            if not attribution.quoted and _says_nothing(text, attribution.content):
                continue  # the block quote after the colon is the statement
            speaker = None
            if attribution.speaker is not None:
                if attribution.speaker not in resolved:  # a speaker of several statements
                    resolved[attribution.speaker] = resolve_speaker(
                        doc, attribution.speaker, history
                    )
                speaker = resolved[attribution.speaker]
            relayed = speaker is not None and speaker.type == SpeakerType.OUTLET
            if relayed and _relays(attribution, statements):
                continue  # "X said ..., according to Reuters": X's quote comes via Reuters
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
                    cue=_cue(text, attribution),
                    via=via,
                    confidence=round(confidence, 3),
                    fragments=list(attribution.content),
                )
            )
        return quotes
