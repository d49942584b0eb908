"""How well the extension finds a page's article: its own extraction in headless Chromium on
Mozilla Readability's test pages, scored against each page's ``expected.html``.

Prints figures, asserts nothing. Needs Debian's chromium and the suite's folder (each page a
``<slug>/source.html`` with ``expected.html``; it is shared data, never copied here):

    .venv/bin/python -m bench.extraction [../shared/pages/readability-suite] [--pages]

Each page is served as a test page is (every script and remote resource blocked), the
extension's content scripts are evaluated in it, and ``Session.extract()`` runs as the
toolbar click runs it: Readability on a clone, its paragraphs anchored on the live page, the
text to send read off the live DOM. The score is word-level F1 of that text against the text
of ``expected.html`` (words are letters and digits, case folded; each CJK character counts as a
word). A refused page ("not an article") scores 0. Pages are real sites or small synthetic
unit pages (lorem ipsum, under 5 KB, as the suite's README describes them); the two are
reported apart. The time is ``extract()`` alone (clone, Readability, the live page's text,
anchoring), one cold run per page.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT.parent / "shared" / "pages" / "readability-suite"
CHROMIUM = os.environ.get("SIDENOTE_CHROMIUM", "/usr/bin/chromium")
SYNTHETIC_BYTES = 5000
BACKGROUND = ROOT / "extension" / "background.js"
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'"

EXTRACT = """() => {
    const started = performance.now();
    const result = new Sidenote.Session(document, { maxChars: 200000 }).extract();
    const ms = performance.now() - started;
    const article = Sidenote.article.extractArticle(document);
    return {
        ok: result.ok, reason: result.reason || null, text: result.text || "",
        source: result.source || null, title: result.title || null, ms,
        pieces: article ? article.pieces : 0, placed: article ? article.placed : 0,
    };
}"""

CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"  # kana and ideographs: a word each
WORD = re.compile(f"[{CJK}]|[^\\W{CJK}]+")
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip


class _Text(HTMLParser):
    """The text of an HTML fragment, blocks apart, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def words(text: str) -> Counter[str]:
    return Counter(WORD.findall(text.casefold()))


def word_f1(sent: str, expected: str) -> float:
    got, want = words(sent), words(expected)
    common = sum((got & want).values())
    if not common:
        return 1.0 if not got and not want else 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class PageResult:
    slug: str
    synthetic: bool
    readerable: bool | None  # what Readability's own expectations say
    ok: bool
    source: str | None
    f1: float
    ms: float
    pieces: int
    placed: int


def content_scripts() -> str:
    """The files the background injects, in its order, less the entry point (which needs
    the extension's runtime)."""
    listed = BACKGROUND.read_text(encoding="utf-8").split("CONTENT_SCRIPTS = [", 1)[1]
    files = re.findall(r'"([^"]+\.js)"', listed.split("]", 1)[0])
    return "\n;\n".join(
        (ROOT / "extension" / f).read_text(encoding="utf-8")
        for f in files
        if f != "content/content.js"
    )


def measure(suite: Path, slugs: Iterable[str]) -> list[PageResult]:
    import json

    from playwright.sync_api import sync_playwright

    scripts = content_scripts()
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 760})
        cdp = page.context.new_cdp_session(page)
        current: dict[str, bytes] = {}

        def serve(route: Any) -> None:
            if route.request.resource_type == "document":
                route.fulfill(
                    status=200,
                    headers={
                        # the suite keeps every page in UTF-8, whatever its <meta> says
                        "Content-Type": "text/html; charset=utf-8",
                        "Content-Security-Policy": PAGE_CSP,
                    },
                    body=current["body"],
                )
            else:
                route.abort()

        page.route("**/*", serve)
        for slug in slugs:
            folder = suite / slug
            source = (folder / "source.html").read_bytes()
            current["body"] = source
            page.goto(f"http://suite.test/{slug}/", wait_until="load")
            # The page's own scripts are blocked by its CSP; DevTools evaluation is not.
            cdp.send("Runtime.evaluate", {"expression": scripts})
            out = page.evaluate(EXTRACT)
            expected = html_text((folder / "expected.html").read_text(encoding="utf-8"))
            metadata_path = folder / "expected-metadata.json"
            metadata = json.loads(metadata_path.read_text()) if metadata_path.exists() else {}
            results.append(
                PageResult(
                    slug=slug,
                    synthetic=len(source) < SYNTHETIC_BYTES,
                    readerable=metadata.get("readerable"),
                    ok=out["ok"],
                    source=out["source"],
                    f1=word_f1(out["text"], expected) if out["ok"] else 0.0,
                    ms=out["ms"],
                    pieces=out["pieces"],
                    placed=out["placed"],
                )
            )
        browser.close()
    return results


def scores(results: list[PageResult]) -> str:
    f1 = [r.f1 for r in results]
    good = sum(score >= 0.9 for score in f1)
    return (
        f"word F1 mean {statistics.mean(f1):.3f}, median {statistics.median(f1):.3f}, "
        f"at F1 >= 0.9: {good} of {len(f1)} ({good / len(f1):.1%})"
    )


def report(label: str, results: list[PageResult]) -> None:
    if not results:
        return
    print(f"{label}: {len(results)} pages, {scores(results)}")
    refused = [r for r in results if not r.ok]
    named = ", ".join(
        r.slug + (" (Readability's expectations: not readerable)" if r.readerable is False else "")
        for r in refused
    )
    print(f"  refused (not an article): {len(refused)}{': ' + named if refused else ''}")
    articles = [r for r in results if r.readerable is not False]
    if len(articles) < len(results):
        print(f"  the {len(articles)} readerable by Readability's expectations: {scores(articles)}")
    other = Counter(r.source for r in results if r.ok and r.source != "article")
    if other:
        print(f"  sent from another source than the article: {dict(other)}")
    pieces, placed = sum(r.pieces for r in results), sum(r.placed for r in results)
    if pieces:
        print(
            f"  Readability's paragraphs placed on the live page: {placed} of {pieces} "
            f"({placed / pieces:.2%})"
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("suite", nargs="?", type=Path, default=SUITE)
    parser.add_argument("--pages", action="store_true", help="print one line per page")
    parser.add_argument("--only", nargs="*", help="these pages only")
    args = parser.parse_args()
    slugs = args.only or sorted(
        p.name for p in args.suite.iterdir() if (p / "source.html").is_file()
    )
    started = time.perf_counter()
    results = measure(args.suite, slugs)
    load = os.getloadavg()[0]
    print(
        f"{len(results)} pages of {args.suite} in {time.perf_counter() - started:.0f} s "
        f"(load average {load:.2f})"
    )
    if args.pages:
        for r in sorted(results, key=lambda r: r.f1):
            kind = "synthetic" if r.synthetic else "real"
            state = r.source if r.ok else "refused"
            print(
                f"  {r.slug:40s} {kind:9s} {state:9s} F1 {r.f1:.3f} {r.ms:7.1f} ms "
                f"placed {r.placed}/{r.pieces}"
            )
    real = [r for r in results if not r.synthetic]
    report("real-site pages", real)
    report("synthetic pages", [r for r in results if r.synthetic])
    for label, subset in (("all pages", results), ("real-site", real)):
        ms = [r.ms for r in subset]
        if ms:
            print(
                f"extraction + anchoring per page, {label}: p50 {statistics.median(ms):.1f} ms, "
                f"p90 {percentile(ms, 0.9):.1f} ms, max {max(ms):.1f} ms"
            )


if __name__ == "__main__":
    main()
