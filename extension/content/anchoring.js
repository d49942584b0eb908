/**
 * Anchoring: between the article text sent to the service and live DOM ranges.
 *
 * The service answers with offsets into the text it was sent. That text is not
 * `textContent`: it is the *rendered* text of the article root (hidden elements, scripts
 * and page furniture left out, whitespace collapsed, blank lines between blocks), because
 * that is what the analyzers read best. A `TextMap` remembers where every character of
 * that text came from (text node + offset), so an offset maps back to a DOM position.
 *
 * Pages change between extraction and drawing (late-loading widgets, live updates). So at
 * drawing time the article is extracted again and every span is re-anchored: first by its
 * offsets if the text there is still the same, else by searching for the exact text and
 * scoring each occurrence by its surrounding context and distance (the idea of Hypothesis'
 * TextQuoteSelector and match-quote). A span that cannot be placed with confidence is
 * dropped: no highlight is better than a highlight on the wrong words.
 *
 * Offsets are JavaScript (UTF-16) indexes throughout; `codePointsToUtf16` converts a
 * response that came back in code points.
 *
 * Classic script (content scripts cannot be ES modules): it defines `Sidenote.anchoring`
 * on the global object, and `module.exports` under Node for the unit tests.
 */
(function (root) {
  "use strict";

  /** Elements whose text is never article prose. */
  const SKIPPED_TAGS = new Set([
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "SVG", "CANVAS",
    "VIDEO", "AUDIO", "BUTTON", "SELECT", "TEXTAREA", "INPUT", "NAV", "ASIDE", "FORM", "FOOTER",
    "FIGURE", "MENU", "DIALOG", "SIDENOTE-PANEL",
  ]);

  /** Elements that start a new paragraph in the extracted text. */
  const BLOCK_TAGS = new Set([
    "ADDRESS", "ARTICLE", "BLOCKQUOTE", "DD", "DETAILS", "DIV", "DL", "DT", "FIELDSET",
    "FIGCAPTION", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "OL", "P",
    "PRE", "SECTION", "SUMMARY", "TABLE", "TBODY", "TD", "TH", "THEAD", "TR", "UL",
  ]);

  /** Class or id words of page furniture inside an article (share bars, promos, ...). */
  const FURNITURE = /(^|[\s_-])(share\w*|sharing|social\w*|related\w*|comments?|promo\w*|newsletter\w*|advert\w*|ads?|sponsor\w*|subscribe\w*|popup|modal|cookie\w*|outbrain|taboola)([\s_-]|$)/i;

  const WHITESPACE = /[ \t\n\r\f]/;

  /**
   * The extracted text plus, for each run of it, the text node it came from.
   * Separators between blocks ("\n\n", "\n" for <br>) belong to no node.
   */
  class TextMap {
    constructor() {
      this.pieces = [];
      this.length = 0;
      /** @type {{node: object, start: number, length: number, raw: number[]|null}[]} */
      this.chunks = [];
      this.lastChar = "";
      this.text = "";
    }

    /** Append a text node's data with whitespace collapsed as a browser renders it. */
    addText(node, data) {
      let out = "";
      let raw = null;
      for (let i = 0; i < data.length; i++) {
        const ch = data[i];
        if (WHITESPACE.test(ch)) {
          const previous = out ? out[out.length - 1] : this.lastChar;
          if (previous === "" || previous === " " || previous === "\n") {
            if (!raw) raw = identity(out.length);
            continue;
          }
          if (raw) raw.push(i);
          out += " ";
        } else {
          if (raw) raw.push(i);
          out += ch;
        }
      }
      if (!out) return;
      this.chunks.push({ node, start: this.length, length: out.length, raw });
      this.push(out);
    }

    /** End the current block: trailing spaces go, then a separator (never at the start). */
    addBreak(separator = "\n\n") {
      if (!this.length) return;
      if (this.lastChar === " ") this.dropLastSpace();
      const tail = this.tail(separator.length);
      let existing = 0;
      while (existing < tail.length && tail[tail.length - 1 - existing] === "\n") existing++;
      if (existing < separator.length) this.push("\n".repeat(separator.length - existing));
    }

    push(str) {
      this.pieces.push(str);
      this.length += str.length;
      this.lastChar = str[str.length - 1];
    }

    tail(n) {
      let s = "";
      for (let i = this.pieces.length - 1; i >= 0 && s.length < n; i--) s = this.pieces[i] + s;
      return s.slice(-n);
    }

    dropLastSpace() {
      const lastPiece = this.pieces[this.pieces.length - 1];
      this.pieces[this.pieces.length - 1] = lastPiece.slice(0, -1);
      this.length -= 1;
      const chunk = this.chunks[this.chunks.length - 1];
      chunk.length -= 1;
      if (chunk.raw) chunk.raw.pop();
      if (!chunk.length) this.chunks.pop();
      if (!this.pieces[this.pieces.length - 1]) this.pieces.pop();
      this.lastChar = this.length ? this.tail(1) : "";
    }

    /** Close the map: trailing separators go; `text` becomes available. */
    finish() {
      if (this.lastChar === " ") this.dropLastSpace();
      let text = this.pieces.join("");
      text = text.replace(/\n+$/, "");
      this.text = text;
      this.length = text.length;
      this.pieces = [text];
      return this;
    }

    /**
     * DOM position of a text offset: `{node, offset}` into a text node. `isEnd` resolves an
     * offset on a boundary to the end of the earlier node, so a range never spans an extra
     * node. Offsets on a separator move to the nearest node in the right direction.
     */
    position(offset, isEnd = false) {
      const chunks = this.chunks;
      if (!chunks.length) return null;
      let lo = 0;
      let hi = chunks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        const s = chunks[mid].start;
        if (s < offset || (s === offset && !isEnd)) lo = mid;
        else hi = mid - 1;
      }
      let chunk = chunks[lo];
      let k = offset - chunk.start;
      if (!isEnd) {
        if (k < 0) k = 0;
        if (k >= chunk.length) {
          if (lo + 1 >= chunks.length) return null;
          chunk = chunks[lo + 1];
          k = 0;
        }
        return { node: chunk.node, offset: chunk.raw ? chunk.raw[k] : k };
      }
      if (k <= 0) return { node: chunk.node, offset: 0 };
      if (k > chunk.length) k = chunk.length;
      return { node: chunk.node, offset: chunk.raw ? chunk.raw[k - 1] + 1 : k };
    }

    /** Both ends of `[start, end)` as DOM positions, or null when nothing maps. */
    span(start, end) {
      const a = this.position(start, false);
      const b = this.position(end, true);
      if (!a || !b) return null;
      return { start: a, end: b };
    }
  }

  function identity(n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }

  function isSkipped(element, isRoot, options) {
    const tag = element.tagName ? element.tagName.toUpperCase() : "";
    if (SKIPPED_TAGS.has(tag)) return true;
    if (element.hidden || element.getAttribute("aria-hidden") === "true") return true;
    const role = element.getAttribute("role");
    if (role === "navigation" || role === "complementary" || role === "dialog") return true;
    if (options.skip && options.skip(element)) return true;
    if (!isRoot) {
      const label = `${element.getAttribute("class") || ""} ${element.getAttribute("id") || ""}`;
      if (FURNITURE.test(label)) return true;
    }
    if (typeof element.checkVisibility === "function") return !element.checkVisibility();
    return false;
  }

  /**
   * The rendered text of `rootElement` and its map back to the DOM. `options.skip(element)`
   * may leave out more elements (the caller's own UI).
   */
  function extractText(rootElement, options = {}) {
    const map = new TextMap();
    const visit = (node) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          map.addText(child, child.data);
        } else if (child.nodeType === 1) {
          const tag = child.tagName.toUpperCase();
          if (tag === "BR") {
            map.addBreak("\n");
            continue;
          }
          if (isSkipped(child, false, options)) continue;
          const block = BLOCK_TAGS.has(tag);
          if (block) map.addBreak();
          visit(child);
          if (block) map.addBreak();
        }
      }
    };
    visit(rootElement);
    return map.finish();
  }

  /** Characters of text under `element`, whitespace collapsed, scripts and styles left out. */
  function textLength(element) {
    const squeeze = (text) => text.replace(/\s+/g, " ").length;
    let length = squeeze(element.textContent);
    for (const code of element.querySelectorAll("script, style, noscript, template")) {
      length -= squeeze(code.textContent);
    }
    return length;
  }

  /**
   * The element that holds the article: the container with the most paragraph text
   * (a paragraph counts for its parent and, half, its grandparent, as in Readability),
   * widened while an ancestor adds much more paragraph text and is still mostly prose
   * (bodies split into several columns), and to an enclosing <article> that adds little
   * else. Null when the page has too little prose to be an article.
   */
  function findArticleRoot(doc, { minChars = 500 } = {}) {
    const scores = new Map();
    const counted = [];
    let total = 0;
    for (const p of doc.querySelectorAll("p, pre, blockquote > div")) {
      const length = p.textContent.trim().length;
      if (length < 40 || p.closest("nav, aside, footer, form, [role=navigation]")) continue;
      counted.push([p, length]);
      total += length;
      const parent = p.parentElement;
      if (!parent) continue;
      scores.set(parent, (scores.get(parent) || 0) + length);
      const grand = parent.parentElement;
      if (grand) scores.set(grand, (scores.get(grand) || 0) + length / 2);
    }
    let best = null;
    let bestScore = 0;
    for (const [element, score] of scores) {
      if (score > bestScore) {
        best = element;
        bestScore = score;
      }
    }
    if (!best || bestScore < minChars / 2 || total < minChars) return null;
    const proseUnder = (element) => {
      let sum = 0;
      for (const [p, length] of counted) if (element.contains(p)) sum += length;
      return sum;
    };
    // Climb through wrappers: adopt an ancestor that holds clearly more paragraph text,
    // stop where an ancestor is no longer mostly paragraphs (page chrome, link lists).
    let prose = proseUnder(best);
    let ancestor = best.parentElement;
    for (let level = 0; level < 5 && ancestor && ancestor !== doc.documentElement; level++) {
      const ancestorProse = proseUnder(ancestor);
      if (ancestorProse < 0.6 * textLength(ancestor)) break;
      if (ancestorProse >= 1.1 * prose) {
        best = ancestor;
        prose = ancestorProse;
      }
      ancestor = ancestor.parentElement;
    }
    const article = best.closest("article, [itemprop=articleBody]");
    if (article && article !== best && article.textContent.length < 1.5 * best.textContent.length) {
      return article;
    }
    return best;
  }

  /** Length of the common suffix of `a` and `b` (how much context before a match agrees). */
  function commonSuffix(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    return n;
  }

  function commonPrefix(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** Every place `exact` occurs in `text` (whitespace-insensitive when no exact hit). */
  function occurrences(text, exact, limit) {
    const found = [];
    for (let i = text.indexOf(exact); i !== -1 && found.length < limit; i = text.indexOf(exact, i + 1)) {
      found.push({ start: i, end: i + exact.length });
    }
    if (found.length || !/\s/.test(exact)) return found;
    const pattern = new RegExp(exact.trim().split(/\s+/).map(escapeRegExp).join("\\s+"), "g");
    for (let m = pattern.exec(text); m && found.length < limit; m = pattern.exec(text)) {
      found.push({ start: m.index, end: m.index + m[0].length });
    }
    return found;
  }

  /**
   * Where the span `[start, end)` of `original` lies in `current`, or null.
   *
   * A hit counts when the context around it agrees for at least `minContext` characters
   * (before and after together), or when a long quote (at least `uniqueLength` characters)
   * occurs exactly once. Among hits the one with most agreeing context wins, then the one
   * closest to the old position.
   */
  function anchorSpan(current, original, start, end, options = {}) {
    const { contextLength = 32, minContext = 6, uniqueLength = 30, limit = 500 } = options;
    if (!(start >= 0 && end > start && end <= original.length)) return null;
    const exact = original.slice(start, end);
    if (current === original) return { start, end };
    const prefix = original.slice(Math.max(0, start - contextLength), start);
    const suffix = original.slice(end, end + contextLength);
    const hits = occurrences(current, exact, limit);
    let best = null;
    for (const hit of hits) {
      const before = current.slice(Math.max(0, hit.start - contextLength), hit.start);
      const after = current.slice(hit.end, hit.end + contextLength);
      const context = commonSuffix(prefix, before) + commonPrefix(suffix, after);
      const distance = Math.abs(hit.start - start);
      if (!best || context > best.context || (context === best.context && distance < best.distance)) {
        best = { ...hit, context, distance };
      }
    }
    if (!best) return null;
    const enoughContext = best.context >= Math.min(minContext, prefix.length + suffix.length);
    const uniqueLongQuote = hits.length === 1 && exact.length >= uniqueLength;
    if (!enoughContext && !uniqueLongQuote) return null;
    return { start: best.start, end: best.end };
  }

  /**
   * A converter from code point offsets in `text` to UTF-16 indexes (the service's default
   * unit is code points; JavaScript strings count UTF-16 units).
   */
  function codePointsToUtf16(text) {
    if (!/[\uD800-\uDBFF]/.test(text)) return (offset) => offset;
    const table = [0];
    let units = 0;
    for (const ch of text) {
      units += ch.length;
      table.push(units);
    }
    return (offset) => (offset >= 0 && offset < table.length ? table[offset] : offset);
  }

  const anchoring = {
    TextMap, extractText, findArticleRoot, anchorSpan, codePointsToUtf16, isSkipped,
  };
  if (typeof module === "object" && module.exports) module.exports = anchoring;
  else (root.Sidenote = root.Sidenote || {}).anchoring = anchoring;
})(typeof globalThis !== "undefined" ? globalThis : this);
