"""The service's demo page in headless Chromium: paste the seed article, see the highlights
and the panel drawn by the extension's own modules, under the service's strict CSP."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import screenshot_path
from tests.e2e.harness import Browser
from tests.e2e.test_extension import (
    DRAWN_HIGHLIGHTS,
    check_highlights_and_panel,
    check_scroll_to_annotation,
    check_toggles,
    squeeze,
    wait_for_panel,
)

pytestmark = pytest.mark.e2e


def test_demo_page_annotates_pasted_text(
    browser: Browser, page: Any, service_url: str, seed_text: str, tmp_path: Path
) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{service_url}/")
    page.fill("#demo-text", seed_text)
    page.fill("#demo-url", "https://spencerfernando.com/2019/06/03/report-rostec/")
    page.click("#demo-annotate")
    assert wait_for_panel(page) == "done"

    exchange = page.evaluate("() => globalThis.sidenoteDemo.lastExchange")
    assert squeeze(exchange["request"]["text"]) == squeeze(seed_text)
    assert exchange["request"]["url"] == "https://spencerfernando.com/2019/06/03/report-rostec/"
    response = check_highlights_and_panel(page, exchange)
    assert response["quotes"] and response["opinions"]
    check_scroll_to_annotation(page, response)
    check_toggles(page)
    assert problems == [], "the page must run under the service's CSP without errors"
    assert all(url.startswith(service_url) for url in requests), "the demo never leaves its origin"

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshot_path(tmp_path, "demo-page.png"))
    page.locator("sidenote-panel button.clear").click()
    assert page.evaluate(DRAWN_HIGHLIGHTS) == []
    assert page.evaluate("() => document.querySelector('sidenote-panel')") is None


def test_demo_page_serves_only_the_extensions_page_modules(service_url: str) -> None:
    with urllib.request.urlopen(f"{service_url}/extension/content/panel.js") as response:
        assert response.status == 200
        assert "Sidenote.Panel" in response.read().decode()
    for private in ("manifest.json", "background.js", "options/options.js", "../pyproject.toml"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{service_url}/extension/{private}")
        assert error.value.code == 404


REANCHOR_WITH_FALLBACK = """async (text) => {
    const { Session, anchoring, annotations } = globalThis.Sidenote;
    const article = document.getElementById("demo-article");
    article.replaceChildren(...text.split(/\\n\\s*\\n/).map((paragraph) => {
        const p = document.createElement("p");
        p.textContent = paragraph.trim();
        return p;
    }));
    const session = new Session(document, { root: article, forceFallback: true });
    const sent = session.extract().text;
    const reply = await fetch("/v1/annotate", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: sent, offset_unit: "utf16" }),
    });
    const response = await reply.json();
    const spans = annotations.spansOf(response);

    // The page changes after the analysis: a paragraph appears on top, and one opinion
    // phrase is reworded.
    const edited = response.opinions.find((o) => o.voice === "author") || response.opinions[0];
    const at = anchoring.extractText(article).span(edited.start, edited.end);
    at.start.node.replaceData(at.start.offset, at.end.offset - at.start.offset, "[reworded]");
    const update = document.createElement("p");
    update.textContent = "Update: this story was changed after publication.";
    article.prepend(update);
    const before = article.innerHTML;

    const result = session.render(response);
    const drawn = session.highlighter.items.map((i) => [i.id, i.name, i.range.toString()]);
    const marks = document.querySelectorAll("sidenote-mark").length;
    const native = [...CSS.highlights.keys()].filter((k) => k.startsWith("sidenote-")).length;
    session.clear();
    return {
        sent, result, drawn, marks, native, restored: article.innerHTML === before,
        expected: spans
            .filter((s) => s.end <= edited.start || s.start >= edited.end)
            .map((s) => [s.id, annotations.highlightName(s.kind), sent.slice(s.start, s.end)]),
        overlapping: spans.filter((s) => s.start < edited.end && s.end > edited.start).length,
    };
}"""


def test_changed_page_is_reanchored_and_fallback_marks_are_undone(
    page: Any, service_url: str, seed_text: str
) -> None:
    """Drift and the no-Highlight-API fallback, with the extension's modules on the demo page:
    spans move with the text, the reworded one is dropped (not misplaced), and the
    <sidenote-mark> wrappers are removed without a trace."""
    page.goto(f"{service_url}/")
    outcome = page.evaluate(REANCHOR_WITH_FALLBACK, seed_text)
    assert outcome["overlapping"] >= 1
    assert outcome["result"]["dropped"] == outcome["overlapping"]
    assert sorted(map(tuple, outcome["drawn"])) == sorted(map(tuple, outcome["expected"]))
    assert outcome["marks"] > 0 and outcome["native"] == 0
    assert outcome["restored"], "clearing the fallback must restore the article's DOM"
