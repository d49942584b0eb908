// Unit tests of the response -> highlights/panel reshaping shared by extension and demo.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const {
  spansOf, panelModel, errorState, speakerLabel, HIDDEN_BY_DEFAULT,
} = require("../content/annotations.js");

const response = {
  offset_unit: "utf16",
  summary: { words: 120, quotes: { total: 2, named: 1, anonymous: 1, unattributed: 0 }, opinions_per_100_words: 1.7, outlets_cited: 1 },
  opinions: [
    { start: 5, end: 11, text: "likely", category: "speculation", voice: "author", score: 0.5, reason: "a guess" },
    { start: 40, end: 48, text: "disaster", category: "loaded", voice: "quoted", score: 0.9, reason: "judgement" },
  ],
  quotes: [
    {
      start: 30, end: 60, text: "x", kind: "mixed", fragments: [[30, 40], [50, 60]],
      speaker: { name: "Jane Doe", mention: "Doe", start: 62, end: 65, type: "person" },
      cue: { text: "said", start: 66, end: 70, type: "speech" }, via: "wsj.com", confidence: 0.9,
    },
    { start: 80, end: 90, text: "y", kind: "direct", fragments: [], speaker: { name: "", mention: "a person close to the ministry", start: 91, end: 120, type: "anonymous" }, cue: null, via: null },
  ],
  outlets: [
    { domain: "example.com", name: "Example", role: "page", mentions: [], rating: null, note: "Not rated" },
    { domain: "wsj.com", name: "The Wall Street Journal", role: "cited", mentions: [{ start: 1, end: 4, text: "WSJ" }], rating: { band: "reliable", sources: [] }, note: "" },
  ],
};

test("spansOf gives one span per fragment, speaker and opinion, sharing the quote's id", () => {
  const spans = spansOf(response);
  const quoteSpans = spans.filter((s) => s.kind === "quote");
  assert.deepEqual(quoteSpans.map((s) => [s.id, s.start, s.end]), [["q0", 30, 40], ["q0", 50, 60], ["q1", 80, 90]]);
  assert.deepEqual(spans.filter((s) => s.kind === "speaker").map((s) => s.id), ["q0", "q1"]);
  const opinion = spans.find((s) => s.id === "o1");
  assert.equal(opinion.kind, "quoted-opinion", "a quoted speaker's words are not the author's");
  assert.match(opinion.tip, /^Loaded words \(in a quote\)/);
  assert.match(opinion.tip, /judgement/);
});

test("reported speech is someone else's voice, hidden with quoted opinions; figures of speech and minimisation are categories", () => {
  const more = {
    ...response,
    opinions: [
      { start: 1, end: 9, text: "brutal", category: "loaded", voice: "reported", score: 0.6, reason: "r" },
      { start: 10, end: 30, text: "a spent force", category: "figurative", voice: "author", score: 0.6, reason: "f" },
      { start: 31, end: 36, text: "merely", category: "minimisation", voice: "author", score: 0.6, reason: "m" },
    ],
  };
  const kinds = spansOf(more).filter((s) => s.id.startsWith("o")).map((s) => s.kind);
  assert.deepEqual(kinds, ["quoted-opinion", "figurative", "minimisation"]);
  assert.match(spansOf(more).find((s) => s.id === "o0").tip, /\(reported speech\)/);
  const model = panelModel(more);
  assert.deepEqual(model.opinions.map((g) => g.kind), ["loaded", "minimisation", "figurative"]);
  assert.equal(model.opinions[0].items[0].voiceNote, "reported speech");
  assert.ok(HIDDEN_BY_DEFAULT.includes("quoted-opinion"));
});

test("attributions of belief, intention or evidence are their own kind, hidden by default", () => {
  const belief = {
    ...response,
    quotes: [{ ...response.quotes[1], cue: { text: "believes", start: 1, end: 9, type: "belief" } }],
  };
  const spans = spansOf(belief);
  assert.deepEqual(spans.filter((s) => s.id === "q0").map((s) => s.kind), ["attribution", "speaker"]);
  assert.deepEqual(HIDDEN_BY_DEFAULT, ["quoted-opinion", "attribution"]);
});

test("spansOf converts offsets with the given function", () => {
  const spans = spansOf(response, (x) => x + 2);
  assert.equal(spans.find((s) => s.id === "o0").start, 7);
});

test("panelModel groups opinions by category and marks what was placed", () => {
  const model = panelModel(response, new Set(["q0", "o1"]));
  assert.equal(model.page.domain, "example.com");
  assert.deepEqual(model.cited.map((o) => o.domain), ["wsj.com"]);
  assert.deepEqual(model.opinions.map((g) => g.kind), ["loaded", "speculation"]);
  assert.equal(model.quotes[0].speaker, "Jane Doe");
  assert.equal(model.quotes[0].via, "wsj.com");
  assert.equal(model.quotes[0].placed, true);
  assert.equal(model.quotes[1].placed, false);
  assert.equal(model.quotes[1].speaker, "a person close to the ministry");
  assert.equal(model.summary.opinionsPer100, 1.7);
});

test("speakerLabel says when nobody is credited", () => {
  assert.equal(speakerLabel(null), "Unattributed");
  assert.equal(speakerLabel({ type: "anonymous", mention: "" }), "Anonymous source");
});

test("errorState tells the reader what to do when the service is unreachable", () => {
  const state = errorState("unreachable", { serviceUrl: "http://127.0.0.1:8000" });
  assert.match(state.body, /127\.0\.0\.1:8000/);
  assert.match(state.body, /sidenote serve/);
  assert.equal(state.action, "options");
  assert.match(errorState("too-long", { length: 250000, limit: 200000 }).body, /250000/);
  assert.match(errorState("not-article").title, /not look like an article/);
});

test("errorState explains a service address that is not http(s) and sends the reader to the options", () => {
  const state = errorState("bad-address", { serviceUrl: "javascript:alert(1)" });
  assert.match(state.body, /Nothing was sent/);
  assert.equal(state.action, "options");
});
