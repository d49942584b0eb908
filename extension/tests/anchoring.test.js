// Unit tests of the anchoring module: text extraction with its map back to nodes, placing a
// copy's paragraphs on the live text, re-anchoring after the page changed, and code point ->
// UTF-16 conversion.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { TextMap, extractText, anchorSpan, anchorPieces, codePointsToUtf16 } = require("../content/anchoring.js");
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

test("extractText separates blocks with a blank line and leaves out what is not prose", () => {
  const root = h("article", {},
    h("h1", {}, "Headline here"),
    h("p", {}, "First ", h("em", {}, "paragraph"), " text."),
    h("script", {}, "var x = 1;"),
    h("p", { hidden: true }, "Hidden text"),
    h("p", { "aria-hidden": "true" }, "Hidden from readers"),
    h("figure", {}, h("figcaption", {}, "A caption.")),
    h("p", {}, "Second", h("br"), "line after break."),
    h("button", {}, "Share"),
    h("aside", {}, "Related: other story"),
  );
  const map = extractText(root);
  assert.equal(map.text, "Headline here\n\nFirst paragraph text.\n\nA caption.\n\nSecond\nline after break.\n\nRelated: other story");
});

test("extractText without page chrome leaves out navigation, asides, footers and forms", () => {
  const root = h("body", {},
    h("nav", {}, "Home World"),
    h("div", { role: "navigation" }, "Sections"),
    h("p", {}, "The text."),
    h("aside", {}, "Related: other story"),
    h("form", {}, "Subscribe"),
    h("footer", {}, "Copyright"),
  );
  assert.equal(extractText(root, { chrome: false }).text, "The text.");
});

test("extractText reads a detached copy when told it renders nothing", () => {
  const root = h("div", {}, h("p", { invisible: true }, "A copy's paragraph."));
  assert.equal(extractText(root).text, "");
  assert.equal(extractText(root, { rendered: false }).text, "A copy's paragraph.");
});

test("extractText reads only what a range covers, mapped to the nodes' own offsets", () => {
  const first = text("Not this. The minister said");
  const second = text("it was a disaster. Not this either.");
  const skipped = h("p", {}, "Outside.");
  const root = h("div", {}, h("p", {}, first), h("p", {}, second), skipped);
  const range = {
    startContainer: first, startOffset: 10, endContainer: second, endOffset: 18,
    intersectsNode: (node) => node !== skipped && !(node.parentNode === skipped),
  };
  const map = extractText(root, { range });
  assert.equal(map.text, "The minister said\n\nit was a disaster.");
  const span = map.span(map.text.indexOf("minister"), map.text.indexOf("disaster") + 8);
  assert.equal(span.start.node, first);
  assert.equal(span.start.offset, first.data.indexOf("minister"));
  assert.equal(span.end.node, second);
  assert.equal(span.end.offset, second.data.indexOf("disaster") + 8);
});

test("TextMap.slice keeps only some stretches, each character still mapped to its node", () => {
  const root = h("div", {},
    h("p", {}, "Menu"),
    h("p", {}, "First  paragraph, ", h("em", {}, "in part"), " emphasised."),
    h("p", {}, "Teaser"),
    h("p", {}, "Second", h("br"), "line."),
  );
  const live = extractText(root);
  const stretch = (s) => ({ start: live.text.indexOf(s), end: live.text.indexOf(s) + s.length });
  const sliced = live.slice([stretch("First paragraph, in part emphasised."), stretch("Second"), stretch("line.")]);
  assert.equal(sliced.text, "First paragraph, in part emphasised.\n\nSecond\nline.");
  const part = sliced.span(sliced.text.indexOf("paragraph"), sliced.text.indexOf("in part") + 7);
  assert.equal(rangeText(sliced, part), "paragraph, in part");
  const line = sliced.span(sliced.text.indexOf("line."), sliced.text.length);
  assert.equal(at(line.start), "line.");
  assert.ok(sliced.isCurrent());
  line.start.node.data = "changed";
  assert.ok(!sliced.isCurrent());
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

/** The pieces' text where anchorPieces put them (null where it put nothing). */
function placedText(live, pieces, options) {
  return anchorPieces(live, pieces, options).map((place) => (place ? live.slice(place.start, place.end) : null));
}

test("anchorPieces finds each paragraph of a copy in the live text, in order", () => {
  const live = "Home\n\nWorld\n\nThe headline\n\nBy A. Writer\n\nFirst paragraph of the story.\n\nShare this\n\nSecond paragraph of the story.";
  const pieces = ["The headline", "First paragraph of the story.", "Second paragraph of the story."];
  assert.deepEqual(placedText(live, pieces), pieces);
});

test("anchorPieces places identical paragraphs one after the other", () => {
  const paragraph = "Lorem ipsum dolor sit amet, consectetur adipisicing elit.";
  const live = ["Lorem ipsum", paragraph, paragraph, "Like this: Like Loading...", paragraph, paragraph].join("\n\n");
  const places = anchorPieces(live, ["Lorem ipsum", paragraph, paragraph, paragraph, paragraph]);
  assert.ok(places.every(Boolean));
  const starts = places.map((p) => p.start);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  assert.equal(new Set(starts).size, 5);
});

test("anchorPieces chooses the occurrence whose neighbours agree, not a teaser of it", () => {
  const live = "Most read: Markets fall\n\nToday\n\nThe report\n\nMarkets fall\n\nShares dropped sharply on Monday after the report.";
  const pieces = ["The report", "Markets fall", "Shares dropped sharply on Monday after the report."];
  const places = anchorPieces(live, pieces);
  assert.equal(places[1].start, live.indexOf("Markets fall", live.indexOf("The report")));
});

test("anchorPieces matches a paragraph the copy changed slightly, by a fuzzy match", () => {
  const shown = "The council met on Monday evening [Ad] and, after a long debate, voted to close the old library.";
  const live = `Intro.\n\n${shown}\n\nEnd.`;
  const piece = "The council met on Monday evening and, after a long debate, voted to close the old library.";
  const [place] = anchorPieces(live, [piece]);
  assert.ok(place && place.score >= 0.8 && place.score < 1, JSON.stringify(place));
  assert.equal(live.slice(place.start, place.end), shown);
});

test("anchorPieces leaves out a paragraph that is not on the live page", () => {
  const live = "Intro.\n\nThe council met on Monday and voted to close the library.\n\nEnd.";
  const pieces = [
    "The council met on Monday and voted to close the library.",
    "A paragraph that the live page has never shown to anyone.",
    "Hi",
  ];
  assert.deepEqual(placedText(live, pieces), [pieces[0], null, null]);
});

test("anchorPieces never places a paragraph out of order", () => {
  const live = "Second paragraph, long enough to anchor.\n\nFirst paragraph, long enough to anchor.\n\nThird paragraph, long enough to anchor.";
  const pieces = ["First paragraph, long enough to anchor.", "Second paragraph, long enough to anchor.", "Third paragraph, long enough to anchor."];
  const places = anchorPieces(live, pieces);
  const placed = places.filter(Boolean);
  assert.equal(placed.length, 2);
  assert.ok(placed[0].end <= placed[1].start);
});

test("anchorPieces never cuts a character outside the BMP", () => {
  const live = "Start.\n\n🎉🎉 The party was a triumph, said everyone who was there.\n\nEnd.";
  const piece = "🎉 The party was a triumph, said everyone there.";
  const [place] = anchorPieces(live, [piece]);
  assert.ok(place);
  const found = live.slice(place.start, place.end);
  assert.ok(!/^[\uDC00-\uDFFF]/.test(found) && !/[\uD800-\uDBFF]$/.test(found), found);
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

test("offsetOf turns a DOM position back into a text offset, whitespace collapsed", () => {
  const first = text("  The   minister\n said ");
  const second = text("it was  “a disaster”.");
  const page = h("body", {}, h("p", {}, first, h("em", {}, second)), h("p", {}, "Next."));
  const map = extractText(page);
  for (const word of ["minister", "said", "disaster", "Next"]) {
    const start = map.text.indexOf(word);
    const span = map.span(start, start + word.length);
    assert.equal(map.offsetOf(span.start.node, span.start.offset), start, word);
    assert.equal(map.offsetOf(span.end.node, span.end.offset), start + word.length, word);
  }
  assert.equal(map.offsetOf(text("not read"), 0), null);
});

test("the searched text also holds buttons, chrome and text hidden from assistive technology", () => {
  const page = h("body", {},
    h("nav", {}, "Opinion"),
    h("button", {}, "Share"),
    h("span", { "aria-hidden": "true" }, "Icon"),
    h("p", { invisible: true }, "Not rendered"),
    h("script", {}, "code()"),
    h("sidenote-panel", {}, "Panel"),
    h("p", {}, "Article text."));
  assert.equal(extractText(page).text, "Opinion\n\nArticle text.");
  assert.equal(extractText(page, { searched: true }).text, "Opinion\n\nShareIcon\n\nArticle text.");
});
