"""Articles that Readability finds, on saved pages of its own test suite, in headless Chromium
with the extension and the real service; and what the extension does on a page without one.

On each page the text sent is the article (word F1 at least 0.9 against Readability's own
``expected.html``), its title is Readability's, every span the service returns is drawn on the
live page over exactly its words, the panel lists the same quotes, and the second click
leaves the page as it was. On a page that is no article, the reader's selection is annotated,
or else the panel says so and offers to annotate the whole page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.harness import Browser, PageServer
from tests.e2e.test_extension import (
    DOM_WITHOUT_PANEL,
    DRAWN_HIGHLIGHTS,
    check_highlights_and_panel,
    check_sent_article,
    wait_for_panel,
)

pytestmark = pytest.mark.e2e

# Pages where the old hand-written finder failed (text outside <p>, a chapter, a list-heavy
# post, teaser containers, sections whose ids say "share", a page hidden until its scripts
# run) and a spread of blogs, docs and news; test_extension.py's REAL_PAGES are 7 more.
SUITE_PAGES = [
    "ars-1", "blogger", "bug-1255978", "daringfireball-1", "dropbox-blog", "engadget",
    "firefox-nightly-blog", "gitlab-blog", "google-sre-book-1", "lwn-1", "medium-1",
    "mercurial", "mozilla-1", "quanta-1", "royal-road", "tumblr", "v8-blog", "wikipedia",
]  # fmt: skip


def click_and_clear(browser: Browser, page: Any, original_dom: str) -> None:
    browser.click_action(page)
    page.wait_for_function("() => !document.querySelector('sidenote-panel')")
    assert page.evaluate(DRAWN_HIGHLIGHTS) == []
    assert page.evaluate(DOM_WITHOUT_PANEL) == original_dom


# Which suite pages had highlights drawn: on a page where the service finds nothing to draw
# (a changelog, a manual chapter), the drawing checks above hold trivially, so most must draw.
DREW_SOMETHING: dict[str, bool] = {}
MOST_PAGES_DRAW = 0.6


@pytest.mark.parametrize("slug", SUITE_PAGES)
def test_the_article_is_sent_drawn_and_cleared(
    browser: Browser, page: Any, page_server: PageServer, slug: str
) -> None:
    url = browser.open(page, page_server.url(slug))
    original_dom = page.evaluate(DOM_WITHOUT_PANEL)
    browser.click_action(page)
    assert wait_for_panel(page, browser) == "done"
    exchange = browser.last_exchange()
    assert exchange["request"]["url"] == url
    check_sent_article(slug, exchange["request"])
    check_highlights_and_panel(page, exchange)
    DREW_SOMETHING[slug] = bool(page.evaluate(DRAWN_HIGHLIGHTS))
    assert page.evaluate(DOM_WITHOUT_PANEL) == original_dom
    click_and_clear(browser, page, original_dom)


def test_most_suite_pages_have_highlights_drawn() -> None:
    """Runs after the pages above (pytest keeps definition order)."""
    if len(DREW_SOMETHING) < len(SUITE_PAGES):
        pytest.skip("needs every suite page's test to have run first")
    drew = [slug for slug, drawn in DREW_SOMETHING.items() if drawn]
    assert len(drew) >= MOST_PAGES_DRAW * len(SUITE_PAGES), DREW_SOMETHING


NOT_AN_ARTICLE = """<!doctype html><title>City notes</title>
<nav><a href="/">Home</a> <a href="/city">City</a></nav>
<h1>City notes</h1>
<p>The council met on Monday.</p>
<p>“We will reopen the library,” the mayor said, calling the closure a disgrace.</p>
<p>Critics said the plan was probably too expensive.</p>
<footer>Copyright City Paper</footer>"""


def test_on_a_page_without_an_article_the_selection_is_annotated(
    browser: Browser, page: Any, page_server: PageServer
) -> None:
    page_server.extra["city-notes"] = NOT_AN_ARTICLE
    browser.open(page, page_server.url("city-notes"))
    selected = page.evaluate(
        """() => {
            const [, second, third] = document.querySelectorAll("p");
            const range = document.createRange();
            range.setStart(second.firstChild, 0);
            range.setEnd(third.firstChild, third.firstChild.data.indexOf(" too"));
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return range.toString();
        }"""
    )
    original_dom = page.evaluate(DOM_WITHOUT_PANEL)
    browser.click_action(page)
    assert wait_for_panel(page, browser) == "done"
    exchange = browser.last_exchange()
    sent = exchange["request"]["text"]
    assert sent == "\n\n".join(line.strip() for line in selected.split("\n") if line.strip())
    assert exchange["response"]["quotes"], "the mayor is quoted in the selection"
    check_highlights_and_panel(page, exchange)
    click_and_clear(browser, page, original_dom)


def test_a_page_without_an_article_is_annotated_whole_on_request(
    browser: Browser, page: Any, page_server: PageServer
) -> None:
    page_server.extra["city-notes-2"] = NOT_AN_ARTICLE
    browser.worker().evaluate("() => { globalThis.sidenoteDebug.lastExchange = null; }")
    browser.open(page, page_server.url("city-notes-2"))
    original_dom = page.evaluate(DOM_WITHOUT_PANEL)
    browser.click_action(page)
    assert wait_for_panel(page, browser) == "not-article"
    assert browser.last_exchange() is None, "nothing is sent before the reader asks"
    message = page.locator("sidenote-panel .message")
    assert "does not look like an article" in message.inner_text()
    message.get_by_role("button", name="Annotate the whole page anyway").click()
    page.wait_for_function("() => document.querySelector('sidenote-panel').dataset.state == 'done'")
    exchange = browser.last_exchange()
    sent = exchange["request"]["text"]
    assert re.sub(r"\s+", " ", sent) == (
        "City notes The council met on Monday. “We will reopen the library,” the mayor said,"
        " calling the closure a disgrace. Critics said the plan was probably too expensive."
    ), "the page's text without its navigation and footer"
    check_highlights_and_panel(page, exchange)
    click_and_clear(browser, page, original_dom)
