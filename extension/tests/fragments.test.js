// Unit tests of the deep links: text directives that find only the span meant.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { PageText, textDirective, formatDirective, linkTo, encodeTerm } = require("../content/fragments.js");

/** `[start, end)` of the `nth` occurrence of `part` in `text`. */
function spanOf(text, part, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(part, at + 1);
    assert.notEqual(at, -1, `${part} #${nth} is not in the text`);
  }
  return [at, at + part.length];
}

/** The directive for a span, checked the way the browser reads it: it finds only that span. */
function directiveFor(text, part, nth = 0) {
  const [start, end] = spanOf(text, part, nth);
  const directive = textDirective(text, start, end);
  assert.ok(directive, `no directive for ${part}`);
  assert.deepEqual(new PageText(text).matches(directive, 5), [[start, end]], JSON.stringify(directive));
  return directive;
}

test("terms are percent-encoded, with the syntax characters - & , encoded too", () => {
  assert.equal(encodeTerm("state-run TV, & more"), "state%2Drun%20TV%2C%20%26%20more");
  assert.equal(encodeTerm("“Où?” 100%"), "%E2%80%9CO%C3%B9%3F%E2%80%9D%20100%25");
  assert.equal(
    formatDirective({ prefix: "a-b", textStart: "c,d", textEnd: "e&f", suffix: "g" }),
    "text=a%2Db-,c%2Cd,e%26f,-g",
  );
  assert.equal(formatDirective({ textStart: "only this" }), "text=only%20this");
});

test("a link replaces the page's own fragment and keeps its query", () => {
  assert.equal(
    linkTo("https://example.com/story?id=3#comments", { textStart: "word" }),
    "https://example.com/story?id=3#:~:text=word",
  );
  assert.equal(linkTo("https://example.com/a", { textStart: "x y" }), "https://example.com/a#:~:text=x%20y");
});

test("a short span that occurs once is linked by its own text", () => {
  const text = "The mayor said the plan was a disaster.\n\nCritics disagreed.";
  const directive = directiveFor(text, "a disaster");
  assert.deepEqual(
    [directive.prefix, directive.textStart, directive.textEnd, directive.suffix, directive.unique],
    [null, "a disaster", null, null, true],
  );
});

test("a repeated span gets the context words that tell its occurrences apart", () => {
  const text = "Prices rose sharply in May.\n\nThen wages rose sharply in June, and rents rose sharply too.";
  const second = directiveFor(text, "rose sharply", 1);
  assert.ok(second.prefix || second.suffix, JSON.stringify(second));
  const third = directiveFor(text, "rose sharply", 2);
  assert.notDeepEqual(third, second);
  const first = directiveFor(text, "rose sharply", 0);
  assert.equal(first.unique, true);
});

test("case, accents and word boundaries count as the browser counts them", () => {
  // "Crisis" and "crísis" match the search for "crisis"; "crisises" does not end a word there.
  const text = "Crisis talks began. The crísis deepened. Crisises multiply. The crisis ended.";
  const directive = directiveFor(text, "crisis", 0);
  assert.ok(directive.prefix || directive.suffix, "the folded occurrences must be told apart");
  const page = new PageText(text);
  assert.equal(page.matches({ textStart: "crisis" }, 10).length, 3, "not inside 'Crisises'");
  assert.equal(page.matches({ textStart: "risis" }, 10).length, 0, "never from inside a word");
});

test("a long span uses textStart,textEnd and grows its ends until the end is its own", () => {
  const sentence = "the council voted on Tuesday to close the library and the public pool by the end of the year";
  const text = `Last week ${sentence}. Residents were angry. Now ${sentence} after all, officials said.`;
  const directive = directiveFor(text, sentence, 1);
  assert.ok(directive.textEnd, "a long span has an end term");
  assert.ok(directive.textStart.split(" ").length <= 8 && directive.textEnd.split(" ").length <= 8);
  assert.ok(sentence.startsWith(directive.textStart) && sentence.endsWith(directive.textEnd));
});

test("the end term is the first one after the start that the suffix follows", () => {
  const text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen ten eleven twelve end";
  // The span ends at the second "ten eleven twelve": the first one comes earlier and must not end the match.
  const start = 0;
  const end = text.lastIndexOf("twelve") + "twelve".length;
  const directive = textDirective(text, start, end);
  assert.deepEqual(new PageText(text).matches(directive, 5), [[start, end]], JSON.stringify(directive));
});

test("a span over several blocks keeps each term in one block", () => {
  const text = "Intro words here.\n\nHe said: first paragraph of a quote.\n\nSecond one.\n\nAnd the third paragraph ends it.\n\nOutro.";
  const [start] = spanOf(text, "first paragraph");
  const end = text.indexOf(" ends it.") + " ends it".length;
  const directive = textDirective(text, start, end);
  for (const term of [directive.prefix, directive.textStart, directive.textEnd, directive.suffix]) {
    if (term) assert.ok(!term.includes("\n"), JSON.stringify(directive));
  }
  assert.deepEqual(new PageText(text).matches(directive, 5), [[start, end]]);
});

test("a span at the start of a block may take its prefix from the block before", () => {
  const text = "Rates fell.\n\nMarkets cheered the news.\n\nLater, rates fell.\n\nMarkets cheered the news.";
  const directive = directiveFor(text, "Markets cheered the news.", 1);
  assert.ok(directive.prefix, JSON.stringify(directive));
  assert.ok(!directive.prefix.includes("\n"));
});

test("whitespace at the ends of the span is left out; a span of nothing has no link", () => {
  const text = "Words before.  The phrase  here. Words after.";
  const [start, end] = spanOf(text, " The phrase  here. ");
  const directive = textDirective(text, start, end);
  assert.equal(directive.textStart, "The phrase here.");
  assert.equal(textDirective(text, 13, 15), null);
});

test("identical text with identical context: the first occurrence still gets a link, later ones none", () => {
  const text = Array(3).fill("Same sentence here.").join("\n\n");
  const [start, end] = spanOf(text, "Same sentence here.", 0);
  const first = textDirective(text, start, end);
  assert.ok(first);
  assert.equal(new PageText(text).matches(first, 5)[0][0], start);
  const [lastStart, lastEnd] = spanOf(text, "Same sentence here.", 2);
  const last = textDirective(text, lastStart, lastEnd);
  assert.ok(last === null || last.unique, "a link must never select another occurrence first");
  if (last) assert.deepEqual(new PageText(text).matches(last, 5), [[lastStart, lastEnd]]);
});

test("a non-breaking space reads as a space, and text outside the BMP keeps its offsets", () => {
  const text = "Fans 🎉 cheered\u00a0loudly. Later fans cheered loudly again.";
  const directive = directiveFor(text, "cheered\u00a0loudly");
  assert.ok(directive.textStart.startsWith("cheered loudly") || directive.prefix, JSON.stringify(directive));
  assert.ok(!/\u00a0/.test(directive.textStart));
});
