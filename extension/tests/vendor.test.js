// The vendored libraries are exactly the pinned npm packages (see vendoring.js), and the
// background injects them before the modules that use them.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { VENDOR, packageVersion, vendoredFiles } = require("./vendoring.js");

const pinned = require("../../package.json").devDependencies;

test("extension/vendor/ is what `npm run vendor` makes from the pinned packages", () => {
  for (const name of ["@mozilla/readability", "approx-string-match"]) {
    assert.equal(packageVersion(name), pinned[name], `${name} is pinned to one exact version`);
  }
  for (const [file, content] of Object.entries(vendoredFiles())) {
    assert.equal(fs.readFileSync(path.join(VENDOR, file), "utf8"), content, `extension/vendor/${file}`);
  }
  const readme = fs.readFileSync(path.join(VENDOR, "README.md"), "utf8");
  for (const name of ["@mozilla/readability", "approx-string-match"]) {
    assert.ok(readme.includes(`${name} ${pinned[name]}`), `vendor/README.md names ${name} ${pinned[name]}`);
  }
});

test("the background injects the libraries before the content scripts that use them", () => {
  const background = fs.readFileSync(path.join(__dirname, "..", "background.js"), "utf8");
  const list = background.slice(background.indexOf("CONTENT_SCRIPTS = ["), background.indexOf("];"));
  const order = [...list.matchAll(/"([^"]+\.js)"/g)].map((m) => m[1]);
  for (const file of [...order]) assert.ok(fs.existsSync(path.join(__dirname, "..", file)), file);
  const index = (file) => order.indexOf(file);
  assert.ok(index("vendor/readability/Readability.js") < index("content/article.js"));
  assert.ok(index("vendor/readability/Readability-readerable.js") < index("content/article.js"));
  assert.ok(index("vendor/approx-string-match/approx-string-match.js") < index("content/anchoring.js"));
  assert.ok(index("content/article.js") < index("content/session.js"));
});
