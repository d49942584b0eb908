"""The document's statements: every sentence's attributions, then the quotations no cue claimed.

A quotation left without a cue takes the speaker of the surrounding passage when the passage
makes it plain (see ``sources``); a short one inside a sentence is a scare quote or a title
and is dropped. A block quote's own attributions ('..., said a person close to the ministry.')
are statements too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.pipeline.document import Document
from server.pipeline.quotes.attribution import attribute_chunks, attribute_sentence
from server.pipeline.quotes.cues import cue_lexicon
from server.pipeline.quotes.marks import CLOSE_DOUBLE
from server.pipeline.quotes.regions import MIN_QUOTE_WORDS, quotations
from server.pipeline.quotes.sentences import plain_tokens, sentence_tokens, split_sentences
from server.pipeline.quotes.sources import (
    colon_intro,
    headline_statement,
    inline_intros,
    labelled_source,
    passage_source,
    verb_lead,
)
from server.pipeline.quotes.types import (
    SOURCE_SHAPES,
    Attribution,
    Quotation,
    Shape,
    SpanIndex,
    outer_span,
    quotation_shape,
)
from server.pipeline.types import CueType


def _quote_words(text: str, quotation: Quotation) -> int:
    return sum(len(re.findall(r"\w+", text[s:e])) for s, e in quotation.pieces)


def _starts_sentence(text: str, quotation: Quotation, paragraph_start: int) -> bool:
    before = text[paragraph_start : quotation.outer_start].rstrip()
    return not before or before[-1] in ".!?:" or before[-1] in CLOSE_DOUBLE + '"'


def find_attributions(doc: Document) -> list[Attribution]:
    """All statements in the document, memoized (speakers not yet resolved)."""
    if "attributions" in doc.memo:
        return doc.memo["attributions"]
    lexicon = cue_lexicon()
    all_quotes = quotations(doc)
    quote_spans = SpanIndex(all_quotes, outer_span)  # quotations are found in text order
    passages = _sentence_statements(doc, quote_spans, lexicon)
    if doc.paragraphs:
        title = headline_statement(doc.text, *doc.paragraphs[0])
        if title is not None:
            title.quotations = quote_spans.overlapping(*title.content[0])
            passages.keep(title)
    _add_unclaimed(doc, all_quotes, passages, lexicon)
    found = passages.found
    found.sort(key=lambda a: a.content[0][0])
    doc.memo["attributions"] = found
    return found


@dataclass(slots=True)
class _Passages:
    """What the document's sentences say, by paragraph: their statements, and what introduces
    the quotations that no cue of their own sentence claims."""

    found: list[Attribution] = field(default_factory=list)
    paragraph_of: dict[int, int] = field(default_factory=dict)  # quotation id -> paragraph
    last_in_paragraph: dict[int, Attribution] = field(default_factory=dict)
    # paragraphs ending with a colon that introduce quotes
    intro: dict[int, Attribution] = field(default_factory=dict)
    # quotations after 'X apologized:' in a sentence, by quotation id
    inline_intro: dict[int, Attribution] = field(default_factory=dict)
    # each paragraph's statements that name a speaker, in the order found: the passage's voices
    speaking: dict[int, list[Attribution]] = field(default_factory=dict)

    def keep(self, attribution: Attribution) -> None:
        self.found.append(attribution)
        if attribution.speaker:
            self.speaking.setdefault(attribution.paragraph, []).append(attribution)


def _sentence_statements(
    doc: Document, quote_spans: SpanIndex[Quotation], lexicon: dict[str, CueType]
) -> _Passages:
    """Every sentence's attributions, and the colon lines that introduce quotations."""
    text = doc.text
    passages = _Passages()
    for p_index, (p_start, p_end) in enumerate(doc.paragraphs):
        in_paragraph = quote_spans.overlapping(p_start, p_end)
        for s_start, s_end in split_sentences(text, p_start, p_end, in_paragraph):
            doc.check_deadline()  # a paragraph can be one endless run of sentences
            tokens = sentence_tokens(text, s_start, s_end, quote_spans.overlapping(s_start, s_end))
            for attribution in attribute_chunks(text, tokens, s_end, lexicon):
                attribution.paragraph = p_index
                passages.keep(attribution)
                passages.last_in_paragraph[p_index] = attribution
            if text[s_start:s_end].rstrip().endswith(":"):
                intro_attribution = colon_intro(text, tokens, lexicon)
                if intro_attribution is not None:
                    intro_attribution.paragraph = p_index
                    passages.intro[p_index] = intro_attribution
            passages.inline_intro.update(inline_intros(text, tokens, lexicon))
        for quotation in in_paragraph:
            passages.paragraph_of.setdefault(id(quotation), p_index)
    return passages


def _add_unclaimed(
    doc: Document, all_quotes: list[Quotation], passages: _Passages, lexicon: dict[str, CueType]
) -> None:
    """Quotations no cue claimed: the speaker of the passage, when the passage makes it plain."""
    text, found = doc.text, passages.found
    claimed = {id(q) for a in found for q in a.quotations}
    carried: dict[int, Attribution] = {}
    last_block_source: Attribution | None = None
    for quotation in all_quotes:
        if id(quotation) in claimed or not quotation.double:
            continue
        p_index = passages.paragraph_of.get(id(quotation), 0)
        p_start = doc.paragraphs[p_index][0] if doc.paragraphs else 0
        if _quote_words(text, quotation) < MIN_QUOTE_WORDS or not _starts_sentence(
            text, quotation, p_start
        ):
            continue
        source = (
            labelled_source(text, quotation, p_start)
            or passages.inline_intro.get(id(quotation))
            or verb_lead(text, quotation, p_start)
            or passage_source(
                quotation,
                p_index,
                passages.speaking.get(p_index, []),
                passages.intro,
                carried,
                passages.last_in_paragraph,
            )
        )
        block = _is_block(text, quotation, doc.paragraphs, p_index)
        if block and source is None and p_index > 0 and _ends_with_colon(doc, p_index - 1):
            # a second block quote from the same report: 'But now, ... the military:'
            source = last_block_source
        if block and source is not None:
            last_block_source = source
        passages.keep(_quotation_statement(quotation, source, p_index, block))
        if source is not None:
            carried[p_index] = source
        if block:
            for nested in _nested(doc, quotation, lexicon, p_index):
                passages.keep(nested)


def _quotation_statement(
    quotation: Quotation, source: Attribution | None, p_index: int, block: bool
) -> Attribution:
    """A quotation as the statement of its source (None: of nobody the text names)."""
    return Attribution(
        content=list(quotation.pieces),
        cue=source.cue if source else None,
        cue_type=source.cue_type if source else None,
        speaker=source.speaker if source else None,
        quoted=True,
        whole_quote=True,
        confidence=0.6 if source else 0.3,
        paragraph=p_index,
        quotations=[quotation],
        shape=quotation_shape(
            Shape.UNATTRIBUTED
            if source is None
            else source.shape
            if source.shape in SOURCE_SHAPES
            else Shape.PASSAGE,
            unmarked=quotation.open_mark is None and quotation.close_mark is None,
            block=block,
        ),
        cue_word=source.cue_word if source else "",
    )


def _ends_with_colon(doc: Document, p_index: int) -> bool:
    start, end = doc.paragraphs[p_index]
    return doc.text[start:end].rstrip().endswith(":")


def _is_block(
    text: str, quotation: Quotation, paragraphs: list[tuple[int, int]], p_index: int
) -> bool:
    """A quotation that fills its paragraph(s): a block quote."""
    p_start, _ = paragraphs[p_index]
    first_piece_paragraph = text[p_start : quotation.outer_start].strip()
    tail = text[quotation.outer_end : quotation.outer_end + 200].split("\n", 1)[0].strip()
    return not first_piece_paragraph and not re.search(r"\w", tail)


def _nested(
    doc: Document, quotation: Quotation, lexicon: dict[str, CueType], p_index: int
) -> list[Attribution]:
    """Attributions inside a block quote ('..., said a person close to the ministry.')."""
    nested: list[Attribution] = []
    for start, end in quotation.pieces:
        for s_start, s_end in split_sentences(doc.text, start, end, []):
            tokens = plain_tokens(doc.text, s_start, s_end)
            for attribution in attribute_sentence(doc.text, tokens, s_end, lexicon):
                if attribution.speaker is not None:
                    attribution.paragraph = p_index
                    attribution.confidence = 0.5
                    attribution.shape = Shape.NESTED
                    nested.append(attribution)
    return nested
