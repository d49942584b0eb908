"""Sentences and tokens: a paragraph split into sentences, never inside a quotation, so
'"A. B," he said' stays one unit with its attribution; each sentence read as word and
punctuation tokens, each quotation collapsed into one token.
"""

from __future__ import annotations

import re

from server.pipeline.quotes.data import word_list
from server.pipeline.quotes.marks import ALL_MARKS, CLOSE_DOUBLE
from server.pipeline.quotes.types import Quotation, SpanIndex, Token, outer_span

_WORD = re.compile(r"\w+(?:['’-]\w+)*|--|[^\w\s]", re.UNICODE)


DASHES = frozenset({"—", "–", "--"})


ABBREVIATIONS = word_list("abbreviations")


PRONOUNS = word_list("pronouns")


# After '?"' a capital may still continue the sentence: '"Why?" Vitter demanded.'
_CUE_AHEAD = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){0,5}(?:said|says|asked|asks|demanded|added|wrote|told|tweeted"
    r"|shouted|replied|responded|continued|exclaimed|declared|noted|insisted|wondered)\b"
    r"|(?:said|says|asked|asks|added|wrote|replied|continued)\s+[A-Z]"
)


def split_sentences(
    text: str, start: int, end: int, quotes: list[Quotation]
) -> list[tuple[int, int]]:
    """Sentence spans in a paragraph, never splitting inside a quotation."""
    protected = SpanIndex(sorted((q for q in quotes if q.double), key=outer_span), outer_span)
    bounds = []
    sentence_start = start
    for match in re.finditer(
        r"[.!?]+[\"'”’»)\]]*(\s+)(?=[\"“‘'«(\[]{0,2}[A-Z0-9])", text[start:end]
    ):
        cut = start + match.start(1)
        if protected.overlapping(cut, cut):  # a quotation opens before the cut and goes on
            continue
        ending = match.group()
        if re.match(r"[!?]+[\"”’']", ending) and _CUE_AHEAD.match(text, start + match.end()):
            continue
        # the word before the cut; a bounded window keeps a run of initials ("A. A. A.") linear
        word = re.search(r"([\w.]+)[.!?]*[\"'”’»)\]]*$", text[max(sentence_start, cut - 64) : cut])
        if word:
            token = word.group(1).lower().rstrip(".")
            following = re.match(
                r"\W{0,2}(\w{2,})", text[start + match.end() : start + match.end() + 24]
            )
            opens_sentence = (
                following is not None and following.group(1).lower() in LEADING_NON_NAME
            )
            if (token in ABBREVIATIONS and not opens_sentence) or (
                len(token) == 1 and token.isalpha()
            ):
                continue  # "Sen. Warren", "J. Smith"; but "St. Louis, Mo. The resolution"
        bounds.append((sentence_start, cut))
        sentence_start = start + match.end()
    bounds.append((sentence_start, end))
    return [span for span in bounds if span[1] > span[0]]


def sentence_tokens(text: str, start: int, end: int, quotes: list[Quotation]) -> list[Token]:
    """Word and punctuation tokens, with each quotation collapsed into one token."""
    tokens: list[Token] = []
    position = start
    for quotation in quotes:
        if quotation.outer_end <= start or quotation.outer_start >= end:
            continue
        q_start, q_end = max(quotation.outer_start, start), min(quotation.outer_end, end)
        tokens.extend(plain_tokens(text, position, q_start))
        tokens.append(Token(q_start, q_end, text[q_start:q_end], quotation))
        position = q_end
    tokens.extend(plain_tokens(text, position, end))
    return tokens


def plain_tokens(text: str, start: int, end: int) -> list[Token]:
    """Words and punctuation; a title or initial keeps its period ("Mr.", "B.")."""
    tokens: list[Token] = []
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        if word in ALL_MARKS:
            continue
        if word == "." and tokens and tokens[-1].end == match.start():
            previous = tokens[-1]
            if previous.lower in ABBREVIATIONS or (
                len(previous.text) == 1 and previous.text.isupper()
            ):
                tokens[-1] = Token(previous.start, match.end(), text[previous.start : match.end()])
                continue
        tokens.append(Token(match.start(), match.end(), word))
    return tokens


def is_punct(token: Token, chars: str = ",;:()[]—–-") -> bool:
    return token.quote is None and token.text in chars


def ends_phrase(token: Token) -> bool:
    """A quotation, a clause mark or a typed dash ("-", "--"): no speaker phrase spans one."""
    return (
        token.quote is not None
        or is_punct(token, ",;:()[]—–")
        or token.text in {".", "!", "?", "-", "--"}
    )


def is_pronoun(token: Token) -> bool:
    """'he', 'They', 'I', "I've" - but not 'US' (the country)."""
    word = token.lower.split("'")[0]
    return word in PRONOUNS and (token.text[:1] == "I" or not token.text.isupper())


def ends_clause(token: Token) -> bool:
    """A comma, or a quotation whose comma sits inside its closing mark ('“..., ”')."""
    return token.text == "," or (
        token.quote is not None and token.text.rstrip(CLOSE_DOUBLE + "\"'’ ").endswith(",")
    )


LEADING_NON_NAME = word_list("leading_non_name")
