// The background's trust boundaries end to end, with the real browser-api.js, feedback.js and
// background.js loaded in a fake extension runtime: it acts on messages from its own content
// scripts only (browser-api.test.js checks the predicate itself), and sends the article and
// feedback to the configured service's origin only.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const EXTENSION = path.resolve(__dirname, "..");
const OWN_ID = "sidenote-extension-id";
const ANSWER = { version: "x", summary: {}, quotes: [], opinions: [], outlets: [] };

/** background.js in a fresh context; `tab` is what a content script in the tab would do. */
function loadBackground(settings) {
  const messageListeners = [];
  const fetched = [];
  const opened = [];
  const noop = async () => {};
  const chrome = {
    runtime: {
      id: OWN_ID,
      onMessage: { addListener: (listener) => messageListeners.push(listener) },
      getURL: (file) => `chrome-extension://${OWN_ID}/${file}`,
      openOptionsPage: () => opened.push("options"),
    },
    action: { onClicked: { addListener: () => {} }, setBadgeText: noop, setBadgeBackgroundColor: noop, setTitle: noop },
    scripting: {
      // files: injected; func: run "in the tab", which here is this context's `sidenote`.
      executeScript: async ({ func, args = [] }) => (func ? [{ result: func(...args) }] : []),
      insertCSS: noop,
    },
    storage: { local: { get: async () => settings } },
  };
  const context = vm.createContext({
    chrome, URL, AbortSignal, TextEncoder, console, setTimeout, crypto: globalThis.crypto,
    fetch: async (url, init = {}) => {
      fetched.push({ url: String(url), method: init.method || "GET" });
      const headers = { get: () => null };
      return { ok: true, status: 200, headers, json: async () => ANSWER, text: async () => "" };
    },
  });
  let active = false;
  context.sidenote = {
    isActive: () => active,
    // The page decides the article's address; it must not decide where the text goes.
    start: () => { active = true; return { ok: true, text: "Text.", url: "https://evil.example/steal", title: "T" }; },
    render: () => ({ annotations: 0 }),
    fail: () => {},
    clear: () => { active = false; },
  };
  for (const file of ["browser-api.js", "content/feedback.js", "background.js"]) {
    vm.runInContext(fs.readFileSync(path.join(EXTENSION, file), "utf8"), context, { filename: file });
  }
  const send = async (message, sender) => {
    for (const listener of messageListeners) listener(message, sender, () => {});
    await new Promise((resolve) => setTimeout(resolve, 30)); // the handler's calls settle
  };
  return { context, fetched, opened, send };
}

const SETTINGS = { serviceUrl: "http://sidenote.test:8000/some/path?query=1" };
const ANNOTATE_PAGE = { type: "action", action: "annotate-page" };
const OPTIONS = { type: "action", action: "options" };
const TAB = { id: 7, url: "https://news.example/story" };
const OURS = { id: OWN_ID, tab: TAB, url: TAB.url };

function feedbackMessage(context) {
  const label = context.Sidenote.feedback.LABELS.quote[0].id;
  return { type: "feedback", body: { version: "x", kind: "quote", label, start: 0, end: 4, text: "Text" } };
}

test("messages from another extension, a page or our own pages are ignored", async () => {
  const { context, fetched, opened, send } = loadBackground(SETTINGS);
  const strangers = [
    { id: "another-extension", tab: TAB, url: TAB.url },
    { id: undefined, tab: TAB, url: TAB.url }, // a web page
    { id: OWN_ID, url: `chrome-extension://${OWN_ID}/options/options.html` }, // not in a tab
    { id: OWN_ID, tab: TAB, url: `chrome-extension://${OWN_ID}/options/options.html` },
  ];
  for (const sender of strangers) {
    for (const message of [ANNOTATE_PAGE, OPTIONS, feedbackMessage(context)]) await send(message, sender);
  }
  assert.deepEqual(fetched, []);
  assert.deepEqual(opened, []);
});

test("our content script's messages are acted on, and go to the service only", async () => {
  const { context, fetched, opened, send } = loadBackground(SETTINGS);
  await send(OPTIONS, OURS);
  await send(feedbackMessage(context), OURS);
  await send(ANNOTATE_PAGE, OURS);
  assert.deepEqual(opened, ["options"]);
  const posts = fetched.filter((f) => f.method === "POST").map((f) => f.url).sort();
  assert.deepEqual(posts, ["http://sidenote.test:8000/v1/annotate", "http://sidenote.test:8000/v1/feedback"]);
});

test("the article goes to the configured service's origin, nowhere else", async () => {
  const { context, fetched } = loadBackground(SETTINGS);
  const outcome = await context.annotateTab({ id: 7 });
  assert.equal(outcome.state, "done");
  const elsewhere = fetched.filter((f) => !f.url.startsWith(`chrome-extension://${OWN_ID}/`));
  assert.deepEqual(elsewhere, [{ url: "http://sidenote.test:8000/v1/annotate", method: "POST" }]);
});

test("a stored address that is no plain http(s) origin gets no request at all", async () => {
  for (const serviceUrl of ["javascript:fetch('https://evil.example')", "file:///etc/passwd",
    "ftp://sidenote.test/", "http://user:secret@sidenote.test/", "data:text/html,hi", "not a url"]) {
    const { context, fetched } = loadBackground({ serviceUrl });
    const outcome = await context.annotateTab({ id: 7 });
    assert.equal(outcome.state, "bad-address", serviceUrl);
    assert.deepEqual(fetched.filter((f) => !f.url.startsWith("chrome-extension://")), [], serviceUrl);
  }
});
