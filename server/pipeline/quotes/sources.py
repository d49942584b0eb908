"""Sources of quotations no cue in their sentence claims, and the title's statement.

A colon line introduces what follows ('Here's what the Journal reported:'), a dash or a label
names the speaker ('“...” ― Carla Sanchez', 'Rep. Trey Gowdy (R-S.C.): "..."'), a bare
'Bystrom agreed.' speaks the quotation after it, and otherwise the passage's speaker does when
the passage makes it plain.
"""

from __future__ import annotations

import re

from server.pipeline.quotes.content import strip_content
from server.pipeline.quotes.cues import INVERTING, cue_lexicon, find_cues
from server.pipeline.quotes.data import threshold, word_list
from server.pipeline.quotes.marks import CLOSE_DOUBLE, OPEN_DOUBLE
from server.pipeline.quotes.sentences import DASHES, PRONOUNS, plain_tokens
from server.pipeline.quotes.speakers import speaker_left
from server.pipeline.quotes.speakers_after import speaker_right
from server.pipeline.quotes.subjects import sentence_subject
from server.pipeline.quotes.types import Attribution, CharSpan, Quotation, Shape, Token
from server.pipeline.quotes.vocabulary import ROLE_WORDS, SUBJECTS
from server.pipeline.types import CueType


def colon_intro(
    text: str, tokens: list[Token], lexicon: dict[str, CueType], named_subject: bool = True
) -> Attribution | None:
    """'Here's what the Journal reported:' - the attribution of the block quote that follows."""
    for cue in find_cues(tokens, lexicon):
        ci, cj = cue.first, cue.stop
        speaker = None
        if tokens[ci].lower == "according":
            speaker = speaker_right(tokens, cj, len(tokens), whole_clause=True)
        elif cj < len(tokens) and tokens[cj].lower == "by":
            speaker = speaker_right(tokens, cj + 1, len(tokens))
        elif ci > 0 and tokens[ci - 1].text == "," and tokens[ci].lower in INVERTING:
            speaker = speaker_right(tokens, cj, len(tokens))  # "In other words, explained X:"
        if speaker is None:
            speaker = speaker_left(tokens, ci, 0)
        if speaker is None:
            speaker = sentence_subject(tokens, 0, ci)
        if speaker is not None:
            return Attribution(
                content=[],
                cue=CharSpan(tokens[ci].start, tokens[cj - 1].end),
                cue_type=cue.type,
                speaker=CharSpan(tokens[speaker[0]].start, tokens[speaker[1] - 1].end),
                quoted=True,
                whole_quote=True,
                confidence=0.6,
                shape=Shape.INTRO,
                cue_word=tokens[ci].lower,
            )
    named = _name_before_colon(tokens)
    if named is not None:
        colon = text.find(":", tokens[-1].end, tokens[-1].end + 2)
        if colon >= 0:
            return _subject_intro(tokens, named, CharSpan(colon, colon + 1), 0.5)
    subject = sentence_subject(tokens, 0, len(tokens)) if named_subject else None
    if (
        subject is not None
        and (tokens[subject[0]].lower not in PRONOUNS or tokens[subject[0]].lower in SUBJECTS)
        and subject[1] < len(tokens)
    ):
        # "Sanders made the following comment:" - no cue word, but a named subject
        cue = CharSpan(tokens[subject[1]].start, tokens[-1].end)
        return _subject_intro(tokens, subject, cue, 0.5)
    return None


_NAME_DASHES = DASHES | {"-"}  # "contests - Philip Bump:"


def _name_before_colon(tokens: list[Token]) -> tuple[int, int] | None:
    """'... surprise Republican pollster Daron Shaw:', '... contests - Philip Bump:': a full name
    right before the colon, after a role or a dash, is who the quotation is from."""
    k = len(tokens)
    while k > 0 and tokens[k - 1].text[:1].isupper() and tokens[k - 1].quote is None:
        k -= 1
    if len(tokens) - k < 2 or k == 0:
        return None
    if tokens[k - 1].text in _NAME_DASHES:
        return k, len(tokens)
    start = k
    while start > 0 and tokens[start - 1].lower in ROLE_WORDS:
        start -= 1
    return (start, len(tokens)) if start < k else None


def _subject_intro(
    tokens: list[Token], subject: tuple[int, int], cue: CharSpan, confidence: float
) -> Attribution:
    """A sentence whose named subject introduces the quotation that follows it."""
    return Attribution(
        content=[],
        cue=cue,
        cue_type=CueType.SPEECH,
        speaker=CharSpan(tokens[subject[0]].start, tokens[subject[1] - 1].end),
        quoted=True,
        whole_quote=True,
        confidence=confidence,
        shape=Shape.INTRO_SUBJECT,
    )


def inline_intros(
    text: str, tokens: list[Token], lexicon: dict[str, CueType]
) -> dict[int, Attribution]:
    """Quotations a clause of their own sentence introduces with a colon, by quotation id.

    'Clinton has since apologized: "Yes, ..."' is Clinton's, whoever spoke the paragraph before.
    """
    found = {}
    for k in range(1, len(tokens) - 1):
        quotation = tokens[k + 1].quote
        if tokens[k].text == ":" and quotation is not None and tokens[0].quote is None:
            attribution = colon_intro(text, tokens[:k], lexicon)
            if attribution is not None:
                found[id(quotation)] = attribution
    return found


# '“...” ― Carla Sanchez' and transcripts: 'Rep. Trey Gowdy (R-S.C.): "..."'
_DASH_SOURCE = re.compile(
    r"[^\S\n]*([―—–])[^\S\n]*([A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,4})[^\S\n.]*\.?[^\S\n]*$",
    re.MULTILINE,
)


_LABEL_SOURCE = re.compile(
    r"^\s*([A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|\([^()\n]{1,20}\))){0,6})\s*:\s*$"
)


# "Graham: Trump’s Rhetoric Destroying GOP’s Chance": a title that gives a speaker, a colon
# and what they said. Not "The Latest: ...", "UPDATE: ...", "Clinton: 547."
_HEADLINE_STATEMENT = re.compile(
    r"((?!The\b|A\b)[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|camp|campaign)){0,3}):\s+"
    r"(?=[^\d\s])(\S+(?:\s+\S+){2,})"
)


_LONGEST_TITLE_CHARS: int = threshold("longest_title_chars")


_NOT_HEADLINE_SPEAKERS = word_list("not_headline_speakers")


def headline_statement(text: str, start: int, end: int) -> Attribution | None:
    """The title's statement when it opens with who made it: "Lynch: No outside influence"."""
    if end - start > _LONGEST_TITLE_CHARS:
        return None
    match = _HEADLINE_STATEMENT.fullmatch(text, start, end)
    if match is None:
        return None
    speaker = match.group(1)
    words = speaker.lower().split()
    if (
        (speaker.isupper() and len(speaker) > 3)
        or words[-1] in _NOT_HEADLINE_SPEAKERS
        or any(w in cue_lexicon() for w in words)
    ):
        return None  # "HUFFPOLLSTER:", "The Latest:", "Delegate Update:", "Said Ellis:"
    colon = match.end(1)
    return Attribution(
        content=[strip_content(text, *match.span(2))],
        cue=CharSpan(colon, colon + 1),
        cue_type=CueType.SPEECH,
        speaker=CharSpan(*match.span(1)),
        quoted=bool(re.search(r"[\"“‘]", match.group(2))),  # mixed, as a title quotes
        whole_quote=False,
        confidence=0.6,
        shape=Shape.HEADLINE,
        cue_word=":",
    )


def labelled_source(text: str, quotation: Quotation, p_start: int) -> Attribution | None:
    """A speaker named by a dash after the quotation or a label before it, with no verb."""
    dash = _DASH_SOURCE.match(text, quotation.outer_end)
    label = _LABEL_SOURCE.match(text[p_start : quotation.outer_start])
    if dash:
        cue, speaker = CharSpan(*dash.span(1)), CharSpan(*dash.span(2))
        if text[speaker.end - 1] == "." and not re.search(r"\b\w\.$", dash.group(2)):
            speaker = CharSpan(speaker.start, speaker.end - 1)  # "― Steve Quinlan." ends a sentence
    elif label:
        speaker = CharSpan(p_start + label.start(1), p_start + label.end(1))
        colon = text.rindex(":", p_start, quotation.outer_start)
        cue = CharSpan(colon, colon + 1)
    else:
        return None
    return Attribution(
        content=[],
        cue=cue,
        cue_type=CueType.SPEECH,
        speaker=speaker,
        quoted=True,
        whole_quote=True,
        confidence=0.6,
        shape=Shape.DASH if dash else Shape.LABEL,
    )


def verb_lead(text: str, quotation: Quotation, p_start: int) -> Attribution | None:
    """'Bystrom agreed. "..."': a sentence of just a subject and its verb speaks the quote.

    The verb need not be one of saying ("agreed", "disagreed", "demurred"): a bare clause with
    nothing for the verb to report leaves the quotation that follows as what was said.
    """
    lead = text[p_start : quotation.outer_start].rstrip()
    if not lead.endswith("."):
        return None
    begin = max(lead.rfind(c, 0, len(lead) - 1) for c in '.?!\n"' + OPEN_DOUBLE + CLOSE_DOUBLE)
    tokens = plain_tokens(text, p_start + begin + 1, p_start + len(lead) - 1)
    if not tokens or len(tokens) > 10:
        return None
    subject = sentence_subject(tokens, 0, len(tokens))
    if subject is None or subject[0] != 0 or len(tokens) - subject[1] not in {1, 2}:
        return None
    verb, rest = tokens[subject[1]], tokens[subject[1] + 1 :]
    if not (verb.text.isalpha() and verb.text.islower() and verb.text.endswith("ed")):
        return None
    if any(not (t.text.islower() and t.text.endswith(("ly", "too"))) for t in rest):
        return None
    return _subject_intro(tokens, subject, CharSpan(verb.start, verb.end), 0.6)


def passage_source(
    quotation: Quotation,
    p_index: int,
    same: list[Attribution],
    intro: dict[int, Attribution],
    carried: dict[int, Attribution],
    last_in_paragraph: dict[int, Attribution],
) -> Attribution | None:
    """Who speaks in the passage around an unattributed quotation, if the passage says;
    ``same`` are the statements of its paragraph that name a speaker."""
    if same:
        quoted = [a for a in same if a.quoted] or same
        return min(quoted, key=lambda a: abs(a.content[0][0] - quotation.start))
    if p_index - 1 in intro:
        return intro[p_index - 1]
    if p_index - 1 in carried:
        return carried[p_index - 1]
    previous = last_in_paragraph.get(p_index - 1)
    if previous is not None and previous.speaker:
        return previous
    return None
