"""The end-to-end harness, usable without pytest (the fixtures and bench/ use it): the real
service as a subprocess, a local news-page server, and headless Debian Chromium with the
unpacked extension loaded.

The toolbar click is reproduced with the DevTools command ``Extensions.triggerAction``,
which fires ``action.onClicked`` and grants ``activeTab`` exactly like a reader's click
(see ../shared/recipes/extension-e2e.md for the flags and pitfalls). Test pages come from
hosts outside the extension's host permissions (mapped to 127.0.0.1), so the click is the
only way in. Page scripts are switched off by the page server's CSP header: the saved pages'
own scripts (ads, trackers) would otherwise change the DOM under the test.
"""

from __future__ import annotations

import contextlib
import html
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.service import sidenote_service

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_DIR = ROOT / "extension"
PAGES_DIR = ROOT / "tests" / "fixtures" / "pages"
CHROMIUM = os.environ.get("SIDENOTE_CHROMIUM", "/usr/bin/chromium")
PAGE_HOST = "news.test"
# Each saved page is served under its outlet's own host name (resolved to 127.0.0.1), so the
# service sees the URL a reader's browser would send and names the outlet. Hosts on
# Chromium's HSTS preload list (bbc.com, nytimes.com, salon.com) would be upgraded to https,
# which this plain-HTTP server cannot answer: those pages stay on news.test.
PAGE_HOSTS = {
    "cnn": "money.cnn.com",
    "theverge": "www.theverge.com",
    "wapo-1": "www.washingtonpost.com",
    "rostec-venezuela": "spencerfernando.com",
}
# Where screenshots go: docs/screenshots when regenerating the README's images.
SCREENSHOT_DIR = os.environ.get("SIDENOTE_SCREENSHOT_DIR")

# Fixture pages: inline styles allowed, every script and every remote resource blocked.
PAGE_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'"
)


def article_page(title: str, text: str) -> str:
    """A plain news page around an article's text: site chrome, then one <p> per paragraph."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[1:])
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>body{{font:18px/1.6 Georgia,serif;max-width:42rem;margin:1rem auto;padding:0 1rem}}
nav a{{margin-right:1rem}}</style></head>
<body><nav><a href="/">Home</a><a href="/world">World</a><a href="/opinion">Opinion</a></nav>
<div class="share-bar">Share on Facebook · Share on X</div>
<article><h1>{html.escape(paragraphs[0])}</h1>
{body}
</article>
<footer>Copyright · Privacy · Contact</footer></body></html>"""


class PageServer(ThreadingHTTPServer):
    """Serves ``/pages/<slug>/`` from tests/fixtures/pages plus pages built by the tests."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PageHandler)
        self.extra: dict[str, str] = {}

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, slug: str, host: str | None = None) -> str:
        """The page under its outlet's host, or `host` (localhost: a secure context, which
        the clipboard API needs, while the outlets' plain-http hosts are not)."""
        return f"http://{host or PAGE_HOSTS.get(slug, PAGE_HOST)}:{self.port}/pages/{slug}/"


class PageHandler(BaseHTTPRequestHandler):
    server: PageServer

    def do_GET(self) -> None:
        parts = self.path.split("?")[0].strip("/").split("/")
        body: bytes | None = None
        if len(parts) == 2 and parts[0] == "pages":
            slug = parts[1]
            if slug in self.server.extra:
                body = self.server.extra[slug].encode("utf-8")
            elif "." not in slug and (PAGES_DIR / slug / "source.html").is_file():
                body = (PAGES_DIR / slug / "source.html").read_bytes()
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Security-Policy", PAGE_CSP)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def running_page_server() -> Iterator[PageServer]:
    server = PageServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def running_service(
    redis_url: str | None, log_path: Path, key_prefix: str | None = None
) -> Iterator[str]:
    """``sidenote serve`` (the development server) on a free port, ready when it yields; its
    Redis keys (cache, feedback) under `key_prefix`, a fresh one unless given."""
    env = {
        "SIDENOTE_KEY_PREFIX": key_prefix or f"e2e-{uuid.uuid4().hex[:8]}:",
        "SIDENOTE_RATE_LIMIT": "10000/minute",
        # The CI machine is small and shared: a slow analysis is not what these tests test.
        "SIDENOTE_TIME_BUDGET": "60",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    with sidenote_service(env, workers=0, log_path=log_path) as service:
        yield service.url


@dataclass
class Browser:
    """The extension-loaded browser and what the tests do with it."""

    context: Any
    extension_id: str
    cdp: Any

    def worker(self) -> Any:
        """The extension's service worker (MV3 workers stop when idle; fetch it each time)."""
        workers = [w for w in self.context.service_workers if self.extension_id in w.url]
        worker = workers[0] if workers else self.context.wait_for_event("serviceworker")
        # The worker target can appear before its chrome.* bindings do.
        worker.evaluate(
            "async () => { while (!globalThis.chrome?.storage)"
            " await new Promise((r) => setTimeout(r, 20)); }"
        )
        return worker

    def click_action(self, page: Any) -> None:
        """Press the toolbar button on `page`'s tab (grants activeTab like a real click)."""
        targets = self.cdp.send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
        tabs = [t for t in targets if t["url"] == page.url]
        assert len(tabs) == 1, f"open each page at a URL of its own: {page.url}"
        self.cdp.send(
            "Extensions.triggerAction", {"id": self.extension_id, "targetId": tabs[0]["targetId"]}
        )

    def open(self, page: Any, url: str) -> str:
        """Load `url` under a query string of its own, so its tab is found without doubt
        (a just-closed tab on the same URL can still be listed)."""
        page.goto(f"{url}?tab={uuid.uuid4().hex[:8]}", wait_until="load")
        return page.url

    def badge_title(self) -> str:
        return self.worker().evaluate(
            """async () => {
                const [tab] = await chrome.tabs.query({active: true, lastFocusedWindow: true});
                return chrome.action.getTitle({tabId: tab.id});
            }"""
        )

    def last_exchange(self) -> dict[str, Any]:
        return self.worker().evaluate("() => globalThis.sidenoteDebug.lastExchange")

    def badge(self) -> str:
        return self.worker().evaluate(
            """async () => {
                const [tab] = await chrome.tabs.query({active: true, lastFocusedWindow: true});
                return chrome.action.getBadgeText({tabId: tab.id});
            }"""
        )

    def set_service_url(self, url: str) -> None:
        """Through the real options page, as a reader would."""
        page = self.context.new_page()
        page.goto(f"chrome-extension://{self.extension_id}/options/options.html")
        page.fill("#serviceUrl", url)
        page.click("#save")
        page.wait_for_function("document.getElementById('status').textContent === 'Saved.'")
        page.close()
        stored = self.worker().evaluate("() => chrome.storage.local.get('serviceUrl')")
        assert stored["serviceUrl"] == url


@contextlib.contextmanager
def launched_browser(service_url: str, profile: Path) -> Iterator[Browser]:
    """Chromium with the extension, configured through its options page to use the service."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test does)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            viewport={"width": 1200, "height": 760},
            args=[
                f"--disable-extensions-except={EXTENSION_DIR}",
                f"--load-extension={EXTENSION_DIR}",
                "--enable-unsafe-extension-debugging",
                # localhost is left to itself (loopback), every other unknown name fails.
                "--host-resolver-rules="
                + ", ".join(f"MAP {host} 127.0.0.1" for host in {PAGE_HOST, *PAGE_HOSTS.values()})
                + ", MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-sync",
            ],
        )
        try:
            worker = (
                context.service_workers[0]
                if context.service_workers
                else context.wait_for_event("serviceworker", timeout=15000)
            )
            extension_id = worker.url.split("/")[2]
            cdp = context.browser.new_browser_cdp_session()
            handle = Browser(context=context, extension_id=extension_id, cdp=cdp)
            handle.set_service_url(service_url)
            yield handle
        finally:
            context.close()
