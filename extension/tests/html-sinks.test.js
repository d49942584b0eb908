// Static check: no code of the extension or of the service's demo page parses a string as
// HTML. Every string from the service or the page reaches the DOM as text (textContent) or as
// an attribute value (setAttribute), so markup in it stays text; tests/e2e/test_hostile_strings.py
// shows it in a real browser. The vendored Readability is left out: it runs on a clone of the
// page (an inert document, where nothing loads or runs) and is kept as released.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const CHECKED = [path.join(ROOT, "extension"), path.join(ROOT, "server", "static")];
const SKIPPED = new Set(["vendor", "tests", "node_modules"]);

/** A string literal with nothing interpolated: the only value an HTML sink may take. */
const CONSTANT = /^\s*("[^"\\]*"|'[^'\\]*'|`[^`$\\]*`)\s*[;)]?\s*$/;

/** Each use of an HTML-parsing sink whose value is not a constant string, as "file:line: code". */
function htmlSinks(file, source) {
  const found = [];
  source.split("\n").forEach((line, index) => {
    const code = line.replace(/\/\/.*$/, "");
    const checks = [
      [/\.(?:innerHTML|outerHTML)\s*\+?=(?!=)\s*(.*)$/, (m) => m[1]],
      [/\.insertAdjacentHTML\s*\(\s*[^,]*,(.*)$/, (m) => m[1]],
      [/\b(?:document\.write(?:ln)?|createContextualFragment|parseFromString|setHTMLUnsafe)\s*\((.*)$/, (m) => m[1]],
    ];
    for (const [pattern, value] of checks) {
      const match = code.match(pattern);
      if (match && !CONSTANT.test(value(match))) found.push(`${file}:${index + 1}: ${line.trim()}`);
    }
  });
  return found;
}

function scripts(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : scripts(full);
    return /\.(m?js|html)$/.test(entry.name) ? [full] : [];
  });
}

test("no extension or demo code hands a non-constant string to an HTML parser", () => {
  const files = CHECKED.flatMap(scripts);
  assert.ok(files.some((f) => f.endsWith("panel.js")) && files.some((f) => f.endsWith("demo.js")));
  const found = files.flatMap((file) => htmlSinks(path.relative(ROOT, file), fs.readFileSync(file, "utf8")));
  assert.deepEqual(found, []);
});

test("the check finds interpolated, concatenated and variable HTML, and lets constants be", () => {
  const bad = [
    "node.innerHTML = `<b>${name}</b>`;",
    "box.innerHTML += reason;",
    "el.outerHTML = '<i>' + note + '</i>';",
    "host.insertAdjacentHTML('beforeend', html);",
    "document.write(text);",
    "range.createContextualFragment(markup);",
  ];
  const good = ["node.innerHTML = '';", 'node.innerHTML = "<hr>";', "if (a.innerHTML === b) x();", "node.textContent = name;"];
  assert.equal(htmlSinks("bad.js", bad.join("\n")).length, bad.length);
  assert.deepEqual(htmlSinks("good.js", good.join("\n")), []);
});
