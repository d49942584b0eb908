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
