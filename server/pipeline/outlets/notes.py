"""One outlet's note: each source's verdict, the band, any disagreement, a plain explanation."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from server.pipeline.outlets.bands import decide, is_stale, lin_band
from server.pipeline.outlets.sites import SiteKey, site_key
from server.pipeline.outlets.tables import tables
from server.pipeline.types import OutletNote, Platform, Rating, SourceVerdict

UNRATED = (
    "not rated by the open sources we use (Wikipedia's Perennial sources list and "
    "Lin et al. 2023). This is not a verdict on the outlet: most sites are simply not rated."
)


def lookup(domain_or_url: str, role: str = "page") -> OutletNote:
    """The note for one outlet, given a bare domain or any URL on it (GET /v1/outlets/<x>).

    Raises ValueError when the value is not an http(s) URL or a public domain name.
    """
    if role not in ("page", "cited", "credit"):
        raise ValueError(f"role must be page, cited or credit, not {role!r}")
    key = site_key(domain_or_url)
    note = note_for(key, role)
    return replace(note, mentions=[])


@lru_cache(maxsize=4096)
def note_for(key: SiteKey, role: str, written: str | None = None) -> OutletNote:
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

    band, decided_by, counted = decide(rsp_rows, pc1)
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
    band, _, _ = decide(platform_rows, data.lin.get(key.platform))
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
        stale=is_stale(row["year"]),
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
        band=lin_band(pc1),
        stale=is_stale(2023),
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
        stale=is_stale(2017),
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
    if rsp_rows and pc1 is not None and lin_band(pc1) != band:
        parts.append(
            f"Sources disagree: Wikipedia's Perennial sources list puts it in the {band} band, "
            f"while Lin et al. (2023) score it {pc1:.2f}, in our {lin_band(pc1)} range. "
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
