"""Content: where what was said starts and stops around a cue.

After the cue, time and channel phrases ('on Monday', 'in a statement'), a 'that' and the
listener of 'told' belong to neither side; the content stops before a following ', he said' or
a clause the same speaker goes on with ('..., but also gave him more time'). A piece that is
exactly one quotation becomes that quotation's pieces.
"""

from __future__ import annotations

import re

from server.pipeline.quotes.data import word_list
from server.pipeline.quotes.marks import CLOSE_DOUBLE
from server.pipeline.quotes.sentences import ends_clause, is_punct
from server.pipeline.quotes.types import CharSpan, Quotation, Token
from server.pipeline.quotes.vocabulary import (
    CUE_MODIFIERS,
    DAYS,
    DETERMINERS,
    LEADING_ADVERBIAL,
    SUBJECTS,
    TRAILER_PREPOSITIONS,
)

_CUE_COMPLEMENT = re.compile(
    r"\s*,?\s*(?:"
    rf"(?:on|late|early|last|this|next)?\s*{DAYS}(?!['’]s)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:last|this|earlier|later|next)\s+(?:week|month|year|summer|spring|fall|winter|night)"
    r"|(?:yesterday|today|tonight|recently|earlier|later|previously|publicly|privately|again"
    r"|also|repeatedly|once|then|afterward|afterwards|flatly|bluntly|simply|firmly|matter-of-factly)"
    r"|in\s+(?:a|an|the|his|her|their|its|one)\s+(?:\w+\s+){0,2}?(?:statement|interview|letter"
    r"|email|e-mail|tweet|post|speech|op-ed|release|conference|call|video|memo|report|filing"
    r"|message|appearance|note|essay|column|editorial|broadcast|remarks|address|briefing"
    r"|hearing|debate|rally|event|meeting|session|town hall|podcast|book)"
    r"(?:\s+(?:with|to|on|for)\s+(?:the\s+)?(?:[A-Z][\w.&'’-]*\s*)+)?"
    r"|on\s+(?:Twitter|Facebook|Instagram|X|[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)*)"
    r"|(?:to\s+)?reporters|to\s+(?:the\s+)?(?:press|media|crowd|audience|supporters)"
    r"|in\s+(?:an?\s+)?(?:interview|statement)"
    r")\b"
)


TRAILING_COMPLEMENT = re.compile(
    r"(?:,?\s+(?:in\s+(?:a|an|his|her|their)\s+(?:tweet|statement|interview|speech|post|letter|"
    r"email|video|op-ed)|on\s+(?:Twitter|Facebook|Instagram)|(?:on\s+|late\s+|early\s+)?"
    rf"{DAYS}(?:\s+(?:morning|afternoon|evening|night))?|(?:last|this)\s+(?:week|month|year)"
    r"|yesterday|today|tonight))+[.!?\"”’']*\s*$"
)


THAT_OR_COLON = re.compile(r"\s*,?\s*(?:that\b|:)\s*")


def skip_complement(text: str, position: int, limit: int) -> int:
    """Skip time/channel phrases and a 'that' after a cue: they belong to neither side."""
    while True:
        match = _CUE_COMPLEMENT.match(text, position, limit)
        if not match or match.end() == position:
            break
        position = match.end()
    match = THAT_OR_COLON.match(text, position, limit)
    if match:
        position = match.end()
    while position < limit and text[position] in " ,":
        position += 1
    return position


def strip_content(text: str, start: int, end: int) -> CharSpan:
    """Drop surrounding spaces, commas and sentence punctuation (not quotation marks)."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.!?—–-"):
        end -= 1
    return CharSpan(start, end)


_LISTENERS = word_list("listeners")


_CLAUSE_CUTS = word_list("clause_cuts")


_OBJECT_STOPS = word_list("object_stops")


def object_end(tokens: list[Token], start: int, last: int) -> int:
    """End of the object phrase that starts at character ``start``: its first stop word."""
    for token in tokens:
        if token.start < start or token.start >= last:
            continue
        if (
            token.quote is None
            and (
                token.lower in _OBJECT_STOPS
                or token.text in ",;:—–()"
                or re.fullmatch(DAYS, token.text)
            )
            and token.start > start
        ):
            return token.start
    return last


def content_limit(tokens: list[Token], cue_end: int, next_cue: int, s_end: int) -> tuple[int, int]:
    """Where content after a cue stops: before a following ', he said' or ', adding',
    but not before a nested attribution ('said Clinton told him that ...').

    Returns (character end, index of the first token after the content)."""
    n = len(tokens)
    for k in range(cue_end + 2, next_cue - 1):
        # 'praised his work, but also gave him more time', 'called it “terrible,” but ...'
        previous = tokens[k - 1]
        if ends_clause(previous) and tokens[k].lower in _CLAUSE_CUTS:
            stop = k - 1 if previous.text == "," else k
            return tokens[stop].start, stop
        if (
            tokens[k].lower in {"while", "whereas"}
            and k + 1 < n
            and (tokens[k + 1].text[:1].isupper() or tokens[k + 1].lower in SUBJECTS)
        ):
            return tokens[k].start, k  # "accuses Sanders of a smear while Sanders suggests"
    if next_cue >= n:
        return s_end, n
    k = next_cue - 1
    while k > cue_end and tokens[k].lower in CUE_MODIFIERS:
        k -= 1
    if k > cue_end and tokens[k].lower in {"and", "but"}:
        # "called Trump a “blowhard,” and said ...": a second verb of the same speaker
        stop = k - 1 if k - 1 > cue_end and tokens[k - 1].text == "," else k
        return tokens[stop].start, stop
    k = next_cue - 1
    while k >= cue_end and next_cue - k <= 6:
        if tokens[k].quote is not None:
            break
        if is_punct(tokens[k], ",;—–"):
            return tokens[k].start, k + 1
        k -= 1
    return s_end, n


_ADVERBIAL_STARTS = TRAILER_PREPOSITIONS | word_list("adverbial_starts")


def adverbial_lead(tokens: list[Token], floor: int, region_start: int) -> bool:
    """The words before the speaker are a short scene-setter ('In her 2003 book,')."""
    lead = [t for t in tokens[floor:region_start] if t.quote is None and t.text[:1].isalnum()]
    return (
        bool(lead)
        and len(lead) <= 8
        and lead[0].lower in LEADING_ADVERBIAL
        and not any(t.quote is not None for t in tokens[floor:region_start])
    )


def only_adverbial(rest: str) -> bool:
    """Text after a cue that only says when, where or how it was said."""
    first = re.match(r"\W*(\w+)", rest)
    if not first:
        return True
    word = first.group(1)
    return word.lower() in _ADVERBIAL_STARTS or (
        word.islower() and word.endswith(("ly", "ing"))  # "said, looking off into the distance"
    )


def skip_listener(tokens: list[Token], cue_end: int, limit: int, position: int) -> int:
    """After 'told': skip who was told ('CNN's Jake Tapper', 'reporters', 'the crowd')."""
    k = cue_end
    if k < limit and tokens[k].lower in DETERMINERS:
        k += 1
        # "the hosts on WEEI", "a voter": the listener's noun, then its name
        while (
            k < limit and k - cue_end < 3 and tokens[k].text.isalpha() and tokens[k].text.islower()
        ):
            if tokens[k].lower in {"that", "about", "to", "in", "he", "she", "they", "it"}:
                break
            k += 1
        if (
            k + 1 < limit
            and tokens[k].lower in {"on", "at", "of"}
            and tokens[k + 1].text[:1].isupper()
        ):
            k += 1
    while k < limit and k - cue_end < 6:
        if (
            tokens[k].quote is not None
            and k > cue_end
            and tokens[k - 1].text[:1].isupper()
            and len(tokens[k].text.split()) <= 4
        ):
            k += 1  # a show's title: "told NBC's “Today”"
            continue
        if not (
            tokens[k].quote is None
            and (tokens[k].text[:1].isupper() or tokens[k].lower in _LISTENERS)
        ):
            break
        k += 1
    return tokens[k - 1].end if k > cue_end else position


def quote_before(tokens: list[Token], region_start: int, floor: int) -> int | None:
    """Index of a quotation that ends a clause just before the speaker ('"Q," X, a Y, said')."""
    j = region_start - 1
    while j >= floor and region_start - j <= 16 and tokens[j].quote is None:
        if tokens[j].text in ".!?;" or tokens[j].lower in {"that", "and", "but"}:
            return None
        j -= 1
    if j < floor or tokens[j].quote is None:
        return None
    inner = tokens[j].text.rstrip(CLOSE_DOUBLE + "\"'’ ")
    follows = tokens[j + 1].text if j + 1 < len(tokens) else ""
    if inner[-1:] in {",", "?", "!", "—", "-"} or follows == ",":
        return j
    return None


ENDS_IN_WHAT = re.compile(r"(?i)\bwhat\s*$")


_PARTICLES = word_list("particles")


def particle_phrase(text: str, content: list[CharSpan]) -> bool:
    """Content that is a verb's particle and a word or two ("into question", "up short")."""
    words = re.findall(r"\w+", " ".join(text[a:b] for a, b in content))
    return len(words) <= 3 and bool(words) and words[0].lower() in _PARTICLES


def fit_to_quotes(text: str, content: list[CharSpan], quotes_in: list[Quotation]) -> list[CharSpan]:
    """A content piece that is one quotation (plus punctuation) becomes the quoted pieces."""
    fitted = []
    for start, end in content:
        for quotation in quotes_in:
            if start > quotation.outer_start or end < quotation.start:
                continue
            outside = text[start : quotation.outer_start] + text[quotation.outer_end : end]
            if quotation.outer_end >= end and not re.search(r"\w", outside):
                fitted.extend(quotation.pieces)
                break
        else:
            fitted.append(CharSpan(start, end))
    return fitted
