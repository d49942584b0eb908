"""Attribution: the statements of one sentence, from its cues, speakers and content."""

from __future__ import annotations

import re

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
    INVERTING,
    STANCE_PRECISION,
    STANCE_TYPES,
    TELL_VERBS,
    cue_precision,
    find_cues,
    object_cues,
)
from server.pipeline.quotes.data import threshold, word_list
from server.pipeline.quotes.marks import OPEN_DOUBLE
from server.pipeline.quotes.sentences import ends_clause, ends_phrase, is_pronoun, is_punct
from server.pipeline.quotes.speakers import (
    clitic_free,
    counted_people,
    is_speaker_phrase,
    opens_clause,
    relative_antecedent,
    speaker_left,
    speaker_right,
)
from server.pipeline.quotes.subjects import after_dateline, sentence_subject
from server.pipeline.quotes.types import (
    Attribution,
    CharSpan,
    Shape,
    Side,
    SpanIndex,
    Token,
    sentence_shape,
)
from server.pipeline.quotes.vocabulary import CUE_MODIFIERS, LEADING_ADVERBIAL, TRAILER_PREPOSITIONS
from server.pipeline.types import CueType

INDIRECT_PRECISION: float = threshold("indirect_precision")


_BE_FORMS = word_list("be_forms")


_PASSIVE_AUX = word_list("passive_aux")


def _after_and(tokens: list[Token], cue: int, floor: int) -> bool:
    k = cue - 1
    while k >= floor and tokens[k].lower in CUE_MODIFIERS:
        k -= 1
    return k >= floor and tokens[k].lower in {"and", "but"}


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


_MAX_SAID_AS_TOKENS: int = threshold("max_said_as_tokens")


def _agent_by(tokens: list[Token], cj: int) -> int | None:
    """Where "by" names who spoke after a passive cue: right after it ("reported by X"), or
    after what they called it ('described as “heartbreaking” by X', 'called a “hoax” by X')."""
    for k in range(cj, min(len(tokens) - 1, cj + _MAX_SAID_AS_TOKENS + 1)):
        if tokens[k].lower == "by":
            said_as = tokens[cj:k]
            if not said_as or said_as[0].lower == "as" or any(t.quote is not None for t in said_as):
                return k
            return None
        if is_punct(tokens[k]) or tokens[k].text in {".", "!", "?"}:
            return None
    return None


_QUESTION_OPENERS = word_list("question_openers")


def _asked_unnamed(tokens: list[Token], ci: int, cj: int, floor: int) -> bool:
    """'Asked if the comments had rattled them, Ryan said ...': the question is a statement
    whose asker the text does not name."""
    lead = [t.lower for t in tokens[floor:ci]]
    return (
        tokens[ci].lower == "asked"
        and lead in ([], ["when"], ["but", "when"], ["and", "when"])
        and cj < len(tokens)
        and (tokens[cj].lower in _QUESTION_OPENERS or tokens[cj].lower == "specifically")
    )


def _agentless_passive(tokens: list[Token], ci: int, cj: int) -> bool:
    """A participle after "is"/"was"/"been" with no "by" after it: nobody is named as saying it."""
    k = ci - 1
    while k >= 0 and (tokens[k].lower in {"also", "eventually", "widely", "repeatedly", "often"}):
        k -= 1
    if k < 0 or not (
        tokens[k].lower in _BE_FORMS
        or tokens[k].lower.endswith(("'re", "'m"))  # "We’re told", "I'm told"
    ):
        return False
    word = tokens[ci].lower
    if not (word.endswith("ed") or word in {"told", "said", "shown", "known", "seen", "thought"}):
        return False
    return not any(t.lower == "by" for t in tokens[cj : cj + 4])


def attribute_sentence(
    text: str, tokens: list[Token], s_end: int, lexicon: dict[str, CueType]
) -> list[Attribution]:
    """Statements in one sentence (quotations are single tokens here)."""
    found: list[Attribution] = []
    cues = find_cues(tokens, lexicon)
    n = len(tokens)
    quoted = SpanIndex([t for t in tokens if t.quote is not None], lambda t: (t.start, t.end))
    floor = 0  # content before a cue starts after the previous attribution
    previous_speaker: tuple[int, int] | None = None
    previous_cue = 0  # where the cue of previous_speaker ends
    question_end = None  # where an unnamed "Asked if ...," question ends
    for index, cue in enumerate(cues):
        ci, cj, cue_type = cue.first, cue.stop, cue.type
        if ci < floor:
            continue
        next_cue = next((c.first for c in cues[index + 1 :] if c.first >= cj), n)
        if _in_relative_clause(tokens, ci, next_cue):
            continue
        cue_word = tokens[ci].lower
        before = tokens[ci - 1] if ci > floor else None
        after_break = before is None or is_punct(before, ",:;—–") or before.quote is not None
        participle = cue_word.endswith("ing") and cue_word != "according"
        # "who asked not to be named": why a source is anonymous, not a statement
        after_cue = [t.lower for t in tokens[cj : cj + 3]]
        before_cue = [t.lower for t in tokens[max(0, ci - 3) : ci]]
        if (cue_word.startswith("ask") and after_cue == _NOT_TO_BE) or before_cue == _NOT_TO_BE:
            continue
        if (
            participle
            and after_break
            and before is not None
            and next_cue < n
            and next_cue - cj <= 12
            and tokens[next_cue - 1].text == ","
            and not any(t.quote is not None or ends_phrase(t) for t in tokens[cj : next_cue - 1])
        ):
            continue  # "The ministry, citing intelligence, said": an aside of the next cue
        speaker: tuple[int, int] | None = None
        side: Side | None = None
        said_as = (cj, cj)  # what a passive cue's speaker called it: 'as “heartbreaking”'
        agentless = False
        region_start = ci
        if cue_word == "according":
            speaker = speaker_right(tokens, cj, n, whole_clause=True)
            if speaker is None:
                continue
            # "According to X, ..." opens the sentence; "..., according to X" closes it, even
            # when an earlier cue of the sentence took the words before it as its own content
            lead = tokens[:ci]
            side = (
                Side.AFTER_SPEAKER
                if all(t.lower in {"but", "and", "so"} for t in lead)
                else Side.BEFORE
            )
        elif (
            ci > floor
            and tokens[ci - 1].lower in _PASSIVE_AUX
            and cue_type in {CueType.SPEECH, CueType.WRITING}
            and (by := _agent_by(tokens, cj)) is not None
        ):
            # "News of the move was first reported by the Miami Herald."
            speaker = speaker_right(tokens, by + 1, n)
            if speaker is None:
                continue
            side = Side.PASSIVE
            said_as = (cj, by)
        elif participle and before is not None and after_break:
            speaker = previous_speaker or sentence_subject(tokens, 0, ci)
            if speaker is None:
                continue
        else:
            right = (
                speaker_right(tokens, cj, next_cue)
                if after_break and cue_word in INVERTING
                else None
            )
            if right is not None and not (
                right[1] >= n
                or is_punct(tokens[right[1]], ",;:—–()")
                or tokens[right[1]].text in ".!?"
                or (before is not None and tokens[right[1]].lower in TRAILER_PREPOSITIONS)
            ):
                right = None
            left = speaker_left(tokens, ci, floor)
            share = counted_people(tokens, left) if participle and left is not None else None
            agentless = _agentless_passive(tokens, ci, cj) or _asked_unnamed(tokens, ci, cj, floor)
            if agentless:
                left = right = None  # "Roof is accused of ...": Roof is the one spoken of
            if (
                participle
                and before is not None
                and before.quote is None
                and not (before.text[:1].isupper() and left is not None)
                and not (before.lower in _BE_FORMS and left is not None)  # "Apple is calling"
            ):
                # "she released a statement saying": the clause's subject speaks, but in
                # "with 30 percent of voters saying" the voters do
                # and in "Thiel wrote in a statement to Wired explaining" the writer does
                objects = (
                    left is not None
                    and previous_speaker is not None
                    and tokens[left[0]].text[:1].islower()
                    and not is_pronoun(tokens[left[0]])
                    and tokens[left[0]].lower not in {"the", "these", "those", "of"}
                    and is_speaker_phrase(tokens[previous_speaker[0] : previous_speaker[1]])
                    and tokens[previous_speaker[0]].lower not in LEADING_ADVERBIAL
                    and not any(
                        t.lower in {"that", "what", "who", "which"} or is_punct(t)
                        for t in tokens[previous_cue:ci]
                    )
                )
                left = (
                    share
                    or sentence_subject(tokens, floor, ci)
                    or (previous_speaker if objects else left)
                )
            # "Smith, who leads the group, said the plan failed": a subject with an aside
            # before the cue speaks; the words after the cue are what was said
            aside_subject = left is not None and (
                left[1] < ci - 1
                or any(
                    tokens[k].text == "," and not opens_clause(tokens[k + 1])
                    for k in range(left[0], left[1] - 1)
                )
            )
            if (
                right is not None
                and not aside_subject
                and not (
                    left is not None
                    and before is not None
                    and before.text == ","
                    and right[1] < n
                    and tokens[right[1]].text[:1].isalnum()
                    and tokens[right[1]].quote is None
                )
            ):
                speaker, side = right, Side.BEFORE
            elif left is not None:
                speaker = left
                region_start = left[0]
            elif (antecedent := relative_antecedent(tokens, ci, previous_speaker)) is not None:
                speaker = antecedent  # "Barkley, who said he votes, said ...": Barkley says
            elif participle or _after_and(tokens, ci, floor):
                # ", saying ..." / "She urged him to stop and repeatedly says ..."
                speaker = previous_speaker or sentence_subject(tokens, 0, ci)
            if (
                speaker is None
                and not agentless
                and not (
                    cj + 1 < n and tokens[cj].text in ":," and tokens[cj + 1].quote is not None
                )
            ):
                continue
        cue_span = CharSpan(tokens[ci].start, tokens[cj - 1].end)
        found_that = False
        last, last_index = content_limit(tokens, cj, next_cue, s_end)
        if agentless and cue_word == "asked":  # the question ends at its comma
            comma = next((k for k in range(cj, last_index) if ends_clause(tokens[k])), None)
            if comma is not None:
                last, last_index = tokens[comma].end, comma + 1
        if cue_word == "according" and side == Side.AFTER_SPEAKER:
            # "According to a survey, 51 percent said ...": the survey reports the whole clause
            last, last_index = s_end, n
        position = cue_span[1]
        if side == Side.BEFORE and speaker is not None:
            position = tokens[speaker[1] - 1].end
        else:
            for k in range(cj, min(cj + 8, last_index)):  # "told reporters that"
                if tokens[k].lower == "that":
                    position = tokens[k].end
                    found_that = True
                    break
                if tokens[k].quote is not None or is_punct(tokens[k], ",:;"):
                    break
            if not found_that and cue_word in TELL_VERBS:
                position = skip_listener(tokens, cj, last_index, position)
        position = skip_complement(text, position, last)
        that = THAT_OR_COLON.match(text, position, last)
        lead_that = (bool(that) or found_that) and side is None
        if that:
            position = that.end()
        rest = text[position:last]
        rest_words = len(re.findall(r"\w+", rest))
        prev = tokens[region_start - 1] if region_start > 0 else None
        quote_prev = quote_before(tokens, region_start, floor)
        # "In his 2002 book, ''Make Your Kid a Millionaire,'' Mr. McKinley suggested ..."
        scene_lead = (
            region_start - 1 > floor
            and tokens[floor].lower in LEADING_ADVERBIAL
            and tokens[floor].quote is None
        )
        if side is None and speaker is not None and tokens[speaker[0]].lower in {"who", "which"}:
            side = Side.AFTER  # "King, who endorsed Mr. Rubio": the antecedent is not the content
        if side is None and question_end == floor:
            side = Side.AFTER  # "Asked if it rattled them, Ryan said it had": the answer follows
        if side is None:
            if lead_that:
                side = Side.AFTER
            elif (
                quote_prev is not None
                and (
                    rest_words <= 4
                    or rest.lstrip()[:1] in OPEN_DOUBLE + '"'
                    or only_adverbial(rest)
                )
                and not scene_lead
            ):
                side = Side.BEFORE
                region_start = quote_prev + 1
            elif rest.lstrip()[:1] in OPEN_DOUBLE + '"' and rest_words > 3:
                side = Side.AFTER
            elif (
                prev is not None
                and prev.text == ","
                and speaker is not None
                and "," in text[max(cue_span[1], tokens[speaker[1] - 1].end) : position]
            ):
                side = Side.BEFORE  # 'If it is small, the campaign said, it may not bother.'
            elif adverbial_lead(tokens, floor, region_start):
                side = Side.AFTER  # "At a rally Monday, Rubio said Trump is unelectable."
            elif quote_prev is None and any(t.quote is not None for t in tokens[cj:last_index]):
                side = Side.AFTER  # 'The next day, Ducey called the lines "unacceptable."'

            elif (
                (
                    prev is not None
                    and prev.quote is not None
                    and (rest_words <= 4 or only_adverbial(rest))
                    and not scene_lead
                )
                or (prev is not None and prev.text == "," and rest_words <= 4)
                or (rest_words == 0 and prev is not None)
            ):
                side = Side.BEFORE
            else:
                side = Side.AFTER
        content: list[tuple[int, int]] = []
        if side == Side.PASSIVE:
            aux = ci - 1
            while aux - 1 >= floor and tokens[aux - 1].lower in _PASSIVE_AUX | CUE_MODIFIERS:
                aux -= 1
            if aux > floor:
                piece = strip_content(text, tokens[floor].start, tokens[aux - 1].end)
                if piece[1] > piece[0]:
                    content.append(piece)
            if said_as[1] > said_as[0]:
                content.append((tokens[said_as[0]].start, tokens[said_as[1] - 1].end))
            floor = max(floor, speaker[1] if speaker else cj)
        elif side == Side.BEFORE:
            first = tokens[after_dateline(tokens, floor, ci)].start  # not "LONDON —"
            end = (
                tokens[ci - 1].end
                if cue_word == "according"
                else (tokens[region_start - 1].end if region_start > floor else first)
            )
            if region_start > ci:  # inverted: '"Q," said X'
                end = tokens[ci - 1].end if ci > floor else first
            piece = strip_content(text, first, end)
            if (
                piece[1] <= piece[0]
                and floor > 0
                and region_start > 0
                and side == Side.BEFORE
                and prev is not None
                and prev.text == ","
            ):
                # '... called for X to be taken there, sources said.': the trailer covers it all
                piece = strip_content(text, tokens[0].start, end)
            if piece[1] <= piece[0] and ci == floor and rest_words:
                piece = strip_content(text, position, last)  # 'Said Ellis: "..."'
                content.append(piece)
            elif piece[1] > piece[0]:
                content.append(piece)
                # '"A," he said, "B."' and 'The plan, he said, is to wait.'
                region_end = tokens[speaker[1] - 1].end if speaker else cue_span[1]
                region_end = max(region_end, cue_span[1])
                split_quote = rest.lstrip()[:1] in OPEN_DOUBLE + "\"'‘«" and quote_prev is not None
                # 'If it is small, the campaign said, it may not bother.'
                split_clause = (
                    quote_prev is None
                    # not "said X, an economist"; but "According to X, a critic, it failed."
                    and (speaker is None or speaker[0] < ci or cue_word == "according")
                    and prev is not None
                    and prev.text == ","
                    and rest_words >= 2
                    and not only_adverbial(rest)
                    and not any(t.quote is not None for t in tokens[floor:region_start])
                )
                if (
                    rest_words
                    and "," in text[region_end:position]
                    and not lead_that
                    and (split_quote or split_clause)
                ):
                    tail = strip_content(text, position, last)
                    if tail[1] > tail[0]:
                        content.append(tail)
            floor = max(floor, last_index if content and len(content) > 1 else cj)
        else:
            start = (
                tokens[speaker[1]].start
                if side == Side.AFTER_SPEAKER and speaker and (speaker[1] < n)
                else position
            )
            if side == Side.AFTER and not lead_that and cue_word in object_cues():
                last = object_end(tokens, start, last)  # "endorsed Ryan on Friday"
            piece = strip_content(text, start, last)
            tail = TRAILING_COMPLEMENT.search(text, piece[0], piece[1])
            if tail and tail.start() > piece[0]:
                piece = strip_content(text, piece[0], tail.start())  # "... in a tweet Sunday."
            if piece[1] > piece[0]:
                content.append(piece)
            floor = max(floor, cj if last_index >= n else last_index)
        if speaker is not None:
            s_start, s_end_char = tokens[speaker[0]].start, tokens[speaker[1] - 1].end
            content = [(a, b) for a, b in content if b <= s_start or a >= s_end_char]
        # "At-a-glance - what the US president told the BBC": a heading, not what was told
        content = [(a, b) for a, b in content if not ENDS_IN_WHAT.search(text, a, b)]
        if not content:
            continue
        quotes_in = []
        for a, b in content:
            quotes_in += [t.quote for t in quoted.overlapping(a, b) if t.quote not in quotes_in]
        if (
            not quotes_in
            and cue_word != "according"
            and cue_precision().get(cue_word, 0.0)
            < (STANCE_PRECISION if cue_type in STANCE_TYPES else INDIRECT_PRECISION)
            and cue_word in lexicon
        ):
            continue
        if not quotes_in and particle_phrase(text, content):
            continue  # "calls that into question": the verb's idiom, not a statement
        content = fit_to_quotes(text, content, quotes_in)
        whole = bool(quotes_in) and all(
            any(piece == p for q in quotes_in for p in q.pieces) for piece in content
        )
        shape = sentence_shape(side, generic=cue_word not in lexicon and cue_word != "according")
        found.append(
            Attribution(
                content=content,
                cue=cue_span,
                cue_type=cue_type,
                speaker=clitic_free(text, tokens, speaker),
                quoted=bool(quotes_in),
                whole_quote=whole,
                confidence=0.8 if quotes_in else 0.6,
                quotations=quotes_in,
                shape=Shape.AGENTLESS if agentless else shape,
                cue_word=cue_word,
            )
        )
        previous_speaker = speaker
        previous_cue = cj
        question_end = last_index if agentless and cue_word == "asked" else None
    return found


_NOT_TO_BE = ["not", "to", "be"]


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
