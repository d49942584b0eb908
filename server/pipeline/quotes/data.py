"""Where the quote analyzer's data lives, and its word lists and thresholds (server/data/quotes)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "quotes"


@cache
def _data(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, "rb") as handle:
        return tomllib.load(handle)


def word_list(name: str) -> frozenset[str]:
    """A word list of ``words.toml`` (lists read better as prose than one word per line)."""
    return frozenset(_data("words.toml")[name].split())


def threshold(name: str) -> Any:
    return _data("thresholds.toml")[name]
