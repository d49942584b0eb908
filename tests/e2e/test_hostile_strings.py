"""Strings from the service are text, never markup: a service (or anything between it and the
reader) that answers HTML in a speaker's name, a quote, a reason, a cue, an outlet's note or
name gets it shown literally, in the panel, the hover tip and the demo page, and nothing runs.

The answers are the real service's for the seed article, with every shown string replaced by
PAYLOAD on the way back: through a poisoning proxy for the extension, which also serves the
article page without any CSP (so an injected handler would run), and by routing the demo
page's request.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.e2e.harness import PAGE_HOSTS, Browser, article_page
from tests.e2e.test_extension import check_hover_tip, wait_for_panel

pytestmark = pytest.mark.e2e

# Breaks out of an attribute value and opens an element whose handler marks the page.
RAN = "document.documentElement.dataset.sidenoteXss='ran'"
PAYLOAD = f'"\'><img src=x onerror="{RAN}"><svg onload="{RAN}">'
NOTHING_RAN = """() => {
    const panel = document.querySelector("sidenote-panel");
    const roots = [document, ...(panel && panel.shadowRoot ? [panel.shadowRoot] : [])];
    return {
        ran: document.documentElement.dataset.sidenoteXss || null,
        injected: roots.reduce((n, r) => n + r.querySelectorAll("img, svg").length, 0),
        scriptLinks: roots.reduce((n, r) => n + [...r.querySelectorAll("a[href]")]
            .filter((a) => a.protocol !== "http:" && a.protocol !== "https:").length, 0),
        shown: panel ? panel.shadowRoot.textContent.split(PAYLOAD).length - 1 : 0,
    };
}""".replace("PAYLOAD", json.dumps(PAYLOAD))


def poison(response: dict[str, Any]) -> dict[str, int]:
    """Replace every string the reader is shown; returns how many of each kind."""
    counts = {"speaker": 0, "quote": 0, "cue": 0, "reason": 0, "note": 0}
    for quote in response["quotes"]:
        quote["text"] = PAYLOAD
        counts["quote"] += 1
        if quote["speaker"]:
            quote["speaker"]["name"] = quote["speaker"]["mention"] = PAYLOAD
            counts["speaker"] += 1
        if quote["cue"]:
            quote["cue"]["text"] = PAYLOAD
            counts["cue"] += 1
    for opinion in response["opinions"]:
        opinion["reason"] = PAYLOAD
        counts["reason"] += 1
    for outlet in response["outlets"]:
        outlet.update(name=PAYLOAD, note=PAYLOAD, about_data=PAYLOAD)
        counts["note"] += 1
        for source in (outlet.get("rating") or {}).get("sources") or []:
            source.update(name=PAYLOAD, verdict=PAYLOAD, url=f"javascript:{RAN}")
    return counts


class PoisoningProxy(ThreadingHTTPServer):
    """Forwards POST /v1/annotate to the real service and poisons its answer; serves the
    article page at /article, with no Content-Security-Policy."""

    daemon_threads = True

    def __init__(self, service_url: str, page: str) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.service_url = service_url
        self.page = page
        self.counts: dict[str, int] = {}


class ProxyHandler(BaseHTTPRequestHandler):
    server: PoisoningProxy

    def do_GET(self) -> None:
        self._send("text/html; charset=utf-8", self.server.page.encode())

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = urllib.request.Request(
            self.server.service_url + "/v1/annotate", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            response = json.load(answer)
        self.server.counts = poison(response)
        self._send("application/json", json.dumps(response).encode())

    def _send(self, content_type: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def proxy(service_url: str, seed_text: str) -> Iterator[PoisoningProxy]:
    server = PoisoningProxy(service_url, article_page("Rostec exits Venezuela", seed_text))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def check_nothing_ran(page: Any, counts: dict[str, int]) -> None:
    assert all(counts.values()), f"every kind of string was poisoned: {counts}"
    page.wait_for_timeout(300)  # an image's error handler would have fired by now
    state = page.evaluate(NOTHING_RAN)
    assert state["ran"] is None and state["injected"] == 0 and state["scriptLinks"] == 0, state
    # Shown as text: each quote (its speaker, cue and words), reason and outlet line.
    assert state["shown"] >= sum(counts.values()), state


def test_the_extension_shows_hostile_strings_as_text(
    browser: Browser, page: Any, proxy: PoisoningProxy, service_url: str
) -> None:
    # The outlet's own host (resolved to 127.0.0.1), so the page's outlet gets a note too.
    url = f"http://{PAGE_HOSTS['rostec-venezuela']}:{proxy.server_address[1]}/article"
    browser.set_service_url(f"http://127.0.0.1:{proxy.server_address[1]}")
    try:
        browser.open(page, url)
        browser.click_action(page)
        assert wait_for_panel(page, browser) == "done"
        check_nothing_ran(page, proxy.counts)
        check_hover_tip(page, browser.last_exchange()["response"])  # the tip names PAYLOAD
        assert page.evaluate(NOTHING_RAN)["ran"] is None
    finally:
        browser.set_service_url(service_url)


def test_the_demo_page_shows_hostile_strings_as_text(
    page: Any, service_url: str, seed_text: str
) -> None:
    counts: dict[str, int] = {}

    def poisoned(route: Any) -> None:
        answer = route.fetch()
        body = answer.json()
        counts.update(poison(body))
        route.fulfill(response=answer, json=body)

    page.route(f"{service_url}/v1/annotate", poisoned)
    page.goto(f"{service_url}/")
    page.fill("#demo-text", seed_text)
    page.fill("#demo-url", "https://spencerfernando.com/2019/06/03/report-rostec/")
    page.click("#demo-annotate")
    assert wait_for_panel(page) == "done"
    check_nothing_ran(page, counts)
    response = page.evaluate("() => globalThis.sidenoteDemo.lastExchange.response")
    check_hover_tip(page, response)
