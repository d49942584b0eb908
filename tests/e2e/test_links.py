"""Deep links in headless Chromium: "Copy link" on a quote and on an opinion phrase gives a
link that, opened in a new tab, has the browser highlight exactly that passage.

How the test sees what the browser highlighted: Debian's Chromium (156) draws a text
fragment's match as ``::target-text`` but exposes it to no script: the document selection
stays empty, ``document.fragmentDirective`` has no members, and no DOM node changes. So the
test styles ``::target-text`` in a colour no page uses (text and background magenta), takes
a screenshot, and reads every character's pixel at the middle of its box (the screenshot is
drawn into a canvas in the page itself, from a ``data:`` URL the fixture pages' CSP allows).
The characters painted magenta must be the passage's, and only they.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.harness import Browser, PageServer
from tests.e2e.test_extension import NON_SPEECH, squeeze, utf16_slice, wait_for_panel

pytestmark = pytest.mark.e2e

TARGET_TEXT_STYLE = (
    "::target-text { background-color: rgb(255, 0, 255) !important;"
    " color: rgb(255, 0, 255) !important; }"
)

# The page's visible characters (whitespace left out) in document order, each marked when its
# middle pixel is magenta: the marked ones, in how many runs, and the characters around them.
MARKED_CHARACTERS = """async (png) => {
    const image = new Image();
    image.src = "data:image/png;base64," + png;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const scale = image.width / innerWidth;
    const chars = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i++) {
            if (/\\s/.test(node.data[i])) continue;
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            if (!box.width || !box.height) continue;
            const x = Math.floor((box.left + box.width / 2) * scale);
            const y = Math.floor((box.top + box.height / 2) * scale);
            const inside = x >= 0 && y >= 0 && x < image.width && y < image.height;
            const k = 4 * (y * image.width + x);
            const marked = inside && pixels[k] > 230 && pixels[k + 1] < 40 && pixels[k + 2] > 230;
            chars.push({ch: node.data[i], marked});
        }
    }
    const first = chars.findIndex((c) => c.marked);
    const last = chars.length - 1 - [...chars].reverse().findIndex((c) => c.marked);
    const text = (list) => list.map((c) => c.ch).join("");
    return {
        marked: text(chars.filter((c) => c.marked)),
        runs: chars.filter((c, i) => c.marked && !(i && chars[i - 1].marked)).length,
        before: first < 0 ? "" : text(chars.slice(Math.max(0, first - 12), first)),
        after: first < 0 ? "" : text(chars.slice(last + 1, last + 13)),
    };
}"""


@pytest.fixture
def reader(browser: Browser) -> Iterator[Any]:
    """A second tab, tall enough to show a whole passage, to open the copied links in."""
    page = browser.context.new_page()
    page.set_viewport_size({"width": 1200, "height": 1800})
    yield page
    page.close()


def annotate(browser: Browser, page: Any, url: str) -> dict[str, Any]:
    browser.open(page, url)
    page.bring_to_front()  # the toolbar click grants access to the active tab only
    browser.click_action(page)
    assert wait_for_panel(page, browser) == "done"
    return browser.last_exchange()


def check_link_highlights(reader: Any, link: str, sent: str, start: int, end: int) -> None:
    """Opening `link` highlights exactly ``sent[start:end]`` (UTF-16 offsets) where it is in
    the page: the same characters, in one run, between the same characters before and after."""
    reader.bring_to_front()
    reader.goto("about:blank")  # a new document: not a same-page jump that keeps the last match
    reader.goto(link, wait_until="load")
    reader.add_style_tag(content=TARGET_TEXT_STYLE)
    seen: dict[str, Any] = {"marked": ""}
    for _ in range(20):  # the match is found, and scrolled to, just after load
        reader.wait_for_timeout(150)
        png = base64.b64encode(reader.screenshot()).decode()
        seen = reader.evaluate(MARKED_CHARACTERS, png)
        if seen["marked"]:
            break
    assert seen["marked"] == squeeze(utf16_slice(sent, start, end)), (link, seen)
    assert seen["runs"] == 1, (link, seen)
    before = squeeze(utf16_slice(sent, 0, start))
    after = squeeze(utf16_slice(sent, end, len(sent.encode("utf-16-le")) // 2))
    assert before.endswith(seen["before"]) and after.startswith(seen["after"]), (link, seen)


def copy_link(page: Any, item_id: str) -> str:
    """Press "Copy link" and read the link: from the clipboard where the page may use it (a
    secure context), else from the field shown instead."""
    page.bring_to_front()  # the clipboard takes text only from the focused page
    button = page.locator(f'sidenote-panel .actions button.copy-link[data-id="{item_id}"]')
    button.click()
    if page.evaluate("isSecureContext"):
        page.wait_for_function(
            """(id) => document.querySelector("sidenote-panel").shadowRoot
                .querySelector(`button.copy-link[data-id="${id}"]`).textContent === "Copied" """,
            arg=item_id,
        )
        return page.evaluate("() => navigator.clipboard.readText()")
    assert button.inner_text() == "Copy the link below"
    field = button.locator("xpath=..").locator("input.link")
    assert field.evaluate("(input) => input.getRootNode().activeElement === input")
    return field.input_value()


def chosen_items(response: dict[str, Any], sent: str) -> list[tuple[str, int, int]]:
    """(item id, start, end in the text sent): a spoken quote, and an author opinion phrase,
    preferably one whose words also occur elsewhere (the link must then say which)."""
    quotes = [
        (index, quote)
        for index, quote in enumerate(response["quotes"])
        if (quote["cue"] or {}).get("type") not in NON_SPEECH and len(quote["text"]) < 400
    ]
    opinions = [
        (index, opinion)
        for index, opinion in enumerate(response["opinions"])
        if opinion["voice"] == "author"
    ]
    assert quotes and opinions, "the page must have a quote and an opinion phrase to link to"
    repeated = [
        (index, opinion)
        for index, opinion in opinions
        if len(re.findall(rf"\b{re.escape(opinion['text'])}\b", sent, flags=re.IGNORECASE)) > 1
    ]
    quote_index, quote = quotes[0]
    opinion_index, opinion = (repeated or opinions)[0]
    return [
        (f"q{quote_index}", quote["start"], quote["end"]),
        (f"o{opinion_index}", opinion["start"], opinion["end"]),
    ]


@pytest.mark.parametrize("host", ["localhost", None], ids=["clipboard", "no-clipboard"])
def test_a_copied_link_opens_with_exactly_the_passage_highlighted(
    browser: Browser, page: Any, reader: Any, page_server: PageServer, host: str | None
) -> None:
    url = page_server.url("wapo-1", host)
    if host:
        browser.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=f"http://{host}:{page_server.port}"
        )
    try:
        exchange = annotate(browser, page, url)
        sent = exchange["request"]["text"]
        for item_id, start, end in chosen_items(exchange["response"], sent):
            link = copy_link(page, item_id)
            address, _, fragment = link.partition("#:~:text=")
            assert address == page.url.split("#")[0], link
            assert fragment and not re.search(r"[\s&]", fragment), link
            # A raw "-" only marks the prefix and the suffix; in the words it is %2D.
            assert all(re.fullmatch(r"[^-]+-|-?[^-]+", term) for term in fragment.split(","))
            check_link_highlights(reader, link, sent, start, end)
    finally:
        browser.context.clear_permissions()
        page.bring_to_front()
        browser.click_action(page)


def test_a_link_to_a_repeated_phrase_says_which_occurrence(
    browser: Browser, page: Any, reader: Any, page_server: PageServer
) -> None:
    """On a page where the same phrase is highlighted twice, each link opens on its own one."""
    sentence = "The reforms were a complete disaster for the farmers of the valley"
    paragraphs = [
        f"Officials said on Monday that {sentence.lower()}.",
        "The ministry disagreed and said the numbers showed a recovery.",
        f"Critics wrote that {sentence.lower()}, and that it would get worse.",
    ]
    page_server.extra["repeated"] = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Repeated</title></head>"
        "<body><article><h1>A repeated phrase in the valley</h1>"
        + "".join(f"<p>{p} {'Farmers and officials met again. ' * 6}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    exchange = annotate(browser, page, page_server.url("repeated"))
    try:
        sent = exchange["request"]["text"]
        response = exchange["response"]
        by_text: dict[str, list[int]] = {}
        for index, opinion in enumerate(response["opinions"]):
            by_text.setdefault(opinion["text"].lower(), []).append(index)
        twice = [indexes for indexes in by_text.values() if len(indexes) > 1]
        assert twice, f"the service must find a phrase twice here: {response['opinions']}"
        links = []
        for index in twice[0]:
            opinion = response["opinions"][index]
            links.append(copy_link(page, f"o{index}"))
            check_link_highlights(reader, links[-1], sent, opinion["start"], opinion["end"])
        assert len(set(links)) == len(links), "each occurrence has a link of its own"
    finally:
        page.bring_to_front()
        browser.click_action(page)
