"""Quotation marks: straight, curly, single, double and angle marks paired into quotations.

Marks are paired by position and context; an unclosed mark closes at its paragraph's end (or
carries into the next paragraph when that one opens with a mark, the multi-paragraph
convention), so one missing mark never loses the rest of the document. Single marks count only
outside double quotations (inside, they are nested quotes) and never as apostrophes.
"""

from __future__ import annotations

import re

from server.pipeline.quotes.types import CharSpan, Quotation

OPEN_DOUBLE = "“„‟«"


CLOSE_DOUBLE = "”»"


OPEN_SINGLE = "‘‚‹"


CLOSE_SINGLE = "’›"


STRAIGHT = "\"'"


ALL_MARKS = OPEN_DOUBLE + CLOSE_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT


_OPENER_CONTEXT = set(" \t\n([{—–-/:;,") | set(OPEN_DOUBLE + OPEN_SINGLE + '"')


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return True  # don't, O'Neil, Rostec’s
    # '90s, ’em
    return bool(not before.isalnum() and re.match(r"\d\ds\b|em\b|til\b|cause\b", text[i + 1 :]))


def _scan_paragraph(text: str, start: int, end: int, double: bool) -> list[list[int | None]]:
    """Pair the marks of one kind in a paragraph into [open, close] (either may be None)."""
    opens = OPEN_DOUBLE if double else OPEN_SINGLE
    closes = CLOSE_DOUBLE if double else CLOSE_SINGLE
    straight = '"' if double else "'"
    pairs: list[list[int | None]] = []
    current: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in opens and ch not in closes and ch != straight:
            continue
        if not double and _is_apostrophe(text, i):
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        opener_like = before in _OPENER_CONTEXT and not after.isspace()
        if ch == "»" and before.isalnum() and not after.isalnum():
            opener_like = False  # »Swiss« style is rare; treat » after a word as closing
        if current is None:
            if ch in opens or (ch == straight and opener_like) or (ch == "»" and opener_like):
                current = i
            elif double and ch in closes and opener_like and (i == start or before.isspace()):
                current = i  # a closing mark used to open ('”Fear. I am afraid...”')
            elif ch in closes or ch == straight:
                if not double and not pairs and i > start and before.isalpha():
                    continue  # plural possessive (the Clintons’ house) without an opener
                # a closing mark with no opener: the quotation ran from the paragraph start
                if not pairs:
                    pairs.append([None, i])
        else:
            if ch in closes or (ch == straight and not opener_like) or ch == "»":
                pairs.append([current, i])
                current = None
            elif ch in opens and double:
                # a new opener while one is open: the earlier one lost its closing mark
                pairs.append([current, None, i])  # type: ignore[list-item]
                current = i
    if current is not None:
        pairs.append([current, None])
    return pairs


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _normalize_marks(text: str) -> str:
    """Same length, with two apostrophes used as one double mark (''Yes,'' he said) made '"'.

    The pair becomes a space and a straight double mark on the side that keeps the pairing
    context: ' "' before a word (opening), '" ' after one (closing)."""
    if "''" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        after = text[match.end()] if match.end() < len(text) else " "
        return ' "' if not after.isspace() and after not in ".,;:!?)" else '" '

    return re.sub(r"(?<!')''(?!')", replace, text)


def scan_quotations(text: str, paragraphs: list[tuple[int, int]]) -> list[Quotation]:
    """Every quotation in the text, in order; never fails on unbalanced marks."""
    text = _normalize_marks(text)
    found: list[Quotation] = []
    carried: Quotation | None = None  # an open multi-paragraph quotation
    # the found quotations that may reach into this paragraph: its own, and one carried into
    # it (a scan of every found quotation made texts of many quoted paragraphs quadratic)
    reaching: list[Quotation] = []
    checked = 0
    for index in range(len(paragraphs)):
        carried = _double_quotations(text, paragraphs, index, found, carried)
        reaching = [q for q in reaching + found[checked:] if q.end >= paragraphs[index][0]]
        checked = len(found)
        found.extend(_single_quotations(text, *paragraphs[index], reaching))
    found.sort(key=lambda q: q.start)
    return found


def _double_quotations(
    text: str,
    paragraphs: list[tuple[int, int]],
    index: int,
    found: list[Quotation],
    carried: Quotation | None,
) -> Quotation | None:
    """Add the paragraph's double-mark quotations to ``found``, or to the quotation carried
    from the paragraph before; returns the one that carries into the next paragraph."""
    p_start, p_end = paragraphs[index]
    pairs = _scan_paragraph(text, p_start, p_end, double=True)
    for pair in pairs:
        open_mark, close_mark = pair[0], pair[1]
        # an unclosed quotation ends where the next one opens, or at the paragraph's end
        limit = pair[2] if len(pair) > 2 else p_end
        start = p_start if open_mark is None else open_mark + 1
        content = _content(text, start, limit if close_mark is None else close_mark)
        if content.end <= content.start:
            continue
        if carried is not None and open_mark == p_start:
            carried.pieces.append(content)
            carried.close_mark = close_mark
            if not (close_mark is None and pair is pairs[-1]):
                carried = None
            continue
        carried = None
        quotation = Quotation([content], open_mark, close_mark)
        found.append(quotation)
        next_opens = index + 1 < len(paragraphs) and text[paragraphs[index + 1][0]] in (
            OPEN_DOUBLE + '"'
        )
        if close_mark is None and pair is pairs[-1] and len(pair) == 2 and next_opens:
            carried = quotation
    return carried if pairs else None


def _single_quotations(
    text: str, p_start: int, p_end: int, reaching: list[Quotation]
) -> list[Quotation]:
    """The paragraph's single-mark quotations, only outside the double ones reaching into it:
    inside they are nested quotes."""
    double_spans = [(q.outer_start, q.outer_end) for q in reaching]
    singles = []
    for pair in _scan_paragraph(text, p_start, p_end, double=False):
        open_mark, close_mark = pair[0], pair[1]
        if open_mark is None or close_mark is None:
            continue
        if any(s <= open_mark < e for s, e in double_spans):
            continue
        content = _content(text, open_mark + 1, close_mark)
        if content.end > content.start:
            singles.append(Quotation([content], open_mark, close_mark, double=False))
    return singles


def _content(text: str, start: int, end: int) -> CharSpan:
    """The quoted words between two marks, without a comma before the closing one ('"We
    will," he said')."""
    start, end = _trim(text, start, end)
    while end > start and text[end - 1] in ", ":
        end -= 1
    return CharSpan(start, end)
