"""The shipped rating data, loaded once per process, with the lookup structures built from it.

Ratings come from open, citable data in ``server/data/outlets/`` (built by
``scripts/build_outlet_data.py``): Wikipedia's Perennial sources list (WP:RSP), Lin et al.
2023, and OpenSources 2017 as a historical tag.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick
import tldextract

DATA_PATH = Path(__file__).resolve().parents[2] / "data" / "outlets" / "outlets.json"


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
