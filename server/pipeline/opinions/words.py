"""The words of a text as the opinion analyzer reads them, and where its sentences, lines and
quotations fall: what every other stage of the analyzer builds on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server.pipeline.document import Document

BOUNDARY = "<s>"


# Words that never carry a judgment at the edge of a phrase ("smear about" -> "smear", "under
# authoritarian" -> "authoritarian"); an
# article left alone when a name after it is blocked ("the Democrats") is no phrase either.
EDGE_WORDS_TEXT = (
    "the a an and or but nor about of to in on at by for with from as than that which who whom "
    "whose is are was were be been being am 's ’s ' s under over into onto upon against through "
    "during within without after before between among whatever whichever"
)


EDGE_WORDS = frozenset(EDGE_WORDS_TEXT.split())


DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "opinions"


@dataclass(slots=True)
class Word:
    """A non-space token of the text, with what the features read from it."""

    start: int
    end: int
    text: str
    lower: str
    line_start: bool  # first word after a line break: a sentence or paragraph starts here


def words_of(doc: Document) -> list[Word]:
    """The document's non-space tokens, marking where a new line begins (memoized in the doc)."""
    if "opinion_words" in doc.memo:
        return doc.memo["opinion_words"]
    text = doc.text
    words: list[Word] = []
    new_line = True
    # Reading four integer columns at once is several times faster than iterating Tokens.
    columns = doc.tokens.to_array(["IDX", "LENGTH", "IS_SPACE"]).tolist() if len(text) else []
    for start, length, is_space in columns:
        end = start + length
        if is_space:
            new_line = new_line or "\n" in text[start:end]
            continue
        token_text = text[start:end]
        words.append(Word(start, end, token_text, token_text.lower(), new_line))
        new_line = False
        following = text[end : end + 1]
        if following == "\n" or (following.isspace() and "\n" in text[end : end + 2]):
            new_line = True
    doc.memo["opinion_words"] = words
    return words


def word_shape(text: str) -> str:
    first = text[0]
    if first.isalpha():
        if text.isupper() and len(text) > 1:
            return "XX"
        return "Xx" if first.isupper() else "x"
    if first.isdigit():
        return "d"
    return text if len(text) == 1 else "p"


def neighbours(words: list[Word], lowers: list[str], i: int) -> tuple[str, str, str, str]:
    """The two words either side of word ``i`` within its line, or the boundary marker."""
    n = len(words)
    prev = BOUNDARY if i == 0 or words[i].line_start else lowers[i - 1]
    prev2 = BOUNDARY if prev == BOUNDARY or i < 2 or words[i - 1].line_start else lowers[i - 2]
    nxt = BOUNDARY if i + 1 >= n or words[i + 1].line_start else lowers[i + 1]
    nxt2 = BOUNDARY if nxt == BOUNDARY or i + 2 >= n or words[i + 2].line_start else lowers[i + 2]
    return prev, prev2, nxt, nxt2


# The words either side of a word whose mean embedding is its context (in the fitting too).
WINDOW = 3


def window_words(lowers: list[str], i: int) -> list[str]:
    """The ``WINDOW`` words before and after word ``i``; the boundary marker past the text."""
    return [
        lowers[j] if 0 <= j < len(lowers) else BOUNDARY
        for j in (*range(i - WINDOW, i), *range(i + 1, i + WINDOW + 1))
    ]


def quoted_words(words: list[Word], regions: list[tuple[int, int]]) -> list[bool]:
    """Whether each word lies inside a quoted region (one sweep over both, in text order)."""
    regions = sorted(regions)
    inside = []
    k = 0
    for word in words:
        while k < len(regions) and regions[k][1] < word.end:
            k += 1
        inside.append(k < len(regions) and regions[k][0] <= word.start)
    return inside


@dataclass(slots=True)
class Candidate:
    """A phrase found by a cue or by the tagger, in word indexes (``last`` inclusive)."""

    first: int
    last: int
    category: str
    reason: str
    score: float
    from_cue: bool


_SENTENCE_END = frozenset(".!?")


_OPENERS = frozenset("\"“‘'([")


_TITLE_MIN_WORDS = 3


_TITLE_SHARE = 0.8


def sentence_starts(words: list[Word]) -> list[bool]:
    """Whether each word begins a sentence (after a line break or closing punctuation)."""
    starts = []
    previous_ends = True
    for word in words:
        starts.append(previous_ends or word.line_start)
        if word.text in _OPENERS:
            continue  # an opening quotation mark does not move the start
        previous_ends = word.text[-1] in _SENTENCE_END
    return starts


def title_case_lines(words: list[Word]) -> list[bool]:
    """Whether each word is on a line in title case ("Gillum Makes Promises He Can't Keep").

    Such a line (a headline) has at least three words of three letters or more, and at least
    four in five of those are capitalised; plain sentences with names stay well below that.
    """
    flags = [False] * len(words)
    line_first = 0
    for i in range(len(words) + 1):
        if i < len(words) and (i == 0 or not words[i].line_start):
            continue
        longer = [w.text for w in words[line_first:i] if w.text.isalpha() and len(w.text) >= 3]
        capitalised = sum(1 for text in longer if text[0].isupper())
        if len(longer) >= _TITLE_MIN_WORDS and capitalised >= _TITLE_SHARE * len(longer):
            flags[line_first:i] = [True] * (i - line_first)
        line_first = i
    return flags


def phrase_text(words: list[Word], first: int, last: int) -> str:
    """The words as the text spaces them (one space for any run of whitespace)."""
    parts = [words[first].text]
    for before, word in zip(words[first:last], words[first + 1 : last + 1], strict=True):
        parts.append(" " + word.text if word.start > before.end else word.text)
    return "".join(parts)


def compound(words: list[Word], first: int, last: int) -> tuple[int, int]:
    """Widen a phrase to whole hyphenated words: "thought-provoking", never "provoking"."""
    while first > 0 and hyphen_joined(words[first - 1], words[first]):
        first -= 1
    while last + 1 < len(words) and hyphen_joined(words[last], words[last + 1]):
        last += 1
    return first, last


def hyphen_joined(left: Word, right: Word) -> bool:
    return left.end == right.start and "-" in (left.text, right.text)
