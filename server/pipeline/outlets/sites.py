"""A domain or URL reduced to the keys its ratings are stored under.

Matching never widens a rating: a source that rates a subdomain or a path rates only that
subdomain or path, and an author's site on a publishing platform (someone.blogspot.com,
medium.com/@someone) is never rated by the platform's rating. Wrappers (AMP caches and
viewers, redirects, archive URLs) are unwrapped to the URL they carry.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from server.pipeline.outlets.tables import tables

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


def safe_site(url: str | None) -> SiteKey | None:
    """The page's site, or None: a page URL that names no public site gets no page note."""
    if not url:
        return None
    try:
        return site_key(url)
    except ValueError:
        return None


@lru_cache(maxsize=2048)
def cited_site(key: str) -> SiteKey:
    """A rated key from the alias table as a site, cached: the same outlets recur on every page."""
    return site_key(key)
