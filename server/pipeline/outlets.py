"""Outlet-credibility notes for the page's own outlet and every outlet the text names.

Ratings come from open, citable data shipped in ``server/data/outlets/`` (built by
``scripts/build_outlet_data.py``): Wikipedia's Perennial sources list (WP:RSP), Lin et al.
2023, and OpenSources 2017 as a historical tag. Every source's verdict is shown side by side;
the band follows one fixed rule (``_decide``) so disagreements are shown, not averaged away.

Matching never widens a rating: a source that rates a subdomain or a path rates only that
subdomain or path, and an author's site on a publishing platform (someone.blogspot.com,
medium.com/@someone) is never rated by the platform's rating.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

import ahocorasick
import tldextract

from server.pipeline.document import Document
from server.pipeline.types import Mention, OutletNote, Platform, Rating, SourceVerdict

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "outlets" / "outlets.json"
UNRATED = (
    "not rated by the open sources we use (Wikipedia's Perennial sources list and "
    "Lin et al. 2023). This is not a verdict on the outlet: most sites are simply not rated."
)
STALE_AFTER_YEARS = 5
# Lin et al. pc1 cut-offs are ours (see the data README), not the authors'.
LIN_RELIABLE, LIN_MIXED = 0.70, 0.40
# Entry names that rate part of an outlet's output, not the outlet (band rule, step 1).
_PARTIAL_ENTRY = re.compile(
    r"blogs?\b|contributors?|profiles?|non-staff|sponsored|talk shows?", re.IGNORECASE
)
_COUNTRY_ONLY = re.compile(r"^(\((UK|USA|US|India|Australia|Canada|Ireland)\)\s*)+$")
_STRIPPED_LABELS = {"www", "www1", "www2", "www3", "m", "mobile", "amp"}
_RESERVED_PATHS = {
    "",
    "watch",
    "i",
    "home",
    "search",
    "explore",
    "hashtag",
    "share",
    "intent",
    "settings",
    "login",
    "results",
    "embed",
    "shorts",
    "p",
    "reel",
    "reels",
    "status",
    "about",
    "tag",
    "feed",
    "notifications",
    "messages",
    "groups",
    "events",
    "pages",
    "hashtags",
    "sharer",
}


class SiteKey(NamedTuple):
    """Where a URL points, reduced to what the ratings are keyed by."""

    site: str  # host, or host/path for an author on a path-based platform
    domain: str  # registrable domain (private PSL section included)
    keys: tuple[str, ...]  # rated keys to try, most specific first
    platform: str | None  # platform domain when the site is on a publishing platform
    author: bool  # the site is one author's space on that platform


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


# ---------------------------------------------------------------- data, loaded once


class _Tables:
    """The shipped data plus the structures built from it once per process."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.about_data: str = raw["about_data"]
        self.sources: dict[str, dict[str, Any]] = raw["sources"]
        self.rsp_entries: list[dict[str, Any]] = raw["rsp_entries"]
        self.rsp: dict[str, list[int]] = raw["rsp"]
        self.lin: dict[str, float] = raw["lin2023"]
        self.opensources: dict[str, list[str]] = raw["opensources"]
        self.platforms: dict[str, dict[str, str]] = raw["platforms"]
        self.regional: dict[str, dict[str, str]] = raw["regional"]
        self.names: dict[str, str] = raw["names"]
        self.aliases: list[list[Any]] = raw["aliases"]
        self.automaton = ahocorasick.Automaton()
        for index, (alias, *_rest) in enumerate(self.aliases):
            self.automaton.add_word(alias, index)
        self.automaton.make_automaton()
        # Bundled suffix list only, never a network fetch; the private section makes
        # someone.blogspot.com a site of its own.
        self.extract = tldextract.TLDExtract(
            suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
        )
        self.extract("example.com")  # parse the bundled list now, not on the first request


@cache
def tables() -> _Tables:
    """Load the shipped data once per process (about 50 ms)."""
    with DATA_PATH.open(encoding="utf-8") as handle:
        return _Tables(json.load(handle))


# ---------------------------------------------------------------- URLs to rated keys


def site_key(domain_or_url: str) -> SiteKey:
    """Reduce a domain or URL to the keys its ratings are stored under.

    Raises ValueError for anything that is not an http(s) URL or a public domain name; the
    message never repeats the value, which may be a private URL headed for a log.
    """
    value = (domain_or_url or "").strip()
    if not value:
        raise ValueError("Expected a domain or URL; got an empty value.")
    host, path = _split(value)
    for _ in range(4):  # wrappers can nest (an AMP viewer around an AMP cache URL)
        unwrapped = _unwrap(host, path)
        if unwrapped is None:
            break
        host, path = _split(unwrapped)
    data = tables()
    public = data.extract(host, include_psl_private_domains=False)
    public_domain = public.top_domain_under_public_suffix
    if public.ipv4 or not public.suffix:
        raise ValueError("Not a public web domain: its ending is not a known public suffix.")
    if not public_domain:
        raise ValueError("A public suffix (such as co.uk) is not a site.")
    labels = host.split(".")  # www., m., amp. name the same site, down to the domain itself
    while labels[0] in _STRIPPED_LABELS and len(".".join(labels[1:])) >= len(public_domain):
        labels = labels[1:]
    host = ".".join(labels)
    # The private PSL section makes someone.blogspot.com a domain of its own; a host that is
    # itself a private suffix (blogspot.com) keeps its public registrable domain.
    domain = data.extract(host).top_domain_under_public_suffix or public_domain
    segments = [unquote(s).lower() for s in path.split("/") if s][:6]

    platform_domain = public_domain if public_domain in data.platforms else None
    if platform_domain is None and domain in data.platforms:
        platform_domain = domain
    author = False
    floor = domain
    if platform_domain:
        how = data.platforms[platform_domain]["author"]
        if "subdomain" in how and host != platform_domain:
            # The author's own site; the platform is not its parent. The private PSL section
            # already says so for some platforms (blogspot.com), not for others (substack.com).
            if domain == public_domain:
                domain = ".".join(labels[-(platform_domain.count(".") + 2) :])
            floor = domain
            author = True
        elif host == platform_domain:
            author_path = _author_path(how, segments)
            if author_path:
                floor = host + "/" + "/".join(author_path)
                author = True
    keys = _candidate_keys(host, segments, domain, floor)
    return SiteKey(floor if author else host, domain, keys, platform_domain, author)


def _split(value: str) -> tuple[str, str]:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        scheme = value.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise ValueError("Only http and https URLs name a web outlet.")
    else:
        value = "http://" + value
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").rstrip(".")
    except ValueError as error:
        raise ValueError(f"Not a valid URL ({error}).") from None
    if not host or not re.fullmatch(r"[\w.-]+", host) or ".." in host:
        raise ValueError("Expected a domain or URL; found no valid host name.")
    query = f"?{parts.query}" if parts.query else ""
    return host.lower(), parts.path + query


def _unwrap(host: str, path: str) -> str | None:
    """The original URL inside an AMP cache, AMP viewer, redirect or archive URL, if any."""
    if host.endswith("cdn.ampproject.org"):
        match = re.match(r"^/[a-z]/(?:s/)?(.+)$", path)
        return "https://" + match.group(1) if match else None
    labels = host.split(".")
    if "google" in labels and path.startswith("/amp/"):
        match = re.match(r"^/amp/(?:s/)?(.+)$", path)
        return "https://" + match.group(1) if match else None
    redirector = (
        "google" in labels
        or "facebook" in labels
        or host.endswith("safelinks.protection.outlook.com")
    )
    params = parse_qs(path.partition("?")[2]) if redirector else {}
    for name in ("url", "q", "u"):
        target = params.get(name, [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    if host == "web.archive.org":
        match = re.match(r"^/web/[^/]+/(https?://.+|[^/]+\..+)$", path)
        return match.group(1) if match else None
    return None


def _author_path(how: str, segments: list[str]) -> list[str] | None:
    """The path segments that name one author or account on a path-based platform."""
    if not segments:
        return None
    first = segments[0]
    if first.startswith("@"):
        return [first]
    if how == "path" and first in ("c", "channel", "user") and len(segments) > 1:
        return segments[:2]
    if how == "path" and first not in _RESERVED_PATHS:
        return [first]
    if how == "path2" and first in ("r", "u", "user") and len(segments) > 1:
        return segments[:2]
    return None


def _candidate_keys(host: str, segments: list[str], domain: str, floor: str) -> tuple[str, ...]:
    """Host+path, then host, then parent hosts down to the floor (longest match first)."""
    keys: list[str] = []
    labels = host.split(".")
    for i in range(len(labels)):
        current = ".".join(labels[i:])
        if len(current) < len(domain):
            break
        for n in range(len(segments), 0, -1):
            keys.append(current + "/" + "/".join(segments[:n]))
        keys.append(current)
    if floor != domain or "/" in floor:
        keys = [k for k in keys if k == floor or k.startswith(floor + "/")]
    return tuple(keys)


# ---------------------------------------------------------------- the band rule


def _decide(
    rsp_rows: list[dict[str, Any]], pc1: float | None
) -> tuple[str, str | None, list[bool]]:
    """Band, deciding source, and which WP:RSP rows set it (README "Which source decides").

    1. WP:RSP: one row sets the band; with several rows, only rows without a topic or time
       qualifier and without a partial-output entry name (blogs, contributors, talk shows...)
       count: if they agree that is the band, otherwise (or if none is left) ``mixed``.
    2. Lin et al. 2023 pc1: >= 0.70 reliable, 0.40-0.70 mixed, < 0.40 unreliable.
    3. Otherwise unknown. OpenSources never sets a band.
    """
    if rsp_rows:
        if len(rsp_rows) == 1:
            return rsp_rows[0]["band"], rsp_rows[0]["source"], [True]
        counted = [_counts_for_band(row) for row in rsp_rows]
        bands = {row["band"] for row, used in zip(rsp_rows, counted, strict=True) if used}
        band = bands.pop() if len(bands) == 1 else "mixed"
        return band, rsp_rows[0]["source"], counted
    if pc1 is not None:
        return _lin_band(pc1), "lin2023", []
    return "unknown", None, []


def _counts_for_band(row: dict[str, Any]) -> bool:
    qualifier = row["qualifier"] or ""
    scoped = bool(qualifier) and not _COUNTRY_ONLY.match(qualifier)
    return not scoped and not _PARTIAL_ENTRY.search(row["entry"])


def _lin_band(pc1: float) -> str:
    if pc1 >= LIN_RELIABLE:
        return "reliable"
    return "mixed" if pc1 >= LIN_MIXED else "unreliable"


def _stale(year: int | None) -> bool:
    return year is not None and date.today().year - year > STALE_AFTER_YEARS


# ---------------------------------------------------------------- notes


def lookup(domain_or_url: str, role: str = "page") -> OutletNote:
    """The note for one outlet, given a bare domain or any URL on it (GET /v1/outlets/<x>).

    Raises ValueError when the value is not an http(s) URL or a public domain name.
    """
    if role not in ("page", "cited", "credit"):
        raise ValueError(f"role must be page, cited or credit, not {role!r}")
    key = site_key(domain_or_url)
    note = _note_for(key, role)
    return replace(note, mentions=[])


@lru_cache(maxsize=4096)
def _note_for(key: SiteKey, role: str, written: str | None = None) -> OutletNote:
    """Cached per site: the returned note is shared, so callers copy it (``replace``).

    ``written`` is how the text names the outlet, its name when the data gives none.
    """
    data = tables()
    rsp_key = next((k for k in key.keys if k in data.rsp), None)
    lin_key = next((k for k in key.keys if k in data.lin), None)
    os_key = next((k for k in key.keys if k in data.opensources), None)
    rsp_rows = [data.rsp_entries[i] for i in data.rsp[rsp_key]] if rsp_key else []
    pc1 = data.lin[lin_key] if lin_key else None
    name = _name(key, rsp_key or lin_key, written)
    platform = _platform(key)
    base = OutletNote(
        domain=key.domain,
        name=name,
        role=role,
        site=key.site,
        platform=platform,
        about_data=data.about_data,
    )
    if role == "credit":
        base.note = (
            f"{name} is credited here for a photo or video; it is not cited as a source of "
            "reporting, so it gets no news-source rating."
        )
        return base

    band, decided_by, counted = _decide(rsp_rows, pc1)
    # When every row is scoped, the split itself set the band: all of them decided it.
    deciding = counted if any(counted) else [True] * len(counted)
    pairs = zip(rsp_rows, deciding, strict=True)
    verdicts = [_rsp_verdict(row, rsp_key or "", decides) for row, decides in pairs]
    if pc1 is not None:
        verdicts.append(_lin_verdict(pc1, lin_key or "", decides=decided_by == "lin2023"))
    if os_key:
        verdicts.append(_opensources_verdict(data.opensources[os_key], os_key))
    first = rsp_rows[0] if rsp_rows else {}
    base.band = band
    base.country = next((row["country"] for row in rsp_rows if row["country"]), None)
    base.ownership = next((row["ownership"] for row in rsp_rows if row["ownership"]), None)
    if verdicts:
        base.rating = Rating(
            band=band,
            sources=verdicts,
            decided_by=data.sources[decided_by]["short"] if decided_by else None,
        )
    deciding = [v for v in verdicts if v.decides]
    base.stale = bool(deciding) and all(v.stale for v in deciding)
    base.disagreement = _disagreement(band, rsp_rows, counted, pc1)
    base.note = _explain(base, first, rsp_rows, pc1)
    return base


def _name(key: SiteKey, rated_key: str | None, written: str | None) -> str:
    data = tables()
    if key.author:
        return key.site
    for candidate in (rated_key, key.site, key.domain):
        if candidate and candidate in data.names:
            return data.names[candidate]
    return written or key.site


def _platform(key: SiteKey) -> Platform | None:
    if not key.platform:
        return None
    data = tables()
    info = data.platforms[key.platform]
    platform_rows = [data.rsp_entries[i] for i in data.rsp.get(key.platform, [])]
    band, _, _ = _decide(platform_rows, data.lin.get(key.platform))
    return Platform(domain=key.platform, name=info["name"], kind=info["kind"], band=band)


def _rsp_verdict(row: dict[str, Any], match: str, decides: bool) -> SourceVerdict:
    source = tables().sources[row["source"]]
    return SourceVerdict(
        name=source["short"],
        verdict=row["rating"],
        year=row["year"],
        url=row["url"],
        band=row["band"],
        qualifier=row["qualifier"],
        stale=_stale(row["year"]),
        match=match,
        entry=row["entry"],
        snapshot=source["snapshot"],
        decides=decides,
    )


def _lin_verdict(pc1: float, match: str, decides: bool) -> SourceVerdict:
    source = tables().sources["lin2023"]
    return SourceVerdict(
        name=source["short"],
        verdict=f"aggregate quality score {pc1:.2f} (0 lowest, 1 highest)",
        year=2023,
        url=source["url"],
        band=_lin_band(pc1),
        stale=_stale(2023),
        match=match,
        score=pc1,
        snapshot=source["snapshot"],
        decides=decides,
    )


def _opensources_verdict(tag_band: list[str], match: str) -> SourceVerdict:
    source = tables().sources["opensources_2017"]
    tags, band = tag_band
    return SourceVerdict(
        name=source["short"],
        verdict="tagged " + ", ".join(tags.split("|")) + " (historical; not used for the band)",
        year=2017,
        url=source["dataset_url"],
        band=band,
        stale=_stale(2017),
        match=match,
        snapshot=source["snapshot"],
    )


def _disagreement(
    band: str, rsp_rows: list[dict[str, Any]], counted: list[bool], pc1: float | None
) -> str | None:
    """A plain sentence when the sources (or Wikipedia's own unscoped rows) disagree."""
    parts = []
    unscoped = [row for row, used in zip(rsp_rows, counted, strict=True) if used]
    if len({row["band"] for row in unscoped}) > 1:
        listed = "; ".join(f"{row['entry']}: {row['rating']}" for row in unscoped)
        parts.append(
            f"Wikipedia's entries for this site disagree ({listed}), so the band is mixed."
        )
    if rsp_rows and pc1 is not None and _lin_band(pc1) != band:
        parts.append(
            f"Sources disagree: Wikipedia's Perennial sources list puts it in the {band} band, "
            f"while Lin et al. (2023) score it {pc1:.2f}, in our {_lin_band(pc1)} range. "
            "The band follows Wikipedia, the first source in our rule."
        )
    return " ".join(parts) or None


def _explain(
    note: OutletNote, first: dict[str, Any], rsp_rows: list[dict[str, Any]], pc1: float | None
) -> str:
    """One plain-language paragraph: what the sources say, how sure, and what it does not cover."""
    sentences = []
    if rsp_rows:
        if len(rsp_rows) == 1:
            year = f" (last discussed {first['year']})" if first["year"] else ""
            scope = f" for {first['qualifier'].strip('()')}" if first["qualifier"] else ""
            sentences.append(
                f"{note.name}: Wikipedia's Perennial sources list marks it "
                f'"{first["rating"]}"{scope}{year}, so the band is {note.band}.'
            )
        else:
            listed = "; ".join(f"{row['rating']} ({_scope(row)})" for row in rsp_rows)
            sentences.append(
                f"{note.name}: Wikipedia's editors rate parts of it separately: {listed}. "
                f"The band is {note.band}."
            )
        if first.get("summary"):
            sentences.append(first["summary"])
    elif pc1 is not None:
        sentences.append(
            f"{note.name} is not on Wikipedia's Perennial sources list; Lin et al. (2023), who "
            f"combine six expert rating sets, score it {pc1:.2f} on a 0 to 1 scale, which we read "
            f"as {note.band} (the cut-offs are ours, not the authors')."
        )
    else:
        sentences.append(f"{note.name} is {UNRATED}")
    if note.disagreement:
        sentences.append(note.disagreement)
    if note.stale:
        sentences.append("The rating that sets the band is more than five years old.")
    if note.platform:
        platform = note.platform
        if note.site != platform.domain:
            space = "site" if platform.kind == "self-published" else "account"
            sentences.append(
                f"This is one author's {space} on {platform.name} ({platform.domain}), a "
                f"{platform.kind} platform: {platform.name}'s own rating ({platform.band}) is "
                "about the platform as a source and does not rate this author."
            )
        else:
            sentences.append(
                f"{platform.name} is a {platform.kind} platform: its rating covers the platform "
                "as a source, not any one author or account on it."
            )
    verdicts = note.rating.sources if note.rating else []
    historical = [v for v in verdicts if v.name == tables().sources["opensources_2017"]["short"]]
    if historical:
        tags = historical[0].verdict.split(" (")[0]
        sentences.append(f"OpenSources (2017, now defunct) {tags}; that tag does not set the band.")
    return " ".join(sentences)


def _scope(row: dict[str, Any]) -> str:
    return row["qualifier"].strip("()") if row["qualifier"] else row["entry"]


# ---------------------------------------------------------------- outlets named in the text

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
    page = _safe_site(doc.url)
    mentions = _find(doc.text, page)
    doc.memo["outlet_mentions"] = mentions
    return mentions


def _safe_site(url: str | None) -> SiteKey | None:
    if not url:
        return None
    try:
        return site_key(url)
    except ValueError:
        return None


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
    page_name = _note_for(page, "page").name if page else ""
    for start, end, alias, key, rule, head, role in matches:
        if rule == "anaphor":
            key = _antecedent(head, mentions, page, page_name)
            if key is None:
                continue
        elif rule == "regional" and page:
            for suffix, regional_key in data.regional.get(alias, {}).items():
                if page.domain.endswith(suffix):
                    key = regional_key
        target = _cited_site(key)
        written = alias if rule == "paper" else None  # the alias table names all the others
        mentions.append(
            CitedMention(
                start=start,
                end=end,
                text=text[start:end],
                domain=target.domain,
                name=_note_for(target, "cited", written).name,
                role=role,
                site=target.site,
            )
        )
    return mentions


@lru_cache(maxsize=2048)
def _cited_site(key: str) -> SiteKey:
    return site_key(key)


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


# ---------------------------------------------------------------- the analyzer


class OutletAnalyzer:
    name = "outlets"
    version = "3"

    def analyze(self, doc: Document) -> list[OutletNote]:
        """A note for the page's outlet, then one per outlet the text names."""
        page = _safe_site(doc.url)
        notes: dict[str, OutletNote] = {}
        if page:
            notes[page.site] = replace(_note_for(page, "page"), mentions=[])
        grouped: dict[str, list[CitedMention]] = {}
        for mention in find_mentions(doc):
            grouped.setdefault(mention.site, []).append(mention)
        for site, mentions in grouped.items():
            spans = [Mention(m.start, m.end, m.text) for m in mentions]
            if page and (site == page.site or mentions[0].domain == page.domain):
                notes[page.site].mentions.extend(spans)  # the page naming itself
                continue
            role = "cited" if any(m.role == "cited" for m in mentions) else "credit"
            # the name the mentions carry: the data's, or for a paper it lacks, the text's
            note = _note_for(_cited_site(site), role, mentions[0].name)
            note = replace(note, mentions=spans)
            notes[site] = note
        return list(notes.values())
