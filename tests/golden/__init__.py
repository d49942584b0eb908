"""Golden outputs: every analyzer's full output on a fixed set of texts, committed as JSON.

A change in what an analyzer returns shows up as a failing test that names the analyzer, the
text and the first span that differs. Changing the output on purpose takes two steps: bump the
analyzer's ``version`` (the Redis cache keys on ``PIPELINE_VERSION``, which is built from it,
so a cached answer from the old code is never served for the new one), then rewrite that
analyzer's goldens with one command::

    .venv/bin/python -m tests.golden.regenerate quotes      # or opinions, outlets; none: all

Each analyzer has its own folder (``tests/golden/<analyzer>/<text>.json``), so a change to one
analyzer rewrites only its files. Each file records the analyzer's version and a digest of the
text it was made from. The texts: the fixture pages (``tests/fixtures/pages``, the article
Readability extracts, else the page), the seed article and the hand-written ``texts/*.txt``,
which exercise one family of quote shapes each.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bench.extraction import html_text
from server.pipeline import ANALYZERS, annotate

GOLDEN_DIR = Path(__file__).resolve().parent
TEXTS_DIR = GOLDEN_DIR / "texts"
FIXTURES = GOLDEN_DIR.parent / "fixtures"
PAGES_DIR = FIXTURES / "pages"
SEED_DIR = FIXTURES / "seed"
REGENERATE = ".venv/bin/python -m tests.golden.regenerate"


@dataclass(frozen=True, slots=True)
class GoldenText:
    name: str
    text: str
    url: str | None = None
    title: str | None = None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def page_text(html: str) -> str:
    """An HTML article as the extension sends one: a paragraph per block, blank lines between."""
    lines = (" ".join(line.split()) for line in html_text(html).split("\n"))
    return "\n\n".join(line for line in lines if line)


@cache
def golden_texts() -> tuple[GoldenText, ...]:
    texts = []
    for folder in sorted(p for p in PAGES_DIR.iterdir() if p.is_dir()):
        html = folder / "expected.html"
        if not html.exists():
            html = folder / "source.html"
        metadata = folder / "metadata.json"
        title = json.loads(metadata.read_text("utf-8")).get("title") if metadata.exists() else None
        texts.append(
            GoldenText(f"page-{folder.name}", page_text(html.read_text("utf-8")), None, title)
        )
    seed = json.loads((SEED_DIR / "rostec-venezuela.expected.json").read_text("utf-8"))
    seed_text = (SEED_DIR / "rostec-venezuela.txt").read_text("utf-8")
    texts.append(GoldenText("seed-rostec-venezuela", seed_text, seed["url"]))
    for path in sorted(TEXTS_DIR.glob("*.txt")):
        texts.append(GoldenText(f"text-{path.stem}", path.read_text("utf-8")))
    return tuple(texts)


def versions() -> dict[str, str]:
    return {analyzer.name: analyzer.version for analyzer in ANALYZERS}


@cache
def outputs(item: GoldenText) -> dict[str, list[Any]]:
    """Each analyzer's spans for the text as the API returns them (JSON values)."""
    body = annotate(item.text, url=item.url, title=item.title)
    return json.loads(json.dumps({name: body[name] for name in versions()}))


def golden_path(analyzer: str, item: GoldenText) -> Path:
    return GOLDEN_DIR / analyzer / f"{item.name}.json"


def record(analyzer: str, item: GoldenText) -> dict[str, Any]:
    """What the golden file holds: the version, the text's digest and the output."""
    return {
        "analyzer": analyzer,
        "version": versions()[analyzer],
        "text": {"name": item.name, "sha256": item.digest},
        "output": outputs(item)[analyzer],
    }


def serialize(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, indent=1) + "\n"


def load(analyzer: str, item: GoldenText) -> dict[str, Any] | None:
    path = golden_path(analyzer, item)
    return json.loads(path.read_text("utf-8")) if path.exists() else None
