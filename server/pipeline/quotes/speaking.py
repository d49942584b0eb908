"""Speaking: who speaks for one cue of a sentence, as a token range.

"According to X" and a passive cue ("was reported by X") name their source after the cue; a
participle (", saying ...") takes the sentence's subject or the previous speaker; any other cue
takes the phrase right after it when it inverts ('"...," said X') or the one before it.
"""

from __future__ import annotations

from server.pipeline.quotes.cues import INVERTING
from server.pipeline.quotes.data import threshold, word_list
from server.pipeline.quotes.sentences import is_pronoun, is_punct
from server.pipeline.quotes.speakers import (
    counted_people,
    is_speaker_phrase,
    opens_clause,
    relative_antecedent,
    speaker_left,
)
from server.pipeline.quotes.speakers_after import speaker_right
from server.pipeline.quotes.subjects import sentence_subject
from server.pipeline.quotes.types import (
    CueContext,
    SentenceState,
    Side,
    Speaking,
    Token,
    TokenRange,
)
from server.pipeline.quotes.vocabulary import (
    CUE_MODIFIERS,
    LEADING_ADVERBIAL,
    PASSIVE_AUX,
    TRAILER_PREPOSITIONS,
)
from server.pipeline.types import CueType

_BE_FORMS = word_list("be_forms")

_FOCUS = word_list("focus_adverbs")

_POSSESSIVES = word_list("possessives")


_SAYING = frozenset({CueType.SPEECH, CueType.WRITING})  # cues a passive "by X" can follow


def speaking(sentence: SentenceState, cue: CueContext) -> Speaking | None:
    """Who speaks for the cue; None when the cue attributes nothing here."""
    tokens, ci, cj = sentence.tokens, cue.first, cue.stop
    if cue.word == "according":
        return _according(sentence, cue)
    if (
        ci > sentence.floor
        and tokens[ci - 1].lower in PASSIVE_AUX
        and cue.type in _SAYING
        and (by := _agent_by(tokens, cj)) is not None
    ):
        return _passive(sentence, cue, by)
    if cue.participle and cue.before is not None and cue.after_break:
        speaker = sentence.previous_speaker or sentence_subject(tokens, 0, ci)
        return None if speaker is None else _speaking_at_cue(speaker, cue)
    return _beside(sentence, cue)


def _speaking_at_cue(speaker: TokenRange | None, cue: CueContext) -> Speaking:
    return Speaking(speaker, region_start=cue.first, said_as=TokenRange(cue.stop, cue.stop))


def _according(sentence: SentenceState, cue: CueContext) -> Speaking | None:
    speaker = speaker_right(sentence.tokens, cue.stop, len(sentence.tokens), whole_clause=True)
    if speaker is None:
        return None
    found = _speaking_at_cue(speaker, cue)
    # "According to X, ..." opens the sentence; "..., according to X" closes it, even
    # when an earlier cue of the sentence took the words before it as its own content
    opens = all(t.lower in {"but", "and", "so"} for t in sentence.tokens[: cue.first])
    found.side = Side.AFTER_SPEAKER if opens else Side.BEFORE
    return found


def _passive(sentence: SentenceState, cue: CueContext, by: int) -> Speaking | None:
    """ "News of the move was first reported by the Miami Herald." """
    speaker = speaker_right(sentence.tokens, by + 1, len(sentence.tokens))
    if speaker is None:
        return None
    return Speaking(
        speaker, region_start=cue.first, said_as=TokenRange(cue.stop, by), side=Side.PASSIVE
    )


def _beside(sentence: SentenceState, cue: CueContext) -> Speaking | None:
    """The speaker phrase right after an inverting cue or right before the cue."""
    tokens, floor, ci, cj = sentence.tokens, sentence.floor, cue.first, cue.stop
    right = _speaker_after(sentence, cue)
    left = speaker_left(tokens, ci, floor)
    if left is not None and left.stop - left.first > 1 and tokens[left.first].lower in _FOCUS:
        left = TokenRange(left.first + 1, left.stop)  # "Even the organizer said": the organizer
    share = counted_people(tokens, left) if cue.participle and left is not None else None
    agentless = _agentless_passive(tokens, ci, cj) or _asked_unnamed(tokens, ci, cj, floor)
    if agentless:
        left = right = None  # "Roof is accused of ...": Roof is the one spoken of
    if _clause_participle(cue, left):
        # "she released a statement saying": the clause's subject speaks, but in
        # "with 30 percent of voters saying" the voters do
        # and in "Thiel wrote in a statement to Wired explaining" the writer does
        left = (
            share
            or sentence_subject(tokens, floor, ci)
            or (sentence.previous_speaker if _speaks_on(sentence, cue, left) else left)
        )
    found = _speaking_at_cue(None, cue)
    found.agentless = agentless
    if (
        right is not None
        and not _aside_subject(tokens, left, ci)
        and not _left_before_comma(sentence, cue, left, right)
    ):
        found.speaker, found.side = right, Side.BEFORE
    elif left is not None:
        found.speaker, found.region_start = left, left.first
    elif (antecedent := relative_antecedent(tokens, ci, sentence.previous_speaker)) is not None:
        found.speaker = antecedent  # "Barkley, who said he votes, said ...": Barkley says
    elif cue.participle or _after_and(tokens, ci, floor):
        # ", saying ..." / "She urged him to stop and repeatedly says ..."
        found.speaker = sentence.previous_speaker or sentence_subject(tokens, 0, ci)
    # '..., he said: "..."' without a speaker still introduces its quotation
    introduces_quote = (
        cj + 1 < len(tokens) and tokens[cj].text in ":," and tokens[cj + 1].quote is not None
    )
    if found.speaker is None and not agentless and not introduces_quote:
        return None
    return found


def _speaker_after(sentence: SentenceState, cue: CueContext) -> TokenRange | None:
    """The phrase after an inverting cue ('"...," said X'), where a clause mark or the
    sentence's end closes it."""
    if not (cue.after_break and _inverts(sentence.tokens, cue)):
        return None
    tokens = sentence.tokens
    right = speaker_right(tokens, cue.stop, cue.next_cue)
    if right is None:
        return None
    closed = (
        right.stop >= len(tokens)
        or is_punct(tokens[right.stop], ",;:—–()")
        or tokens[right.stop].text in ".!?"
    )
    if cue.word not in INVERTING:
        # '"...," reminded his staff', '"...," described the impact as': objects
        return right if closed and tokens[right.first].lower not in _POSSESSIVES else None
    if closed or (cue.before is not None and tokens[right.stop].lower in TRAILER_PREPOSITIONS):
        return right
    return None


def _inverts(tokens: list[Token], cue: CueContext) -> bool:
    """'"...," said X', and any past tense of saying right after its quotation ('"...,"
    mused X'; not "Smith, a lawyer, endorsed X")."""
    if cue.word in INVERTING:
        return True
    k = cue.first - 1
    if k >= 0 and tokens[k].text == "," and tokens[k].quote is None:
        k -= 1
    return (
        cue.type in _SAYING and cue.word.endswith("ed") and k >= 0 and tokens[k].quote is not None
    )


def _clause_participle(cue: CueContext, left: TokenRange | None) -> bool:
    """A participle inside its clause ("released a statement saying"), not after a name
    ("Smith saying") or a form of "be" ("Apple is calling")."""
    before = cue.before
    return (
        cue.participle
        and before is not None
        and before.quote is None
        and not (before.text[:1].isupper() and left is not None)
        and not (before.lower in _BE_FORMS and left is not None)
    )


def _speaks_on(sentence: SentenceState, cue: CueContext, left: TokenRange | None) -> bool:
    """Whether the previous speaker goes on speaking through a participle whose phrase on the
    left is an object ("wrote in a statement to Wired explaining")."""
    tokens, previous = sentence.tokens, sentence.previous_speaker
    return (
        left is not None
        and previous is not None
        and tokens[left.first].text[:1].islower()
        and not is_pronoun(tokens[left.first])
        and tokens[left.first].lower not in {"the", "these", "those", "of"}
        and is_speaker_phrase(tokens[previous.first : previous.stop])
        and tokens[previous.first].lower not in LEADING_ADVERBIAL
        and not any(
            t.lower in {"that", "what", "who", "which"} or is_punct(t)
            for t in tokens[sentence.previous_cue : cue.first]
        )
    )


def _aside_subject(tokens: list[Token], left: TokenRange | None, ci: int) -> bool:
    """ "Smith, who leads the group, said the plan failed": a subject with an aside before the
    cue speaks; the words after the cue are what was said. A scene ("In other words, explained
    X") is no subject."""
    return (
        left is not None
        and tokens[left.first].lower not in LEADING_ADVERBIAL
        and (
            left.stop < ci - 1
            or any(
                tokens[k].text == "," and not opens_clause(tokens[k + 1])
                for k in range(left.first, left.stop - 1)
            )
        )
    )


def _left_before_comma(
    sentence: SentenceState, cue: CueContext, left: TokenRange | None, right: TokenRange
) -> bool:
    """A speaker on the left, a comma before the cue, and words going on after the phrase on
    the right: that phrase is not the speaker."""
    tokens = sentence.tokens
    return (
        left is not None
        and cue.before is not None
        and cue.before.text == ","
        and right.stop < len(tokens)
        and tokens[right.stop].text[:1].isalnum()
        and tokens[right.stop].quote is None
    )


def _after_and(tokens: list[Token], cue: int, floor: int) -> bool:
    k = cue - 1
    while k >= floor and tokens[k].lower in CUE_MODIFIERS:
        k -= 1
    return k >= floor and tokens[k].lower in {"and", "but"}


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
