"""Outlets the text names: one Aho-Corasick pass over the aliases, a pattern for newspaper
names the alias table lacks, and the context that says whether a match names an outlet here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from server.pipeline.document import Document
from server.pipeline.outlets.notes import note_for
from server.pipeline.outlets.sites import SiteKey, cited_site, safe_site
from server.pipeline.outlets.tables import tables


@dataclass(slots=True)
class CitedMention:
    """An outlet named in the text; ``role`` is ``cited`` or ``credit``."""

    start: int
    end: int
    text: str
    domain: str
    name: str
    role: str
    site: str = ""  # the rated host the name points at (news.sky.com for "Sky News")


_CREDIT_BEFORE = re.compile(
    r"(?i)\b(?:photo(?:graph)?s?|images?|pictures?|video|footage|screenshot|screengrab|"
    r"illustration|graphic|credit|courtesy)\b(?:\s+credits?)?\s*(?:[:–—|/-]|\bby\b|\bvia\b|"
    r"\bcourtesy(?:\s+of)?\b)\s*(?:[^\n.;:]{0,40}?[/,|]\s*)?$"
)
_CREDIT_AFTER = re.compile(r"^(?:\s*/\s*|\s+)(?:Photos?|Images?|Video|Pictures?)\b")
_BEFORE_CUE = re.compile(
    r"(?i)(?:according to|reported by|reporting by|reports? (?:by|from|in)|told|speaking to|"
    r"spoke to|speaking with|spoke with|interview with|interviewed by|quoted (?:by|in)|"
    r"cited by|obtained by|seen by|wrote (?:in|for)|writing (?:in|for)|written for|"
    r"published (?:in|by)|op-ed (?:in|for)|columnist (?:at|for)|editor (?:at|of)|"
    r"appeared (?:on|in)|aired on|via|broadcaster|newspaper|magazine|outlet|network|channel|"
    r"agency|tabloid|website|station|in the)\s+(?:the\s+)?$"
)
_AFTER_CUE = re.compile(
    r"(?i)^(?:['’]s)?\s+(?:first\s+)?(?:reported|reports|reporting|reporters?|report|said|says|"
    r"wrote|writes|published|revealed|noted|added|confirmed|learned|obtained|polls?|survey|"
    r"correspondents?|columnists?|editors?|journalists?|analysis|investigation|interview|"
    r"articles?|stor(?:y|ies)|news|newspaper|magazine|broadcast|broadcaster|network|anchor|"
    r"host|podcast|headline|op-ed|piece|coverage)\b"
)
# Words after an abbreviation that make it a school subject, not an outlet ("AP Biology").
_COURSE_AFTER = re.compile(
    r"(?i)^\s+(?:exams?|class(?:es)?|courses?|tests?|credits?|scores?|students?|programs?|"
    r"teachers?|curriculum)\b"
)
_PLATFORM_BEFORE = re.compile(r"(?i)\b(?:on|onto|to|via|from)\s+$")
_PLATFORM_AFTER = re.compile(
    r"(?i)^(?:['’]s)?\s+(?:posts?|posted|message|messages|page|pages|videos?|live|account|"
    r"feed|status|stor(?:y|ies)|thread|channel|comments?|photos?|group|livestream|stream)\b"
)
# A capitalised word right before the match makes it part of a longer name ("Baltimore Sun").
_PREVIOUS_CAPITAL = re.compile(r"(?:^|[^.!?:;\n\"“(‘]\s)[A-Z][\w’'-]*\s$")
_NEXT_CAPITAL = re.compile(r"^\s+(?:[A-Z][\w’'-]*|of\b)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"“‘(]\s*)$")
# A newspaper the alias table does not name, found by its name: capitalised words ending in a
# word papers are named with, whose letters spell a rated .com domain ("Miami Herald" is
# miamiherald.com). Names that open with an article or a generic word are left out: "The
# Independent" is not theindependent.com, nor "Daily News" dailynews.com in New York.
_PAPER_NAME = re.compile(
    r"\b(?:[A-Z][\w.'’&-]*[^\S\n]+){1,3}(?:Herald|Tribune|Times|Post|News|Journal|Gazette|Globe|"
    r"Star|Register|Examiner|Chronicle|Observer|Inquirer|Enquirer|Courier|Bee|Sun|Press|"
    r"Record|Review|Dispatch|Telegram|Telegraph|Sentinel|Statesman|Standard|Mercury|Leader|"
    r"Ledger|Monitor|Reporter|Independent|Advocate|Citizen|Eagle|Beacon|Bulletin|Republic|"
    r"Democrat|Republican|Constitution|Caller|Picayune|Guard|Union-Tribune|Times-Dispatch)\b"
)
_NOT_A_PAPER_START = frozenset(
    ("The", "A", "An", "This", "That", "Daily", "National", "Weekly", "Sunday", "New")
)


def find_mentions(doc: Document) -> list[CitedMention]:
    """Outlets the text names, computed once per document (the quote analyzer reuses them).

    One Aho-Corasick pass over the text finds every alias; names that are also ordinary words
    or abbreviations must stand where an outlet would ("according to RT", "(AP)"), and short
    back-references ("the Journal") count only after the outlet they stand for was named.
    """
    if "outlet_mentions" in doc.memo:
        return doc.memo["outlet_mentions"]
    page = safe_site(doc.url)
    mentions = _find(doc.text, page)
    doc.memo["outlet_mentions"] = mentions
    return mentions


def _find(text: str, page: SiteKey | None) -> list[CitedMention]:
    data = tables()
    found: list[tuple[int, int, int, str]] = []  # start, end, alias index, role
    for last, index in data.automaton.iter(text):
        alias, _key, rule, _head = data.aliases[index]
        start, end = last - len(alias) + 1, last + 1
        if not _standalone(text, start, end):
            continue
        role = _role(text, start, end, rule)
        if role:
            found.append((start, end, index, role))
    chosen = _longest_non_overlapping(found)
    # start, end, alias as matched, rated key, rule, head word, role
    matches = [(start, end, *data.aliases[index], role) for start, end, index, role in chosen]
    for start, end, key in _papers(text, chosen):
        if role := _role(text, start, end, "name"):
            matches.append((start, end, text[start:end], key, "paper", "", role))
    matches.sort()
    mentions: list[CitedMention] = []
    page_name = note_for(page, "page").name if page else ""
    for start, end, alias, key, rule, head, role in matches:
        if rule == "anaphor":
            key = _antecedent(head, mentions, page, page_name)
            if key is None:
                continue
        elif rule == "regional" and page:
            for suffix, regional_key in data.regional.get(alias, {}).items():
                if page.domain.endswith(suffix):
                    key = regional_key
        target = cited_site(key)
        written = alias if rule == "paper" else None  # the alias table names all the others
        mentions.append(
            CitedMention(
                start=start,
                end=end,
                text=text[start:end],
                domain=target.domain,
                name=note_for(target, "cited", written).name,
                role=role,
                site=target.site,
            )
        )
    return mentions


def _papers(text: str, taken: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """Newspapers named by ``_PAPER_NAME`` where no alias matched: (start, end, rated key)."""
    data = tables()
    starts = [item[0] for item in taken]  # sorted, never overlapping
    found = []
    for match in _PAPER_NAME.finditer(text):
        start, end = match.span()
        k = bisect.bisect_left(starts, end)
        if k > 0 and taken[k - 1][1] > start:
            continue  # an alias matched here
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", match.group())]
        # "Monday's Boston Globe" is the Boston Globe: the longest tail that spells a domain
        for first, (offset, word) in enumerate(words[:-1]):
            if word in _NOT_A_PAPER_START:
                continue
            key = re.sub(r"[^a-z]", "", "".join(w for _, w in words[first:]).lower()) + ".com"
            if key in data.lin or key in data.rsp:
                found.append((start + offset, end, key))
                break
    return found


def _standalone(text: str, start: int, end: int) -> bool:
    """Whole words only, and not a handle or hashtag (@CNN, #RT)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "@#_" or after.isalnum() or after == "_")


def _role(text: str, start: int, end: int, rule: str) -> str | None:
    """``credit``, ``cited``, or None when the match does not name the outlet here."""
    before = text[max(0, start - 80) : start]
    after = text[end : end + 40]
    if re.match(r"^\s*@", after):  # "RT @user" is a retweet, "CNN @cnn" a handle
        return None
    if _CREDIT_BEFORE.search(before) or _CREDIT_AFTER.match(after):
        return "credit"
    if _COURSE_AFTER.match(after):  # "the AP exam", "AP classes"
        return None
    if rule == "name":
        return "cited"
    if before.endswith("(") and after.startswith(")"):  # dateline: "WASHINGTON (AP) —"
        return "cited"
    if rule == "platform":
        return "cited" if _PLATFORM_BEFORE.search(before) or _PLATFORM_AFTER.match(after) else None
    if _PREVIOUS_CAPITAL.search(before) and not before.endswith("The "):
        return None
    if _AFTER_CUE.match(after):
        return "cited"
    if _NEXT_CAPITAL.match(after):  # part of a longer name: "Times Square", "AP Biology"
        return None
    if rule == "anaphor":
        return "cited"  # resolved (or dropped) against earlier mentions later
    if _BEFORE_CUE.search(before):
        return "cited"
    if rule == "variant" and before.endswith("the "):
        return "cited"  # "the Daily Beast", not "a New Yorker"
    alias = text[start:end]
    if alias.startswith("The ") and not _SENTENCE_START.search(before):
        return "cited"  # a capitalised "The X" mid-sentence is a title
    return None


def _longest_non_overlapping(
    found: list[tuple[int, int, int, str]],
) -> list[tuple[int, int, int, str]]:
    taken: list[tuple[int, int, int, str]] = []  # sorted by start, never overlapping
    for item in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        k = bisect.bisect_left(taken, item)
        # only the neighbours can overlap it: one bisection, not a scan of everything taken
        if (k == 0 or taken[k - 1][1] <= item[0]) and (k == len(taken) or item[1] <= taken[k][0]):
            taken.insert(k, item)
    return taken


def _antecedent(
    head: str, earlier: list[CitedMention], page: SiteKey | None, page_name: str
) -> str | None:
    """The outlet a back-reference such as "the Journal" points at: the latest one named
    before it whose name holds the head word, else the page's own outlet if its name does."""
    pattern = re.compile(rf"\b{re.escape(head)}\b")
    for mention in reversed(earlier):
        if pattern.search(mention.name):
            return mention.site
    if page and pattern.search(page_name):
        return page.site
    return None
