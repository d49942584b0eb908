"""The annotations the analyzers return.

Offsets are Unicode code points into the submitted text, end exclusive; the API converts
them to UTF-16 units on request. Every span's ``text`` equals ``text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class QuoteKind(StrEnum):
    """How much of a quote is in the speaker's own words."""

    DIRECT = "direct"  # exactly a quotation
    MIXED = "mixed"  # reported content with quoted words
    INDIRECT = "indirect"  # reported content, no quotation marks


class SpeakerType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    OUTLET = "outlet"
    ANONYMOUS = "anonymous"  # "officials", "a person close to X", "many Democrats"
    UNKNOWN = "unknown"


class CueType(StrEnum):
    """What the cue says the speaker did: said, wrote, believes, intends, or found."""

    SPEECH = "speech"
    WRITING = "writing"
    BELIEF = "belief"
    INTENTION = "intention"
    EVIDENCE = "evidence"


@dataclass(slots=True)
class Opinion:
    start: int
    end: int
    text: str
    # loaded | labeling | exaggeration | intensifier | hedge | speculation | rhetorical | doubt
    category: str
    voice: str  # author | quoted
    score: float
    reason: str


@dataclass(slots=True)
class Speaker:
    name: str  # canonical full name
    mention: str  # as written
    start: int
    end: int
    type: SpeakerType


@dataclass(slots=True)
class Cue:
    text: str
    start: int
    end: int
    type: CueType = CueType.SPEECH


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: Speaker | None
    cue: Cue | None
    via: str | None = None
    confidence: float = 0.5
    fragments: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class SourceVerdict:
    """One source's own verdict, as the source states it, with where to check it."""

    name: str
    verdict: str
    year: int | None
    url: str | None
    band: str = "unknown"
    qualifier: str | None = None  # topic or time scope, e.g. "(politics and science)"
    stale: bool = False  # the verdict is more than five years old
    match: str | None = None  # the host or host/path the source rated
    entry: str | None = None  # the source's own entry name, e.g. "Fox News (talk shows)"
    score: float | None = None  # numeric score where the source gives one (Lin et al. pc1)
    snapshot: str | None = None  # date of the copy of the source we ship
    decides: bool = False  # this verdict set the band (the band rule: outlets/bands.py)


@dataclass(slots=True)
class Rating:
    band: str  # reliable | mixed | unreliable | unknown
    sources: list[SourceVerdict] = field(default_factory=list)
    decided_by: str | None = None  # name of the source whose verdicts set the band


@dataclass(slots=True)
class Platform:
    """The publishing platform a self-published or user-generated site sits on."""

    domain: str
    name: str
    kind: str  # self-published | user-generated
    band: str = "unknown"  # the platform's own band, shown for context, never applied


@dataclass(slots=True)
class OutletNote:
    domain: str
    name: str
    role: str  # page | cited | credit
    mentions: list[Mention] = field(default_factory=list)
    rating: Rating | None = None
    note: str = ""
    band: str = "unknown"  # same as rating.band; "unknown" when rating is null
    site: str = ""  # what the note is about: host, or host/path for an author on a platform
    disagreement: str | None = None  # plain sentence when sources disagree
    stale: bool = False  # every verdict that set the band is more than five years old
    country: str | None = None
    ownership: str | None = None
    platform: Platform | None = None
    about_data: str = ""  # attribution line for the data behind the note
