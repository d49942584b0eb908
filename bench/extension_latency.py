"""How fast the extension feels: click to highlights, and anchoring many annotations.

Prints figures, asserts nothing (tests assert correctness; this measures). Needs Debian's
chromium; uses REDIS_URL when set, else the service's in-process cache.

    .venv/bin/python -m bench.extension_latency [--runs 5] [--words 2000]

1. Click to highlights on an article of about ``--words`` words (the seed article's
   paragraphs repeated, each copy numbered so no two are identical), with a warm service
   (model loaded): the first click (cache miss) and later clicks (cache hits), from the
   toolbar click until the panel says done.
2. Anchoring and drawing 200 annotations on that article (on the demo page, which loads
   the extension's modules): the time ``session.render`` takes for a response with 200
   opinion spans. It is one long task; under 50 ms does not freeze the page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from tests.e2e.harness import article_page, launched_browser, running_page_server, running_service

SEED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "seed" / "rostec-venezuela.txt"

PANEL_DONE = "() => document.querySelector('sidenote-panel')?.getAttribute('data-state') === 'done'"

RENDER_200 = """(text) => {
    const { Session } = globalThis.Sidenote;
    const root = document.getElementById("demo-article");
    root.replaceChildren(...text.split("\\n\\n").map((paragraph) => {
        const p = document.createElement("p");
        p.textContent = paragraph;
        return p;
    }));
    const session = new Session(document, { root });
    const sent = session.extract().text;
    const words = [...sent.matchAll(/[A-Za-z]{4,}/g)];
    const step = Math.max(1, Math.floor(words.length / 200));
    const categories = ["loaded", "hedge", "speculation", "intensifier"];
    const opinions = [];
    for (let i = 0; i < words.length && opinions.length < 200; i += step) {
        const m = words[i];
        opinions.push({ start: m.index, end: m.index + m[0].length, text: m[0],
            category: categories[opinions.length % 4], voice: "author", score: 0.5,
            reason: "bench" });
    }
    const response = { offset_unit: "utf16", summary: {}, opinions, quotes: [], outlets: [] };
    const t0 = performance.now();
    const result = session.render(response);
    const ms = performance.now() - t0;
    session.clear();
    return { ms, drawn: result.drawn, dropped: result.dropped };
}"""


def long_article(words: int) -> str:
    seed = SEED.read_text(encoding="utf-8").split("\n\n")
    title, paragraphs = seed[0], seed[1:]
    out, count, copy = [title], 0, 0
    while count < words:
        copy += 1
        for paragraph in paragraphs:
            out.append(f"({copy}) {paragraph}")
            count += len(paragraph.split())
    return "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=2000)
    args = parser.parse_args()
    text = long_article(args.words)
    with tempfile.TemporaryDirectory() as tmp, running_page_server() as pages:
        pages.extra["bench"] = article_page("Bench article", text)
        log = Path(tmp) / "service.log"
        with (
            running_service(os.environ.get("REDIS_URL"), log) as service,
            launched_browser(service, Path(tmp) / "profile") as browser,
        ):
            page = browser.context.new_page()
            timings = []
            for run in range(args.runs + 1):
                browser.open(page, pages.url("bench"))
                started = time.perf_counter()
                browser.click_action(page)
                page.wait_for_function(PANEL_DONE, timeout=120000)
                timings.append(time.perf_counter() - started)
                if run == 0:
                    exchange = browser.last_exchange()
                browser.click_action(page)
                page.wait_for_function("() => !document.querySelector('sidenote-panel')")
            # The extension's modules run in an isolated world on news pages; the demo page
            # loads the same files in its main world, where a bench can call them.
            page.goto(f"{service}/")
            render = [page.evaluate(RENDER_200, text) for _ in range(args.runs)]
    sent_words = len(exchange["request"]["text"].split())
    response = exchange["response"]
    print(
        f"article: {sent_words} words, {len(response['opinions'])} opinions, "
        f"{len(response['quotes'])} quotes returned"
    )
    print(f"click -> highlights, first click (cache miss): {timings[0] * 1000:.0f} ms")
    hits = timings[1:]
    print(
        f"click -> highlights, cache hit: median {statistics.median(hits) * 1000:.0f} ms, "
        f"max {max(hits) * 1000:.0f} ms over {len(hits)} clicks"
    )
    ms = [r["ms"] for r in render]
    print(
        f"anchor + draw 200 annotations: median {statistics.median(ms):.1f} ms, "
        f"max {max(ms):.1f} ms (drawn {render[0]['drawn']}, dropped {render[0]['dropped']})"
    )


if __name__ == "__main__":
    main()
