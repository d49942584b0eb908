"""The band rule: which source's verdict sets an outlet's band, and when a rating is stale.

Every source's verdict is shown side by side; the band follows one fixed rule (``decide``) so
disagreements are shown, not averaged away.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

STALE_AFTER_YEARS = 5
# Lin et al. pc1 cut-offs are ours (see the data README), not the authors'.
LIN_RELIABLE, LIN_MIXED = 0.70, 0.40
# Entry names that rate part of an outlet's output, not the outlet (band rule, step 1).
_PARTIAL_ENTRY = re.compile(
    r"blogs?\b|contributors?|profiles?|non-staff|sponsored|talk shows?", re.IGNORECASE
)
_COUNTRY_ONLY = re.compile(r"^(\((UK|USA|US|India|Australia|Canada|Ireland)\)\s*)+$")


def decide(rsp_rows: list[dict[str, Any]], pc1: float | None) -> tuple[str, str | None, list[bool]]:
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
        return lin_band(pc1), "lin2023", []
    return "unknown", None, []


def _counts_for_band(row: dict[str, Any]) -> bool:
    qualifier = row["qualifier"] or ""
    scoped = bool(qualifier) and not _COUNTRY_ONLY.match(qualifier)
    return not scoped and not _PARTIAL_ENTRY.search(row["entry"])


def lin_band(pc1: float) -> str:
    if pc1 >= LIN_RELIABLE:
        return "reliable"
    return "mixed" if pc1 >= LIN_MIXED else "unreliable"


def is_stale(year: int | None) -> bool:
    return year is not None and date.today().year - year > STALE_AFTER_YEARS
