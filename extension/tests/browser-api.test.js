// Unit tests of the browser-API wrapper's own logic.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { hostPattern } = require("../browser-api.js");

test("a host permission names scheme and host, never a port", () => {
  assert.equal(hostPattern("http://127.0.0.1:8000"), "http://127.0.0.1/*");
  assert.equal(hostPattern("https://sidenote.example.org"), "https://sidenote.example.org/*");
  assert.equal(hostPattern("http://[::1]:8000"), "http://[::1]/*");
});

test("the background hears only this extension's content scripts, not its pages nor others", () => {
  const path = require.resolve("../browser-api.js");
  delete require.cache[path];
  globalThis.chrome = { runtime: { id: "sidenote", getURL: (p) => `chrome-extension://sidenote/${p}` } };
  try {
    const { browserApi } = require(path);
    const tab = { id: 7, url: "https://news.example/story" };
    assert.equal(browserApi.fromOwnContentScript({ id: "sidenote", tab, url: tab.url }), true);
    assert.equal(browserApi.fromOwnContentScript({ id: "other", tab, url: tab.url }), false);
    assert.equal(browserApi.fromOwnContentScript({ id: "sidenote", url: "chrome-extension://sidenote/options/options.html" }), false);
    assert.equal(
      browserApi.fromOwnContentScript({ id: "sidenote", tab, url: "chrome-extension://sidenote/options/options.html" }),
      false, "the options page open in a tab",
    );
    assert.equal(browserApi.fromOwnContentScript(undefined), false);
  } finally {
    delete globalThis.chrome;
    delete require.cache[path];
  }
});
