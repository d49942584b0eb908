"""The annotations the analyzers return.

Offsets are Unicode code points into the submitted text, end exclusive; the API converts
them to UTF-16 units on request. Every span's ``text`` equals ``text[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    type: str  # person | organization | outlet | anonymous | unknown


@dataclass(slots=True)
class Cue:
    text: str
    start: int
    end: int
    type: str = "speech"  # speech | writing | belief | intention | evidence


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    text: str
    kind: str  # direct | indirect | mixed
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
    name: str
    verdict: str
    year: int | None
    url: str | None
    band: str = "unknown"
    qualifier: str | None = None
    stale: bool = False


@dataclass(slots=True)
class Rating:
    band: str  # reliable | mixed | unreliable | unknown
    sources: list[SourceVerdict] = field(default_factory=list)


@dataclass(slots=True)
class OutletNote:
    domain: str
    name: str
    role: str  # page | cited | credit
    mentions: list[Mention] = field(default_factory=list)
    rating: Rating | None = None
    note: str = ""
