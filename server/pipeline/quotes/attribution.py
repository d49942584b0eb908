"""Attribution: the statements of one sentence, from its cues, speakers and content.

Each cue is read in phases, with a typed value between them: the cue in its sentence
(``CueContext``), who speaks for it (``Speaking``, see ``speaking``), how far its content can
reach (``_Reach``), the side of the cue the content lies on (``Side``), then the content's
pieces and the statement. What a statement leaves for the next cue (where content may start,
the previous speaker) is the ``SentenceState``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.pipeline.quotes.content import (
    ENDS_IN_WHAT,
    THAT_OR_COLON,
    TRAILING_COMPLEMENT,
    adverbial_lead,
    content_limit,
    fit_to_quotes,
    object_end,
    only_adverbial,
    particle_phrase,
    quote_before,
    skip_complement,
    skip_listener,
    strip_content,
)
from server.pipeline.quotes.cues import (
    STANCE_PRECISION,
    STANCE_TYPES,
    TELL_VERBS,
    cue_precision,
    find_cues,
    object_cues,
)
from server.pipeline.quotes.data import threshold
from server.pipeline.quotes.marks import ALL_MARKS, OPEN_DOUBLE
from server.pipeline.quotes.sentences import ends_clause, ends_phrase, is_punct
from server.pipeline.quotes.speakers import clitic_free
from server.pipeline.quotes.speaking import speaking
from server.pipeline.quotes.subjects import after_dateline
from server.pipeline.quotes.types import (
    Attribution,
    CharSpan,
    CueContext,
    CueMatch,
    Quotation,
    SentenceState,
    Shape,
    Side,
    SpanIndex,
    Speaking,
    Token,
    sentence_shape,
)
from server.pipeline.quotes.vocabulary import CUE_MODIFIERS, LEADING_ADVERBIAL, PASSIVE_AUX
from server.pipeline.types import CueType

INDIRECT_PRECISION: float = threshold("indirect_precision")


def attribute_sentence(
    text: str, tokens: list[Token], s_end: int, lexicon: dict[str, CueType]
) -> list[Attribution]:
    """Statements in one sentence (quotations are single tokens here)."""
    found: list[Attribution] = []
    cues = find_cues(tokens, lexicon)
    quoted = SpanIndex([t for t in tokens if t.quote is not None], lambda t: (t.start, t.end))
    sentence = SentenceState(text, tokens, s_end, lexicon)
    for index in range(len(cues)):
        if cues[index].first < sentence.floor:
            continue
        cue = _cue_context(sentence, cues, index)
        if cue is None:
            continue
        speaker = speaking(sentence, cue)
        if speaker is None:
            continue
        reach = _reach(sentence, cue, speaker)
        side, region = _side(sentence, cue, speaker, reach)
        content = _content(sentence, cue, speaker, reach, side, region)
        attribution = _statement(sentence, cue, speaker, reach, side, content, quoted)
        if attribution is None:
            continue
        found.append(attribution)
        sentence.previous_speaker = speaker.speaker
        sentence.previous_cue = cue.stop
        asked = speaker.agentless and cue.word == "asked"
        sentence.question_end = reach.last_index if asked else None
    return found


_NOT_TO_BE = ["not", "to", "be"]


def _cue_context(sentence: SentenceState, cues: list[CueMatch], index: int) -> CueContext | None:
    """The cue where it stands; None for a cue that states nothing here: one inside a trailing
    speaker's relative clause, "who asked not to be named", or an aside of the next cue."""
    tokens, floor = sentence.tokens, sentence.floor
    n = len(tokens)
    ci, cj = cues[index].first, cues[index].stop
    next_cue = next((c.first for c in cues[index + 1 :] if c.first >= cj), n)
    if _in_relative_clause(tokens, ci, next_cue):
        return None
    word = tokens[ci].lower
    before = tokens[ci - 1] if ci > floor else None
    after_break = before is None or is_punct(before, ",:;—–") or before.quote is not None
    participle = word.endswith("ing") and word != "according"
    # "who asked not to be named": why a source is anonymous, not a statement
    after_cue = [t.lower for t in tokens[cj : cj + 3]]
    before_cue = [t.lower for t in tokens[max(0, ci - 3) : ci]]
    if (word.startswith("ask") and after_cue == _NOT_TO_BE) or before_cue == _NOT_TO_BE:
        return None
    if (
        participle
        and after_break
        and before is not None
        and next_cue < n
        and next_cue - cj <= 12
        and tokens[next_cue - 1].text == ","
        and not any(t.quote is not None or ends_phrase(t) for t in tokens[cj : next_cue - 1])
    ):
        return None  # "The ministry, citing intelligence, said": an aside of the next cue
    return CueContext(ci, cj, cues[index].type, word, next_cue, before, after_break, participle)


@dataclass(slots=True)
class _Reach:
    """Where the content after a cue starts and how far it can go."""

    cue_span: CharSpan
    last: int  # the character where content after the cue must end
    last_index: int  # the first token after it
    position: int  # the character where content after the cue starts
    lead_that: bool  # a "that" or a colon opens it, and the speaker fixed no side
    rest: str  # the text from position to last
    rest_words: int


def _reach(sentence: SentenceState, cue: CueContext, found: Speaking) -> _Reach:
    text, tokens = sentence.text, sentence.tokens
    cue_span = CharSpan(tokens[cue.first].start, tokens[cue.stop - 1].end)
    last, last_index = content_limit(tokens, cue.stop, cue.next_cue, sentence.end)
    if found.agentless and cue.word == "asked":  # the question ends at its comma
        comma = next((k for k in range(cue.stop, last_index) if ends_clause(tokens[k])), None)
        if comma is not None:
            last, last_index = tokens[comma].end, comma + 1
    if cue.word == "according" and found.side == Side.AFTER_SPEAKER:
        # "According to a survey, 51 percent said ...": the survey reports the whole clause
        last, last_index = sentence.end, len(tokens)
    position, found_that = _after_cue(sentence, cue, found, cue_span.end, last_index)
    position = skip_complement(text, position, last)
    that = THAT_OR_COLON.match(text, position, last)
    lead_that = (bool(that) or found_that) and found.side is None
    if that:
        position = that.end()
    rest = text[position:last]
    rest_words = len(re.findall(r"\w+", rest))
    return _Reach(cue_span, last, last_index, position, lead_that, rest, rest_words)


def _after_cue(
    sentence: SentenceState, cue: CueContext, found: Speaking, position: int, last_index: int
) -> tuple[int, bool]:
    """Where the words after the cue start: after a speaker written there, a "that" ("told
    reporters that"), or a listener ("told CNN's Jake Tapper"); and whether a "that" did."""
    tokens = sentence.tokens
    if found.side == Side.BEFORE and found.speaker is not None:
        return tokens[found.speaker.stop - 1].end, False
    for k in range(cue.stop, min(cue.stop + 8, last_index)):  # "told reporters that"
        if tokens[k].lower == "that":
            return tokens[k].end, True
        if tokens[k].quote is not None or is_punct(tokens[k], ",:;"):
            break
    if cue.word in TELL_VERBS:
        position = skip_listener(tokens, cue.stop, last_index, position)
    return position, False


@dataclass(slots=True)
class _Region:
    """Where the cue's region (its speaker on the left, or the cue) starts once the side is
    known, and what came before where it started when the speaker was found."""

    start: int
    prev: Token | None  # the token right before it
    quote_prev: int | None  # a quotation ending a clause just before it ('"Q," X said')
    # "In his 2002 book, ''Make Your Kid a Millionaire,'' Mr. McKinley suggested ..."
    scene_lead: bool


def _side(
    sentence: SentenceState, cue: CueContext, found: Speaking, reach: _Reach
) -> tuple[Side, _Region]:
    """The side of the cue the content lies on, and the cue's region."""
    tokens, floor, region_start = sentence.tokens, sentence.floor, found.region_start
    region = _Region(
        start=region_start,
        prev=tokens[region_start - 1] if region_start > 0 else None,
        quote_prev=quote_before(tokens, region_start, floor),
        scene_lead=(
            region_start - 1 > floor
            and tokens[floor].lower in LEADING_ADVERBIAL
            and tokens[floor].quote is None
        ),
    )
    if found.side is not None:
        return found.side, region
    speaker = found.speaker
    if speaker is not None and tokens[speaker.first].lower in {"who", "which"}:
        return Side.AFTER, region  # "King, who endorsed Mr. Rubio": not the content
    if sentence.question_end == floor:
        return Side.AFTER, region  # "Asked if it rattled them, Ryan said it had"
    if reach.lead_that:
        return Side.AFTER, region  # "said that ...", "said:"
    if region.quote_prev is not None and _quote_before_speaks(sentence.text, reach, region):
        region.start = region.quote_prev + 1  # the quotation is the content, the rest its region
        return Side.BEFORE, region
    return _open_side(sentence, cue, found, reach, region), region


def _quote_before_speaks(text: str, reach: _Reach, region: _Region) -> bool:
    """'"Q," X said on Monday': a quotation before the speaker, and little after the cue."""
    rest = reach.rest
    after_cue = text[reach.cue_span.end : reach.cue_span.end + 6].lstrip()
    aside = after_cue[:1] == "," and after_cue[1:].lstrip()[:1] not in ALL_MARKS
    return (
        reach.rest_words <= 4
        or rest.lstrip()[:1] in OPEN_DOUBLE + '"'
        or only_adverbial(rest)
        # '"All the way!" Dawson shouted, shorthand for ...': an aside follows the cue
        or (aside and not reach.lead_that)
    ) and not region.scene_lead


def _open_side(
    sentence: SentenceState, cue: CueContext, found: Speaking, reach: _Reach, region: _Region
) -> Side:
    """The side when neither the speaker, a "that" nor a quotation before it fixes one."""
    text, tokens, speaker = sentence.text, sentence.tokens, found.speaker
    rest, rest_words, prev = reach.rest, reach.rest_words, region.prev
    if rest.lstrip()[:1] in OPEN_DOUBLE + '"' and rest_words > 3:
        return Side.AFTER
    if (
        prev is not None
        and prev.text == ","
        and speaker is not None
        and "," in text[max(reach.cue_span.end, tokens[speaker.stop - 1].end) : reach.position]
    ):
        return Side.BEFORE  # 'If it is small, the campaign said, it may not bother.'
    if adverbial_lead(tokens, sentence.floor, found.region_start):
        return Side.AFTER  # "At a rally Monday, Rubio said Trump is unelectable."
    if region.quote_prev is None and any(
        t.quote is not None for t in tokens[cue.stop : reach.last_index]
    ):
        return Side.AFTER  # 'The next day, Ducey called the lines "unacceptable."'
    if (
        (
            prev is not None
            and prev.quote is not None
            and (rest_words <= 4 or only_adverbial(rest))
            and not region.scene_lead
        )
        or (prev is not None and prev.text == "," and rest_words <= 4)
        or (rest_words == 0 and prev is not None)
    ):
        return Side.BEFORE
    return Side.AFTER


def _content(
    sentence: SentenceState,
    cue: CueContext,
    found: Speaking,
    reach: _Reach,
    side: Side,
    region: _Region,
) -> list[CharSpan]:
    """The content's pieces on its side; moves the sentence's floor past what they took."""
    if side == Side.PASSIVE:
        content = _passive_content(sentence, cue, found)
        floor = found.speaker.stop if found.speaker else cue.stop
    elif side == Side.BEFORE:
        content = _content_before(sentence, cue, found, reach, region)
        floor = reach.last_index if content and len(content) > 1 else cue.stop
    else:
        content = _content_after(sentence, cue, found, reach, side)
        floor = cue.stop if reach.last_index >= len(sentence.tokens) else reach.last_index
    sentence.floor = max(sentence.floor, floor)
    return content


def _passive_content(sentence: SentenceState, cue: CueContext, found: Speaking) -> list[CharSpan]:
    """ "News of the move was first reported by the Miami Herald": the subject, and what the
    speaker called it ('described as “heartbreaking” by')."""
    text, tokens, floor = sentence.text, sentence.tokens, sentence.floor
    content: list[CharSpan] = []
    aux = cue.first - 1
    while aux - 1 >= floor and tokens[aux - 1].lower in PASSIVE_AUX | CUE_MODIFIERS:
        aux -= 1
    if aux > floor:
        piece = strip_content(text, tokens[floor].start, tokens[aux - 1].end)
        if piece[1] > piece[0]:
            content.append(piece)
    said_as = found.said_as
    if said_as.stop > said_as.first:
        content.append(CharSpan(tokens[said_as.first].start, tokens[said_as.stop - 1].end))
    return content


def _content_before(
    sentence: SentenceState,
    cue: CueContext,
    found: Speaking,
    reach: _Reach,
    region: _Region,
) -> list[CharSpan]:
    """The words before the cue's region, and after it too where the attribution interrupts
    them ('"A," he said, "B."', 'The plan, he said, is to wait.')."""
    text, tokens, floor, ci = sentence.text, sentence.tokens, sentence.floor, cue.first
    region_start = region.start
    first = tokens[after_dateline(tokens, floor, ci)].start  # not "LONDON —"
    end = (
        tokens[ci - 1].end
        if cue.word == "according"
        else (tokens[region_start - 1].end if region_start > floor else first)
    )
    if region_start > ci:  # inverted: '"Q," said X'
        end = tokens[ci - 1].end if ci > floor else first
    piece = strip_content(text, first, end)
    if (
        piece[1] <= piece[0]
        and floor > 0
        and region_start > 0
        and region.prev is not None
        and region.prev.text == ","
    ):
        # '... called for X to be taken there, sources said.': the trailer covers it all
        piece = strip_content(text, tokens[0].start, end)
    if piece[1] <= piece[0] and ci == floor and reach.rest_words:
        return [strip_content(text, reach.position, reach.last)]  # 'Said Ellis: "..."'
    if piece[1] <= piece[0]:
        return []
    content = [piece]
    if _interrupted(sentence, cue, found, reach, region):
        tail = strip_content(text, reach.position, reach.last)
        if tail[1] > tail[0]:
            content.append(tail)
    return content


def _interrupted(
    sentence: SentenceState,
    cue: CueContext,
    found: Speaking,
    reach: _Reach,
    region: _Region,
) -> bool:
    """Whether the content goes on after the attribution: '"A," he said, "B."' and 'If it is
    small, the campaign said, it may not bother.'"""
    tokens, speaker, rest = sentence.tokens, found.speaker, reach.rest
    region_end = tokens[speaker.stop - 1].end if speaker else reach.cue_span.end
    region_end = max(region_end, reach.cue_span.end)
    split_quote = rest.lstrip()[:1] in OPEN_DOUBLE + "\"'‘«" and region.quote_prev is not None
    split_clause = (
        region.quote_prev is None
        # not "said X, an economist"; but "According to X, a critic, it failed."
        and (speaker is None or speaker.first < cue.first or cue.word == "according")
        and region.prev is not None
        and region.prev.text == ","
        and reach.rest_words >= 2
        and not only_adverbial(rest)
        and not any(t.quote is not None for t in tokens[sentence.floor : region.start])
    )
    return (
        bool(reach.rest_words)
        and "," in sentence.text[region_end : reach.position]
        and not reach.lead_that
        and (split_quote or split_clause)
    )


def _content_after(
    sentence: SentenceState, cue: CueContext, found: Speaking, reach: _Reach, side: Side
) -> list[CharSpan]:
    """The words after the cue (or after the speaker of "According to X, ...")."""
    text, tokens, speaker, last = sentence.text, sentence.tokens, found.speaker, reach.last
    start = (
        tokens[speaker.stop].start
        if side == Side.AFTER_SPEAKER and speaker and (speaker.stop < len(tokens))
        else reach.position
    )
    if side == Side.AFTER and not reach.lead_that and cue.word in object_cues():
        last = object_end(tokens, start, last)  # "endorsed Ryan on Friday"
    piece = strip_content(text, start, last)
    tail = TRAILING_COMPLEMENT.search(text, piece[0], piece[1])
    if tail and tail.start() > piece[0]:
        piece = strip_content(text, piece[0], tail.start())  # "... in a tweet Sunday."
    return [piece] if piece[1] > piece[0] else []


def _statement(
    sentence: SentenceState,
    cue: CueContext,
    found: Speaking,
    reach: _Reach,
    side: Side,
    content: list[CharSpan],
    quoted: SpanIndex[Token],
) -> Attribution | None:
    """The statement, unless its content is empty, a heading, an idiom, or indirect content
    after a cue too unreliable for it."""
    text, tokens, speaker = sentence.text, sentence.tokens, found.speaker
    if speaker is not None:
        s_start, s_end = tokens[speaker.first].start, tokens[speaker.stop - 1].end
        content = [piece for piece in content if piece.end <= s_start or piece.start >= s_end]
    # "At-a-glance - what the US president told the BBC": a heading, not what was told
    content = [piece for piece in content if not ENDS_IN_WHAT.search(text, *piece)]
    if not content:
        return None
    quotes_in: list[Quotation] = []
    for a, b in content:
        quotes_in += [t.quote for t in quoted.overlapping(a, b) if t.quote not in quotes_in]
    if not quotes_in and _too_unreliable(cue, sentence.lexicon):
        return None
    if not quotes_in and particle_phrase(text, content):
        return None  # "calls that into question": the verb's idiom, not a statement
    content = fit_to_quotes(text, content, quotes_in)
    whole = bool(quotes_in) and all(
        any(piece == p for q in quotes_in for p in q.pieces) for piece in content
    )
    generic = cue.word not in sentence.lexicon and cue.word != "according"
    return Attribution(
        content=content,
        cue=reach.cue_span,
        cue_type=cue.type,
        speaker=clitic_free(text, tokens, speaker),
        quoted=bool(quotes_in),
        whole_quote=whole,
        confidence=0.8 if quotes_in else 0.6,
        quotations=quotes_in,
        shape=Shape.AGENTLESS if found.agentless else sentence_shape(side, generic),
        cue_word=cue.word,
    )


def _too_unreliable(cue: CueContext, lexicon: dict[str, CueType]) -> bool:
    """Whether the cue word signalled attributions too rarely in train to take unquoted
    (indirect) content; stance cues ("believes", "wants") need more than cues of saying."""
    needed = STANCE_PRECISION if cue.type in STANCE_TYPES else INDIRECT_PRECISION
    return (
        cue.word != "according"
        and cue_precision().get(cue.word, 0.0) < needed
        and cue.word in lexicon
    )


def _in_relative_clause(tokens: list[Token], ci: int, next_cue: int) -> bool:
    """Whether the cue sits in the ", who ... ," clause of a quotation's trailing speaker.

    In '"...," Warren, who has not endorsed anyone, told reporters' the quotation is told, not
    endorsed; a clause with its own content ("Trump, who said he would win, told ...") stays.
    """
    k = ci - 1
    while k > 0 and ci - k < 10 and tokens[k].text != "," and tokens[k].quote is None:
        k -= 1
    if k <= 0 or tokens[k].text != "," or tokens[k + 1].lower not in {"who", "which"}:
        return False
    if not any(t.quote is not None for t in tokens[:k]):
        return False
    return any(tokens[j].text == "," for j in range(ci + 1, next_cue)) and next_cue < len(tokens)


_MAX_SENTENCE_TOKENS: int = threshold("max_sentence_tokens")


def attribute_chunks(
    text: str, tokens: list[Token], s_end: int, lexicon: dict[str, CueType]
) -> list[Attribution]:
    if len(tokens) <= _MAX_SENTENCE_TOKENS:
        return attribute_sentence(text, tokens, s_end, lexicon)
    found = []
    for k in range(0, len(tokens), _MAX_SENTENCE_TOKENS):
        chunk = tokens[k : k + _MAX_SENTENCE_TOKENS]
        found += attribute_sentence(text, chunk, chunk[-1].end, lexicon)
    return found
