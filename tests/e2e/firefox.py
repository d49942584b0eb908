"""Debian's Firefox ESR with the unpacked extension, driven over WebDriver BiDi.

Playwright drives only its own patched Firefox, which cannot be installed offline; stock
Firefox speaks BiDi itself, so a small client over ``websockets`` is all it takes. The
extension is installed as a temporary add-on (``webExtension.install``), and the reader's
click is a click on its real toolbar button, pinned to the toolbar, from the browser's own
window (``--remote-allow-system-access`` opens that window to the client). The service
address is saved through the options page with a real pointer click, the gesture Firefox
requires before it grants a host permission.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

from bench.service import free_port
from tests.e2e.harness import EXTENSION_DIR, PAGE_HOST, PAGE_HOSTS

FIREFOX = os.environ.get("SIDENOTE_FIREFOX", "/usr/bin/firefox-esr")
PREFERENCES = {
    # The test pages' hosts resolve to this machine, and stay on plain http.
    "network.dns.localDomains": ",".join(sorted({PAGE_HOST, *PAGE_HOSTS.values()})),
    "dom.security.https_first": False,
    "dom.security.https_first_schemeless": False,
}


class BidiError(RuntimeError):
    pass


class Firefox:
    """One Firefox window: a tab for pages, a tab on the options page, the browser's chrome."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.last_id = 0
        self.extension_id = ""
        self.extension_base = ""  # moz-extension://<this install's uuid>
        self.chrome = ""  # the browser window's own document
        self.tab = ""
        self.extension_tab = ""

    def install_extension(self) -> None:
        """A new session, the extension as a temporary add-on, its button pinned, two tabs."""
        self.command("session.new", capabilities={})
        extension = {"type": "path", "path": str(EXTENSION_DIR)}
        installed = self.command("webExtension.install", extensionData=extension)
        self.extension_id = installed["extension"]
        windows = self.command("browsingContext.getTree", **{"moz:scope": "chrome"})["contexts"]
        self.chrome = windows[0]["context"]
        host = self.evaluate(
            self.chrome,
            "(id) => WebExtensionPolicy.getByID(id).mozExtensionHostname",
            self.extension_id,
        )
        self.extension_base = f"moz-extension://{host}"
        self.evaluate(  # where a reader pins it; unpinned it sits in the extensions menu
            self.chrome,
            "(widget) => CustomizableUI.addWidgetToArea(widget, CustomizableUI.AREA_NAVBAR)",
            self._widget(),
        )
        self.tab = self.command("browsingContext.getTree")["contexts"][0]["context"]
        created = self.command("browsingContext.create", type="tab", background=True)
        self.extension_tab = created["context"]

    def command(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        self.connection.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:  # events come in between; no test subscribes to any
            message = json.loads(self.connection.recv(timeout=60))
            if message.get("id") == self.last_id:
                break
        if message.get("type") == "error":
            raise BidiError(f"{method}: {message['error']}: {message.get('message')}")
        return message["result"]

    def evaluate(self, context: str, function: str, *args: Any) -> Any:
        """Call the JavaScript ``function`` with ``args`` in ``context``; its result, via JSON."""
        expression = (
            f"(async () => JSON.stringify(await ({function})(...{json.dumps(list(args))})))()"
        )
        result = self.command(
            "script.evaluate", expression=expression, target={"context": context}, awaitPromise=True
        )
        if result["type"] == "exception":
            raise BidiError(json.dumps(result["exceptionDetails"])[:2000])
        value = result["result"]
        return json.loads(value["value"]) if value["type"] == "string" else None

    def wait_for(self, context: str, function: str, timeout: float = 60) -> Any:
        """The first truthy result of ``function`` in ``context``, polled."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(context, function)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def navigate(self, context: str, url: str) -> None:
        self.command("browsingContext.navigate", context=context, url=url, wait="complete")

    def open(self, url: str) -> str:
        """Load ``url`` (under a query string of its own) in the page tab, in front."""
        url = f"{url}?tab={uuid.uuid4().hex[:8]}"
        self.navigate(self.tab, url)
        self.command("browsingContext.activate", context=self.tab)
        return url

    def click_button(self) -> None:
        """The reader's click on the extension's toolbar button."""
        self.evaluate(
            self.chrome,
            """(widget) => {
                const node = CustomizableUI.getWidget(widget).forWindow(window).node;
                (node.querySelector(".unified-extensions-item-action-button") || node).click();
            }""",
            self._widget(),
        )

    def hover(self, x: int, y: int) -> None:
        """Move the mouse off the page's text, then onto the viewport point (x, y)."""
        moves = [
            {"type": "pointerMove", "x": 1, "y": 1},
            {"type": "pause", "duration": 100},
            {"type": "pointerMove", "x": x, "y": y},
            {"type": "pause", "duration": 300},
        ]
        self.pointer(self.tab, moves)

    def pointer(self, context: str, actions: list[dict[str, Any]]) -> None:
        """Real mouse input (trusted events, a user gesture) in ``context``."""
        self.command(
            "input.performActions",
            context=context,
            actions=[{"type": "pointer", "id": "mouse", "actions": actions}],
        )

    def background(self, function: str) -> Any:
        """Call ``function(backgroundWindow)`` from the extension's own tab."""
        return self.evaluate(
            self.extension_tab,
            f"async () => ({function})(await browser.runtime.getBackgroundPage())",
        )

    def last_exchange(self) -> dict[str, Any]:
        return self.background("(bg) => bg.sidenoteDebug.lastExchange")

    def badge(self) -> str:
        return self.evaluate(
            self.extension_tab,
            """async () => {
                const [tab] = await browser.tabs.query({active: true, lastFocusedWindow: true});
                return browser.action.getBadgeText({tabId: tab.id});
            }""",
        )

    def set_service_url(self, url: str) -> str:
        """Through the real options page, with a real click on Save; returns its status line."""
        self.navigate(self.extension_tab, f"{self.extension_base}/options/options.html")
        self.wait_for(self.extension_tab, "() => document.getElementById('serviceUrl').value")
        fill = "(url) => { document.getElementById('serviceUrl').value = url; }"
        self.evaluate(self.extension_tab, fill, url)
        # A pointer moves only within the viewport: bring Save into it (the page is long).
        reveal = "() => document.getElementById('save').scrollIntoView({block: 'center'})"
        self.evaluate(self.extension_tab, reveal)
        (save,) = self.command(
            "browsingContext.locateNodes",
            context=self.extension_tab,
            locator={"type": "css", "value": "#save"},
        )["nodes"]
        click = [
            {"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": save}},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0},
        ]
        self.pointer(self.extension_tab, click)
        return self.wait_for(
            self.extension_tab, "() => document.getElementById('status').textContent", timeout=10
        )

    def _widget(self) -> str:
        """The toolbar widget Firefox makes for the extension's action."""
        name = "".join(c if c.isalnum() or c in "_-" else "_" for c in self.extension_id.lower())
        return f"{name}-browser-action"


@contextlib.contextmanager
def launched_firefox(profile: Path) -> Iterator[Firefox]:
    """Headless Firefox with the extension installed and its button pinned to the toolbar."""
    if not Path(FIREFOX).exists():
        raise RuntimeError(f"{FIREFOX} is missing: apt-get install firefox-esr (scripts/test does)")
    lines = (f'user_pref("{name}", {json.dumps(value)});\n' for name, value in PREFERENCES.items())
    (profile / "user.js").write_text("".join(lines))
    port = free_port()
    log = (profile / "firefox.log").open("wb")
    process = subprocess.Popen(
        [FIREFOX, "--headless", "--no-remote", "--profile", str(profile),
         f"--remote-debugging-port={port}", "--remote-allow-system-access"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        with _connect(f"ws://127.0.0.1:{port}/session", process) as connection:
            firefox = Firefox(connection)
            firefox.install_extension()
            yield firefox
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _connect(url: str, process: subprocess.Popen[bytes]) -> ClientConnection:
    deadline = time.monotonic() + 30
    while True:
        try:
            return connect(url, max_size=None, open_timeout=5)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Firefox did not open its remote agent") from None
            time.sleep(0.1)
