"""The extension in headless Firefox ESR against the real service: one reader's session per page.

The same session as in Chromium (test_extension.py): the toolbar click, highlights equal to
the service's spans, the panel's quotes with their speakers, a panel click that brings a quote
into view, a kind toggled off and on, the panel folded, a hover tip, and a second click that
leaves the page as it was, so anything Firefox does differently (permissions, its Xray view of
the page, its events) shows. On every other saved page, the article Readability finds in
Firefox, drawn and cleared (test_articles.py's checks).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import dump
from tests.e2e.firefox import Firefox, launched_firefox
from tests.e2e.harness import PageServer, article_page
from tests.e2e.test_articles import SUITE_PAGES
from tests.e2e.test_extension import (
    DOM_WITHOUT_PANEL,
    DRAWN_HIGHLIGHTS,
    PANEL_STATE,
    REAL_PAGES,
    check_sent_article,
    expected_highlights,
    speaker_label,
    squeeze,
)

pytestmark = pytest.mark.e2e

PANEL_QUOTES = """() => [...document.querySelector("sidenote-panel").shadowRoot
    .querySelectorAll("section.quotes button.item")].map((item) => ({
        who: item.querySelector(".who").textContent, text: item.textContent,
    }))"""
PANEL = "document.querySelector('sidenote-panel').shadowRoot"
SETTLE = "await new Promise((resolve) => setTimeout(resolve, 300));"
ACTIVE_TAB = "(await browser.tabs.query({active: true, lastFocusedWindow: true}))[0]"


@pytest.fixture(scope="module")
def firefox(service_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Firefox]:
    with launched_firefox(tmp_path_factory.mktemp("firefox-profile")) as browser:
        assert browser.set_service_url(service_url) == "Saved."
        yield browser


def test_the_options_page_saves_a_service_address_without_asking_again(
    firefox: Firefox, service_url: str
) -> None:
    # 127.0.0.1 is a listed host permission: Firefox must not prompt for it with a port.
    assert firefox.set_service_url(service_url) == "Saved."
    stored = firefox.evaluate(
        firefox.extension_tab, "() => browser.storage.local.get('serviceUrl')"
    )
    assert stored == {"serviceUrl": service_url}


@pytest.mark.parametrize("slug", ["rostec-venezuela", "wapo-1"])
def test_a_page_is_annotated_and_cleared(
    firefox: Firefox, page_server: PageServer, seed_text: str, slug: str
) -> None:
    page_server.extra["rostec-venezuela"] = article_page("Rostec exits Venezuela", seed_text)
    url = firefox.open(page_server.url(slug))
    original_dom = firefox.evaluate(firefox.tab, DOM_WITHOUT_PANEL)
    # Before any click the extension has no access to the page (activeTab only).
    refused = firefox.background(f"async (bg) => (await bg.annotateTab({ACTIVE_TAB})).state")
    assert refused == "forbidden"

    firefox.click_button()
    assert firefox.wait_for(firefox.tab, PANEL_STATE) == "done", firefox.badge()
    exchange = firefox.last_exchange()
    assert exchange["request"]["url"] == url
    check_highlights_and_panel(firefox, exchange)
    assert firefox.badge() == str(exchange["result"]["annotations"])
    assert firefox.evaluate(firefox.tab, DOM_WITHOUT_PANEL) == original_dom
    check_panel_interactions(firefox)
    check_feedback_and_link(firefox, exchange, url)

    firefox.click_button()
    assert firefox.wait_for(firefox.tab, "() => !document.querySelector('sidenote-panel')")
    assert firefox.evaluate(firefox.tab, DRAWN_HIGHLIGHTS) == []
    assert firefox.evaluate(firefox.tab, DOM_WITHOUT_PANEL) == original_dom
    assert firefox.badge() == ""


# Every other saved page: wapo-1 has the full session above.
OTHER_PAGES = ["emoji-astral", *sorted(set(REAL_PAGES) - {"wapo-1"}), *SUITE_PAGES]


@pytest.mark.parametrize("slug", OTHER_PAGES)
def test_the_article_is_sent_drawn_and_cleared(
    firefox: Firefox, page_server: PageServer, slug: str
) -> None:
    url = firefox.open(page_server.url(slug))
    original_dom = firefox.evaluate(firefox.tab, DOM_WITHOUT_PANEL)
    firefox.click_button()
    assert firefox.wait_for(firefox.tab, PANEL_STATE) == "done", firefox.badge()
    exchange = firefox.last_exchange()
    assert exchange["request"]["url"] == url
    if slug != "emoji-astral":
        check_sent_article(slug, exchange["request"])
    check_highlights_and_panel(firefox, exchange)
    firefox.click_button()
    assert firefox.wait_for(firefox.tab, "() => !document.querySelector('sidenote-panel')")
    assert firefox.evaluate(firefox.tab, DRAWN_HIGHLIGHTS) == []
    assert firefox.evaluate(firefox.tab, DOM_WITHOUT_PANEL) == original_dom


def check_highlights_and_panel(firefox: Firefox, exchange: dict[str, Any]) -> None:
    response, sent = exchange["response"], exchange["request"]["text"]
    expected = expected_highlights(response, sent)
    drawn = firefox.evaluate(firefox.tab, DRAWN_HIGHLIGHTS)
    assert exchange["result"]["dropped"] == 0, "a static page must anchor every span"
    assert sorted((n, squeeze(t)) for n, t in drawn) == sorted(
        (n, squeeze(t)) for n, t in expected
    ), dump({"drawn": drawn, "expected": expected})
    listed = firefox.evaluate(firefox.tab, PANEL_QUOTES)
    speakers = [speaker_label(quote["speaker"]) for quote in response["quotes"]]
    assert [item["who"] for item in listed] == speakers


def check_panel_interactions(firefox: Firefox) -> None:
    """The panel's controls, clicked in the page as a reader clicks them."""
    toggled = firefox.evaluate(
        firefox.tab,
        f"""async () => {{
            const box = {PANEL}.querySelector("fieldset.toggles input[type=checkbox]");
            const name = `sidenote-${{box.name}}`, count = () => CSS.highlights.get(name)?.size;
            const before = count();
            box.click(); {SETTLE}
            const off = CSS.highlights.has(name);
            box.click(); {SETTLE}
            return {{before, off, after: count()}};
        }}""",
    )
    assert toggled["before"] and not toggled["off"] and toggled["after"] == toggled["before"]

    scrolled = firefox.evaluate(
        firefox.tab,
        f"""async () => {{
            window.scrollTo(0, 0);
            const items = {PANEL}.querySelectorAll("section.quotes button.item");
            items[items.length - 1].click(); {SETTLE}
            const active = CSS.highlights.get("sidenote-active");
            const top = active && [...active][0].getBoundingClientRect().top;
            return active ? top >= 0 && top < innerHeight : null;
        }}""",
    )
    assert scrolled, "the quote clicked in the panel is not marked in view"

    folded = firefox.evaluate(
        firefox.tab,
        f"""async () => {{
            const fold = {PANEL}.querySelector("button.collapse");
            fold.click();
            const states = [fold.getAttribute("aria-expanded")];
            fold.click();
            return [...states, fold.getAttribute("aria-expanded")];
        }}""",
    )
    assert folded == ["false", "true"]

    point = firefox.evaluate(  # a quote line in view that the folded panel does not cover
        firefox.tab,
        f"""() => {{
            {PANEL}.querySelector("button.collapse").click();
            for (const range of CSS.highlights.get("sidenote-quote")) {{
                range.startContainer.parentElement.scrollIntoView({{block: "center"}});
                for (const rect of range.getClientRects()) {{
                    const x = Math.round(rect.left + Math.min(rect.width / 2, 30));
                    const y = Math.round(rect.top + rect.height / 2);
                    const onTop = y > 0 && y < innerHeight && document.elementFromPoint(x, y);
                    if (rect.width > 20 && onTop && onTop.localName !== "sidenote-panel") {{
                        return {{x, y}};
                    }}
                }}
            }}
            return null;
        }}""",
    )
    assert point, "no quote line to hover"
    firefox.hover(point["x"], point["y"])
    tip = firefox.evaluate(
        firefox.tab,
        f"""() => {{
            const tip = {PANEL}.querySelector(".tip");
            return tip && !tip.hidden && getComputedStyle(tip).display !== "none"
                ? tip.textContent : null;
        }}""",
    )
    assert tip and tip.startswith("Quote · "), tip
    firefox.evaluate(firefox.tab, f"() => {{ {PANEL}.querySelector('button.collapse').click(); }}")


def check_feedback_and_link(firefox: Firefox, exchange: dict[str, Any], url: str) -> None:
    """A feedback button's verdict goes through Firefox's background to the service, without
    the page's address; "Copy link" gives a deep link into the page."""
    button = f"{PANEL}.querySelector('.panel button.feedback')"
    firefox.evaluate(firefox.tab, f"() => {{ {button}.click(); }}")
    said = firefox.wait_for(
        firefox.tab,
        f"() => {{ const t = {button}.textContent; return /^(Thanks|Not sent)/.test(t) && t; }}",
        timeout=15,
    )
    assert said == "Thanks"
    sent = firefox.background("(bg) => bg.sidenoteDebug.lastFeedback")
    assert sent["status"] == 201 and "url" not in sent["request"], sent
    text = exchange["request"]["text"]
    assert sent["request"]["text_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()

    link = firefox.evaluate(
        firefox.tab,
        f"""async () => {{
            const button = {PANEL}.querySelector(".panel button.copy-link");
            button.click(); {SETTLE}
            const field = button.parentElement.querySelector("input.link");
            return field ? field.value : button.textContent;
        }}""",
    )
    assert link.startswith(url.split("#")[0] + "#:~:text="), link
