"""The values passed between the stages of the quote analyzer."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate
from typing import Generic, NamedTuple, TypeVar

from server.pipeline.types import CueType, QuoteKind


class CharSpan(NamedTuple):
    """Characters ``start..end`` (end exclusive) of the document's text."""

    start: int
    end: int


class TokenRange(NamedTuple):
    """Tokens ``first..stop`` (stop exclusive) of one sentence's token list."""

    first: int
    stop: int


@dataclass(slots=True)
class CueMatch:
    """A cue in a sentence: its tokens and what it says the speaker did."""

    first: int
    stop: int
    type: CueType


class Side(StrEnum):
    """Where a sentence's content lies from its cue and speaker."""

    BEFORE = "before"  # '"...," she said' and 'The plan, he said, is to wait.'
    AFTER = "after"  # "She said the plan failed."
    AFTER_SPEAKER = "after_speaker"  # "According to X, the plan failed."
    PASSIVE = "passive"  # "The move was first reported by the Miami Herald."


class Shape(StrEnum):
    """How a statement was found: a feature the statement filter weighs (``feature_schema``).

    A sentence's statement has its content's side, "-generic" where its cue is no lexicon word
    ("X insists that ..."). A quotation no cue of its sentence claims is named by its source,
    "block-" when it fills its paragraph and "unmarked-" when the page dropped its marks.
    """

    BEFORE = "before"
    BEFORE_GENERIC = "before-generic"
    AFTER = "after"
    AFTER_GENERIC = "after-generic"
    AFTER_SPEAKER = "after_speaker"
    AFTER_SPEAKER_GENERIC = "after_speaker-generic"
    PASSIVE = "passive"
    PASSIVE_GENERIC = "passive-generic"
    AGENTLESS = "agentless"  # "Roof is accused of ...": nobody is named as saying it
    NESTED = "nested"  # an attribution inside a block quote
    HEADLINE = "headline"  # "Lynch: No outside influence"
    # quotations without a cue of their own, by where their source is
    UNATTRIBUTED = "unattributed"
    INTRO = "intro"  # a colon line: "Here's what the Journal reported:"
    INTRO_SUBJECT = "intro-subject"  # "Sanders made the following comment:"
    DASH = "dash"  # '"..." ― Carla Sanchez'
    LABEL = "label"  # 'Rep. Trey Gowdy (R-S.C.): "..."'
    PASSAGE = "passage"  # the speaker of the passage around it
    BLOCK_UNATTRIBUTED = "block-unattributed"
    BLOCK_INTRO = "block-intro"
    BLOCK_INTRO_SUBJECT = "block-intro-subject"
    BLOCK_DASH = "block-dash"
    BLOCK_LABEL = "block-label"
    BLOCK_PASSAGE = "block-passage"
    UNMARKED_UNATTRIBUTED = "unmarked-unattributed"
    UNMARKED_INTRO = "unmarked-intro"
    UNMARKED_INTRO_SUBJECT = "unmarked-intro-subject"
    UNMARKED_DASH = "unmarked-dash"
    UNMARKED_LABEL = "unmarked-label"
    UNMARKED_PASSAGE = "unmarked-passage"
    UNMARKED_BLOCK_UNATTRIBUTED = "unmarked-block-unattributed"
    UNMARKED_BLOCK_INTRO = "unmarked-block-intro"
    UNMARKED_BLOCK_INTRO_SUBJECT = "unmarked-block-intro-subject"
    UNMARKED_BLOCK_DASH = "unmarked-block-dash"
    UNMARKED_BLOCK_LABEL = "unmarked-block-label"
    UNMARKED_BLOCK_PASSAGE = "unmarked-block-passage"


# The sources a quotation's shape names as they are; any other source is its passage's.
SOURCE_SHAPES = frozenset({Shape.INTRO, Shape.INTRO_SUBJECT, Shape.DASH, Shape.LABEL})


def sentence_shape(side: Side, generic: bool) -> Shape:
    return _SENTENCE_SHAPES[side, generic]


def quotation_shape(source: Shape, unmarked: bool, block: bool) -> Shape:
    return _QUOTATION_SHAPES[source, unmarked, block]


# Looked up once per statement; built here so that every combination is a Shape.
_SENTENCE_SHAPES = {
    (side, generic): Shape(f"{side}-generic" if generic else side)
    for side in Side
    for generic in (False, True)
}
_QUOTATION_SHAPES = {
    (source, unmarked, block): Shape(
        ("unmarked-" if unmarked else "") + ("block-" if block else "") + source
    )
    for source in (*SOURCE_SHAPES, Shape.UNATTRIBUTED, Shape.PASSAGE)
    for unmarked in (False, True)
    for block in (False, True)
}


@dataclass(slots=True)
class Quotation:
    """Material between quotation marks: ``pieces`` are content spans, one per paragraph."""

    pieces: list[CharSpan]
    open_mark: int | None  # position of the opening mark, None if it was missing
    close_mark: int | None  # position of the closing mark, None if it was missing
    double: bool = True

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    @property
    def outer_start(self) -> int:
        return self.open_mark if self.open_mark is not None else self.start

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    quote: Quotation | None = None  # set for the one pseudo-token standing for a quotation

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


@dataclass(slots=True)
class Attribution:
    """A found statement before speaker resolution."""

    content: list[CharSpan]
    cue: CharSpan | None
    cue_type: CueType | None
    speaker: CharSpan | None
    quoted: bool  # the content is (or contains) a quotation
    whole_quote: bool  # the content is exactly one quotation
    confidence: float
    shape: Shape
    paragraph: int = 0
    quotations: list[Quotation] = field(default_factory=list)
    cue_word: str = ""

    @property
    def kind(self) -> QuoteKind:
        if self.whole_quote:
            return QuoteKind.DIRECT
        return QuoteKind.MIXED if self.quoted else QuoteKind.INDIRECT


@dataclass(slots=True)
class SentenceState:
    """One sentence being read cue by cue, and what each statement leaves for the next."""

    text: str
    tokens: list[Token]
    end: int  # where the sentence's characters end
    lexicon: dict[str, CueType]
    floor: int = 0  # content before a cue starts after the previous attribution
    previous_speaker: TokenRange | None = None
    previous_cue: int = 0  # where the cue of previous_speaker ends
    question_end: int | None = None  # where an unnamed "Asked if ...," question ends


@dataclass(slots=True)
class CueContext:
    """A cue where it stands in its sentence."""

    first: int  # its tokens first..stop
    stop: int
    type: CueType
    word: str  # its first word, lowercase
    next_cue: int  # where the next cue starts (the sentence's end if none)
    before: Token | None  # the token before it, if after the sentence's floor
    after_break: bool  # it follows a comma, colon, dash or quotation (or opens)
    participle: bool  # ", saying ..."


@dataclass(slots=True)
class Speaking:
    """Who speaks for a cue, and what that already fixes about where the content lies."""

    speaker: TokenRange | None
    region_start: int  # where the cue's region starts: the cue, or its speaker on the left
    said_as: TokenRange  # what a passive cue's speaker called it: 'as “heartbreaking”'
    side: Side | None = None
    agentless: bool = False  # "Roof is accused of ...": nobody is named as saying it


_T = TypeVar("_T")


class SpanIndex(Generic[_T]):
    """Things with a (start, end) in text order, possibly nested (a quotation inside another),
    and the ones that overlap a stretch of text, found by bisection: thousands of quotations,
    tokens or outlet mentions stay linear, never quadratic."""

    def __init__(self, items: Sequence[_T], bounds: Callable[[_T], tuple[int, int]]) -> None:
        self.items = list(items)
        self.bounds = bounds
        self.opens = [bounds(item)[0] for item in self.items]
        self.reach = list(accumulate((bounds(item)[1] for item in self.items), max))

    def overlapping(self, start: int, end: int) -> list[_T]:
        """The items that open before ``end`` and close after ``start``."""
        window = self.items[bisect_right(self.reach, start) : bisect_left(self.opens, end)]
        return [item for item in window if self.bounds(item)[1] > start]

    def starting(self, low: int, high: int) -> list[_T]:
        """The items that open within ``low..high`` (inclusive)."""
        return self.items[bisect_left(self.opens, low) : bisect_right(self.opens, high)]


def outer_span(quotation: Quotation) -> tuple[int, int]:
    """A quotation's bounds with its marks, as ``SpanIndex`` reads them (a plain pair: the
    index calls it for every quotation it passes over)."""
    return quotation.outer_start, quotation.outer_end
