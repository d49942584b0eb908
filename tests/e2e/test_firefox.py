"""The extension in headless Firefox ESR against the real service: one reader's session per page.

What Chromium's tests check in depth (scrolling, hover tips, toggles) runs in the same
content scripts; here each page gets the toolbar click, highlights equal to the service's
spans, the panel's quotes with their speakers, and a second click that leaves the page as it
was, so anything Firefox does differently (permissions, its Xray view of the page) shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import dump
from tests.e2e.firefox import Firefox, launched_firefox
from tests.e2e.harness import PageServer, article_page
from tests.e2e.test_extension import (
    DOM_WITHOUT_PANEL,
    DRAWN_HIGHLIGHTS,
    PANEL_STATE,
    expected_highlights,
    speaker_label,
    squeeze,
)

pytestmark = pytest.mark.e2e

PANEL_QUOTES = """() => [...document.querySelector("sidenote-panel").shadowRoot
    .querySelectorAll("section.quotes button.item")].map((item) => ({
        who: item.querySelector(".who").textContent, text: item.textContent,
    }))"""
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

    firefox.click_button()
    assert firefox.wait_for(firefox.tab, "() => !document.querySelector('sidenote-panel')")
    assert firefox.evaluate(firefox.tab, DRAWN_HIGHLIGHTS) == []
    assert firefox.evaluate(firefox.tab, DOM_WITHOUT_PANEL) == original_dom
    assert firefox.badge() == ""


def check_highlights_and_panel(firefox: Firefox, exchange: dict[str, Any]) -> None:
    response, sent = exchange["response"], exchange["request"]["text"]
    expected = expected_highlights(response, sent)
    drawn = firefox.evaluate(firefox.tab, DRAWN_HIGHLIGHTS)
    assert exchange["result"]["dropped"] == 0, "a static page must anchor every span"
    assert drawn, "the page has quotes and opinions to draw"
    assert sorted((n, squeeze(t)) for n, t in drawn) == sorted(
        (n, squeeze(t)) for n, t in expected
    ), dump({"drawn": drawn, "expected": expected})
    listed = firefox.evaluate(firefox.tab, PANEL_QUOTES)
    speakers = [speaker_label(quote["speaker"]) for quote in response["quotes"]]
    assert [item["who"] for item in listed] == speakers
