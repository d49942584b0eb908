// Unit tests of the anchoring module: text extraction with its map back to nodes,
// re-anchoring after the page changed, and code point -> UTF-16 conversion.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { TextMap, extractText, anchorSpan, codePointsToUtf16 } = require("../content/anchoring.js");
const { h, text } = require("./fake-dom.js");

/** What the DOM position points at: the text node's data from that offset. */
function at(position) {
  return position.node.data.slice(position.offset);
}

/** Text between two DOM positions, walking the map's chunks (what Range.toString gives). */
function rangeText(map, span) {
  let out = "";
  let inside = false;
  for (const chunk of map.chunks) {
    const node = chunk.node;
    if (node === span.start.node) inside = true;
    if (!inside) continue;
    const from = node === span.start.node ? span.start.offset : 0;
    const to = node === span.end.node ? span.end.offset : node.data.length;
    out += node.data.slice(from, to);
    if (node === span.end.node) break;
  }
  return out;
}

test("TextMap collapses whitespace and maps each character back to its node", () => {
  const map = new TextMap();
  const a = text("  The   minister\n said ");
  const b = text("it was  “a disaster”.");
  map.addText(a, a.data);
  map.addText(b, b.data);
  map.finish();
  assert.equal(map.text, "The minister said it was “a disaster”.");
  const span = map.span(map.text.indexOf("minister"), map.text.indexOf("minister") + 8);
  assert.equal(span.start.node, a);
  assert.ok(at(span.start).startsWith("minister"));
  assert.equal(rangeText(map, span), "minister");
  const quote = map.text.indexOf("a disaster");
  const crossing = map.span(map.text.indexOf("said"), quote + 10);
  assert.equal(rangeText(map, crossing), "said it was  “a disaster");
});

test("extractText separates blocks with a blank line and leaves out furniture", () => {
  const root = h("article", {},
    h("h1", {}, "Headline here"),
    h("p", {}, "First ", h("em", {}, "paragraph"), " text."),
    h("div", { class: "share-tools" }, "Share on Twitter"),
    h("script", {}, "var x = 1;"),
    h("p", { hidden: true }, "Hidden text"),
    h("p", {}, "Second", h("br"), "line after break."),
    h("aside", {}, "Related: other story"),
  );
  const map = extractText(root);
  assert.equal(map.text, "Headline here\n\nFirst paragraph text.\n\nSecond\nline after break.");
});

test("extractText honours the caller's skip and the browser's visibility", () => {
  const root = h("main", {},
    h("p", {}, "Kept paragraph."),
    h("p", { invisible: true }, "display none"),
    h("div", { id: "mine" }, "the extension's own UI"),
  );
  const map = extractText(root, { skip: (el) => el.getAttribute("id") === "mine" });
  assert.equal(map.text, "Kept paragraph.");
});

test("offsets that fall on a block separator move to the nearest text", () => {
  const root = h("div", {}, h("p", {}, "One."), h("p", {}, "Two."));
  const map = extractText(root);
  assert.equal(map.text, "One.\n\nTwo.");
  const span = map.span(3, 7); // ".\n\nT"
  assert.equal(span.start.node.data, "One.");
  assert.equal(span.start.offset, 3);
  assert.equal(span.end.node.data, "Two.");
  assert.equal(span.end.offset, 1);
  const onSeparator = map.span(4, 6); // only the blank line: starts at "Two.", ends at "One."
  assert.equal(at(onSeparator.start), "Two.");
  assert.equal(onSeparator.end.offset, 4);
});

test("anchorSpan keeps offsets when the text did not change", () => {
  const original = "He said the plan was likely to fail.";
  assert.deepEqual(anchorSpan(original, original, 21, 27), { start: 21, end: 27 });
});

test("anchorSpan follows a phrase that moved after analysis", () => {
  const original = "Officials said the plan would likely fail, critics said.";
  const current = "UPDATE: new details. Officials said the plan would likely fail, critics said.";
  const start = original.indexOf("likely");
  const moved = anchorSpan(current, original, start, start + 6);
  assert.equal(current.slice(moved.start, moved.end), "likely");
  assert.equal(moved.start, current.indexOf("likely"));
});

test("anchorSpan chooses the occurrence whose context agrees", () => {
  const original = "The deal is likely. Analysts say a veto is likely to follow soon.";
  const current = "Intro. The deal is likely. Analysts say a veto is likely to follow soon.";
  const start = original.lastIndexOf("likely");
  const moved = anchorSpan(current, original, start, start + 6);
  assert.equal(moved.start, current.lastIndexOf("likely"));
});

test("anchorSpan drops a short phrase whose sentence was rewritten", () => {
  const original = "Critics call the plan a disaster. It was announced on Monday.";
  const current = "The plan was announced on Monday. Nobody commented; a disaster was avoided elsewhere.";
  const start = original.indexOf("disaster");
  assert.equal(anchorSpan(current, original, start, start + 8), null);
});

test("anchorSpan drops a phrase that is gone", () => {
  const original = "The minister is clearly wrong about this.";
  const current = "The minister spoke about this.";
  assert.equal(anchorSpan(current, original, 16, 23), null);
});

test("anchorSpan finds a long quote whose whitespace changed", () => {
  const original = "She said: “We will not accept the terms as they stand today.” Then she left.";
  const current = "She said:\n“We will not accept the terms\nas they stand today.” Then she left.";
  const start = original.indexOf("We will");
  const end = original.indexOf("today.") + 6;
  const moved = anchorSpan(current, original, start, end);
  assert.equal(current.slice(moved.start, moved.end), "We will not accept the terms\nas they stand today.");
});

test("anchorSpan rejects offsets outside the original text", () => {
  assert.equal(anchorSpan("abc", "abc", 2, 9), null);
  assert.equal(anchorSpan("abc", "abc", 2, 2), null);
});

test("codePointsToUtf16 shifts offsets after characters outside the BMP", () => {
  const text = "🎉 Party: the 𝒳 plan is likely";
  const convert = codePointsToUtf16(text);
  const codePoints = [...text];
  const likelyCp = codePoints.findIndex((_, i) => codePoints.slice(i, i + 6).join("") === "likely");
  assert.equal(likelyCp, text.indexOf("likely") - 2); // two astral characters before it
  assert.equal(text.slice(convert(likelyCp), convert(likelyCp + 6)), "likely");
  assert.equal(convert(0), 0);
  assert.equal(convert(1), 2);
});

test("codePointsToUtf16 is the identity on BMP-only text", () => {
  const convert = codePointsToUtf16("plain “text” — café");
  assert.equal(convert(7), 7);
});
