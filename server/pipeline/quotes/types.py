"""The values passed between the stages of the quote analyzer."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Generic, TypeVar


@dataclass(slots=True)
class Quotation:
    """Material between quotation marks: ``pieces`` are content spans, one per paragraph."""

    pieces: list[tuple[int, int]]
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

    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    cue_type: str | None
    speaker: tuple[int, int] | None
    quoted: bool  # the content is (or contains) a quotation
    whole_quote: bool  # the content is exactly one quotation
    confidence: float
    paragraph: int = 0
    quotations: list[Quotation] = field(default_factory=list)
    shape: str = ""  # how it was found: before/after/passive/passage/labelled/nested/...
    cue_word: str = ""


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
    return quotation.outer_start, quotation.outer_end
