"""Reader feedback in headless Chromium against the real service and its Redis: a button
pressed in the panel or in a highlight's hover tip ends up as a record in the service's
feedback stream, with the label, the annotation and the text's digest, and the page's
address only when the reader switched that on in the options."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import pytest

from server.feedback import RedisFeedback
from tests.conftest import make_config
from tests.e2e.conftest import screenshot_path
from tests.e2e.harness import Browser, PageServer
from tests.e2e.test_extension import hover_quote_line, utf16_slice
from tests.e2e.test_links import annotate

pytestmark = pytest.mark.e2e

# All a record may hold: what the reader said of which annotation, never the page's text.
RECORD_FIELDS = {
    "id", "received", "version", "kind", "label", "start", "end", "offset_unit", "text",
    "domain", "comment", "text_sha256", "url",
}  # fmt: skip


@pytest.fixture
def records(redis_url: str, service_key_prefix: str) -> Any:
    """The records the e2e service stored since the test began (other tests of the session,
    Firefox's too, give feedback on the same pages), read through the service's own store."""
    config = make_config(redis_url=redis_url, cache_prefix=service_key_prefix)
    store = RedisFeedback.from_config(config)
    before = {record["id"] for record in store.export()}
    return lambda: [record for record in store.export() if record["id"] not in before]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_for(records: Any, text_sha256: str, label: str) -> dict[str, Any]:
    """The one record of `label` on the text, once the service has it."""
    for _ in range(50):
        found = [r for r in records() if r["text_sha256"] == text_sha256 and r["label"] == label]
        if found:
            assert len(found) == 1, found
            assert set(found[0]) <= RECORD_FIELDS, found[0]
            return found[0]
        time.sleep(0.1)
    pytest.fail(f"no {label} record for the text {text_sha256}")


def press(button: Any) -> str:
    """Press a feedback button and return what it says once the service answered."""
    button.click()
    button.page.wait_for_function(
        "(b) => b.textContent !== 'Sending…' && b.textContent !== b.dataset.first",
        arg=button.element_handle(),
    )
    return button.inner_text()


def panel_button(page: Any, item_id: str, label: str) -> Any:
    button = page.locator(
        f'sidenote-panel .panel button.feedback[data-id="{item_id}"][data-label="{label}"]'
    )
    button.evaluate("(b) => { b.dataset.first = b.textContent; }")
    return button


def set_send_page_url(browser: Browser, on: bool) -> None:
    """Through the options page, as a reader would."""
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options/options.html")
    assert "SHA-256" in options.locator("#feedback-sent").inner_text()
    assert not options.locator("#sendPageUrl").is_checked() or on is False
    options.locator("#sendPageUrl").set_checked(on)
    options.click("#save")
    options.wait_for_function("document.getElementById('status').textContent === 'Saved.'")
    options.close()
    stored = browser.worker().evaluate("() => chrome.storage.local.get('sendPageUrl')")
    assert stored["sendPageUrl"] is on


def finish(browser: Browser, page: Any) -> None:
    page.bring_to_front()
    browser.click_action(page)
    page.wait_for_function("() => !document.querySelector('sidenote-panel')")


def test_a_button_in_the_panel_stores_the_verdict_without_the_page_address(
    browser: Browser, page: Any, page_server: PageServer, records: Any, tmp_path: Path
) -> None:
    exchange = annotate(browser, page, page_server.url("wapo-1"))
    try:
        sent, response = exchange["request"]["text"], exchange["response"]
        index, opinion = next(
            (i, o) for i, o in enumerate(response["opinions"]) if o["voice"] == "author"
        )
        assert press(panel_button(page, f"o{index}", "not_opinion")) == "Thanks"
        assert page.locator(
            f'sidenote-panel .panel button.feedback[data-id="o{index}"][data-label="not_opinion"]'
        ).is_disabled()
        item = page.locator("sidenote-panel .opinions li").filter(
            has=page.locator(f'button.item[data-id="o{index}"]')
        )
        page.mouse.move(1, 1)
        item.screenshot(path=screenshot_path(tmp_path, "feedback-thanks.png"))

        record = record_for(records, digest(sent), "not_opinion")
        assert record["kind"] == "opinion" and record["version"] == response["version"]
        assert (record["start"], record["end"]) == (opinion["start"], opinion["end"])
        assert record["offset_unit"] == "utf16"
        assert record["text"] == opinion["text"]
        assert record["text"] == utf16_slice(sent, record["start"], record["end"])
        assert "url" not in record, "the page's address only where the reader allowed it"
    finally:
        finish(browser, page)


def test_a_button_in_the_hover_tip_stores_the_verdict(
    browser: Browser, page: Any, page_server: PageServer, records: Any, tmp_path: Path
) -> None:
    exchange = annotate(browser, page, page_server.url("wapo-1"))
    try:
        sent, response = exchange["request"]["text"], exchange["response"]
        page.locator("sidenote-panel button.collapse").click()  # the lines free to hover
        tip = hover_quote_line(page)
        assert tip.locator(".tip-text").first.inner_text().startswith("Quote · ")
        box = tip.bounding_box()
        page.screenshot(  # the tip, and the line it is about above it
            path=screenshot_path(tmp_path, "feedback-tip.png"),
            clip={
                "x": max(0, box["x"] - 120), "y": max(0, box["y"] - 80),
                "width": box["width"] + 240, "height": box["height"] + 100,
            },
        )  # fmt: skip
        button = tip.locator('button.feedback[data-label="wrong_speaker"]').first
        item_id = button.get_attribute("data-id")
        button.evaluate("(b) => { b.dataset.first = b.textContent; }")
        assert press(button) == "Thanks", "the tip stays while the pointer is on it"
        # The same verdict's button in the panel says so too.
        page.locator("sidenote-panel button.collapse").click()
        assert panel_button(page, item_id, "wrong_speaker").inner_text() == "Thanks"

        quote = response["quotes"][int(item_id[1:])]
        record = record_for(records, digest(sent), "wrong_speaker")
        assert record["kind"] == "quote"
        assert (record["start"], record["end"], record["text"]) == (
            quote["start"], quote["end"], quote["text"],
        )  # fmt: skip
        assert "url" not in record
    finally:
        finish(browser, page)


def test_with_the_option_on_the_record_has_the_page_address(
    browser: Browser, page: Any, page_server: PageServer, records: Any
) -> None:
    set_send_page_url(browser, True)
    try:
        exchange = annotate(browser, page, page_server.url("wapo-1"))
        outlets = exchange["response"]["outlets"]
        index = next(i for i, o in enumerate(outlets) if o["role"] == "page")
        assert press(panel_button(page, f"u{index}", "rating_wrong")) == "Thanks"
        record = record_for(records, digest(exchange["request"]["text"]), "rating_wrong")
        assert record["kind"] == "outlet" and record["domain"] == outlets[index]["domain"]
        assert record["url"] == page.url, "the page's address, as the reader's tab has it"
        finish(browser, page)
    finally:
        set_send_page_url(browser, False)


def test_an_unreachable_service_is_told_in_plain_words(
    browser: Browser, page: Any, page_server: PageServer, service_url: str
) -> None:
    exchange = annotate(browser, page, page_server.url("emoji-astral"))
    browser.worker().evaluate("() => chrome.storage.local.set({serviceUrl: 'http://127.0.0.1:9'})")
    try:
        quote_ids = [f"q{i}" for i in range(len(exchange["response"]["quotes"]))]
        button = panel_button(page, quote_ids[0], "not_quote")
        said = press(button)
        assert said == "Not sent: the Sidenote service is unreachable.", said
        assert button.is_enabled(), "the reader may try again"
    finally:
        browser.worker().evaluate(
            f"() => chrome.storage.local.set({{serviceUrl: '{service_url}'}})"
        )
        finish(browser, page)


def test_the_background_takes_feedback_only_from_its_own_content_scripts(
    browser: Browser, records: Any
) -> None:
    """The options page, open in a tab, is no content script: its message gets no answer and
    nothing is sent (a web page's own scripts cannot message the background at all)."""
    body = {
        "version": "v", "kind": "opinion", "label": "not_opinion", "start": 0, "end": 5,
        "text": "words", "text_sha256": "e" * 64,
    }  # fmt: skip
    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options/options.html")
    answer = options.evaluate(
        "(body) => chrome.runtime.sendMessage({type: 'feedback', body})", body
    )
    options.close()
    assert answer is None
    time.sleep(0.5)
    assert not [r for r in records() if r["text_sha256"] == body["text_sha256"]]
