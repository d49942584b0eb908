// Unit tests of reader feedback: the body POST /v1/feedback gets, and what the reader is told.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const feedback = require("../content/feedback.js");

const TEXT = "The minister called the plan “a disaster”, Reuters reported. It was likely to fail.";
const DIGEST = crypto.createHash("sha256").update(TEXT, "utf8").digest("hex");

const response = {
  version: "1+quotes-9+opinions-12+outlets-3",
  offset_unit: "utf16",
  opinions: [{ start: 71, end: 77, text: "likely", category: "speculation", voice: "author", reason: "a guess" }],
  quotes: [{ start: 31, end: 41, text: "a disaster", kind: "direct", speaker: null, cue: null, fragments: [] }],
  outlets: [{ domain: "reuters.com", name: "Reuters", role: "cited", rating: null, note: "" }],
};

test("the digest is SHA-256 of the text as UTF-8, in hex", async () => {
  assert.equal(await feedback.sha256Hex(TEXT), DIGEST);
  assert.equal(await feedback.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

test("an opinion's body names the annotation, the label and the text's digest, never the text", () => {
  const body = feedback.requestBody({ response, id: "o0", label: "not_opinion", textSha256: DIGEST });
  assert.deepEqual(body, {
    version: response.version, kind: "opinion", start: 71, end: 77, text: "likely",
    label: "not_opinion", text_sha256: DIGEST, offset_unit: "utf16",
  });
  assert.ok(!JSON.stringify(body).includes("minister"), "nothing of the page's text beyond the span");
  assert.ok(!("url" in body), "the page's address is the background's to add, where allowed");
});

test("a quote's and an outlet's bodies; a comment is trimmed and kept short", () => {
  const quote = feedback.requestBody({
    response, id: "q0", label: "wrong_speaker", textSha256: DIGEST, comment: `  ${"x".repeat(600)} `,
  });
  assert.equal(quote.kind, "quote");
  assert.equal(quote.text, "a disaster");
  assert.equal(quote.comment.length, 500);
  const outlet = feedback.requestBody({ response, id: "u0", label: "rating_wrong", textSha256: DIGEST });
  assert.deepEqual(outlet, {
    version: response.version, kind: "outlet", domain: "reuters.com", label: "rating_wrong", text_sha256: DIGEST,
  });
});

test("a label of another kind, an unknown item or a missing digest is refused before sending", () => {
  assert.throws(() => feedback.requestBody({ response, id: "o0", label: "wrong_speaker", textSha256: DIGEST }), /label/);
  assert.throws(() => feedback.requestBody({ response, id: "q7", label: "not_quote", textSha256: DIGEST }), /annotation/);
  assert.throws(() => feedback.requestBody({ response, id: "o0", label: "not_opinion", textSha256: null }), /digest/);
});

test("the background passes on only the fields feedback may carry", () => {
  const body = feedback.requestBody({ response, id: "o0", label: "wrong_reason", textSha256: DIGEST });
  const tampered = { ...body, page_text: TEXT, url: "https://example.com/" };
  assert.deepEqual(feedback.checked(tampered), body);
  assert.equal(feedback.checked({ kind: "opinion", label: "rating_wrong" }), null);
  assert.equal(feedback.checked(null), null);
});

test("the page's address goes without its fragment, and only when it is plain http(s)", () => {
  assert.equal(feedback.pageAddress("https://example.com/story?id=1#:~:text=x"), "https://example.com/story?id=1");
  assert.equal(feedback.pageAddress("file:///home/me/page.html"), null);
  assert.equal(feedback.pageAddress("https://user:pw@example.com/"), null);
  assert.equal(feedback.pageAddress(`https://example.com/${"a".repeat(2100)}`), null);
  assert.equal(feedback.pageAddress("not a url"), null);
});

test("the service's answers become plain words", () => {
  assert.deepEqual(feedback.outcome(201, { id: "1-0" }), { ok: true, id: "1-0", message: "Thanks" });
  assert.match(feedback.outcome(429, {}, "30").message, /too many reports.*30 seconds/);
  assert.match(feedback.outcome(429, {}, null).message, /a minute/);
  assert.match(feedback.outcome(404, {}).message, /does not collect feedback/);
  assert.match(feedback.outcome(503, {}).message, /try again later/i);
  const refused = { error: { status: 422, code: "invalid", message: "Invalid fields: label.", fields: {} } };
  assert.equal(feedback.outcome(422, refused).message, "Not sent: Invalid fields: label.");
  assert.equal(feedback.outcome(500, null).message, "Not sent: the service answered HTTP 500.");
  for (const status of [404, 422, 429, 500, 503]) assert.equal(feedback.outcome(status, null).ok, false);
});

test("item ids name their kind", () => {
  assert.deepEqual(["q3", "o0", "u1", "x"].map(feedback.kindOf), ["quote", "opinion", "outlet", null]);
});
