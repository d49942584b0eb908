// The third-party code in extension/vendor/, made from the npm packages pinned in
// package.json, so the extension needs no build step and a reviewer can check every byte:
//
//   npm ci && npm run vendor          # writes extension/vendor/ from node_modules/
//
// Readability's files are copied unchanged (they are classic scripts already).
// approx-string-match ships an ES module, which content scripts cannot load: its one
// `export default function search` is wrapped into a classic script that defines
// `Sidenote.approxSearch` (and `module.exports` under Node), its code otherwise unchanged.
// vendor.test.js checks that extension/vendor/ is exactly what this writes.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const MODULES = path.join(ROOT, "node_modules");
const VENDOR = path.join(ROOT, "extension", "vendor");

function packageVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(MODULES, name, "package.json"), "utf8")).version;
}

function read(name, file) {
  return fs.readFileSync(path.join(MODULES, name, file), "utf8");
}

function wrapApproxStringMatch(source, version) {
  const exported = "export default function search(";
  if (source.split(exported).length !== 2) throw new Error(`approx-string-match ${version}: no single '${exported}'`);
  return [
    `// approx-string-match ${version} (MIT, Robert Knight; see LICENSE), from npm. Wrapped as a`,
    "// classic script by extension/tests/vendoring.js (`npm run vendor`); the code is unchanged.",
    "(function (root) {",
    source.replace(exported, "function search("),
    'if (typeof module === "object" && module.exports) module.exports = search;',
    "else (root.Sidenote = root.Sidenote || {}).approxSearch = search;",
    '})(typeof globalThis !== "undefined" ? globalThis : this);',
    "",
  ].join("\n");
}

/** `{path under extension/vendor: content}` as made from node_modules. */
function vendoredFiles() {
  const matchVersion = packageVersion("approx-string-match");
  return {
    "readability/Readability.js": read("@mozilla/readability", "Readability.js"),
    "readability/Readability-readerable.js": read("@mozilla/readability", "Readability-readerable.js"),
    "readability/LICENSE.md": read("@mozilla/readability", "LICENSE.md"),
    "approx-string-match/approx-string-match.js": wrapApproxStringMatch(
      read("approx-string-match", "build/src/index.js"), matchVersion),
    "approx-string-match/LICENSE": read("approx-string-match", "LICENSE"),
  };
}

function writeVendored() {
  for (const [file, content] of Object.entries(vendoredFiles())) {
    const target = path.join(VENDOR, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    console.log(`wrote extension/vendor/${file}`);
  }
}

module.exports = { VENDOR, packageVersion, vendoredFiles };
if (require.main === module) writeVendored();
