/**
 * Anchoring: between the text sent to the service and live DOM ranges.
 *
 * The service answers with offsets into the text it was sent. That text is not
 * `textContent`: it is the *rendered* text of the page (hidden elements and scripts left
 * out, whitespace collapsed, blank lines between blocks), because that is what the
 * analyzers read best. A `TextMap` remembers where every character of that text came from
 * (text node + offset), so an offset maps back to a DOM position; `slice` keeps the map
 * when only some stretches of a page's text are sent (the article's paragraphs).
 *
 * Text found elsewhere (the article Mozilla Readability extracts from a copy of the page)
 * is placed on the live page by text-quote matching, as Hypothesis anchors annotations:
 * `anchorPieces` finds each paragraph exactly where it can, in order, and otherwise by a
 * bounded approximate match (approx-string-match, Myers' algorithm) that must score at
 * least a minimum. Pages also change between extraction and drawing (late widgets, live
 * updates): then every span is re-anchored by its exact text, each occurrence scored by
 * its surrounding context and distance (`anchorSpan`). A piece or span that cannot be
 * placed with confidence is dropped: no highlight is better than one on the wrong words.
 *
 * Offsets are JavaScript (UTF-16) indexes throughout; `codePointsToUtf16` converts a
 * response that came back in code points.
 *
 * Classic script (content scripts cannot be ES modules): it defines `Sidenote.anchoring`
 * on the global object, and `module.exports` under Node for the unit tests.
 */
(function (root) {
  "use strict";

  /** Elements whose text is never prose a reader sees. */
  const NO_TEXT_TAGS = new Set([
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "SVG", "CANVAS",
    "VIDEO", "AUDIO", "BUTTON", "SELECT", "TEXTAREA", "INPUT", "SIDENOTE-PANEL",
  ]);

  /** What a browser's find-in-page also skips (never rendered as text), and this extension's panel. */
  const UNSEARCHED_TAGS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "SIDENOTE-PANEL"]);

  /** Page chrome, left out when the reader asks for "the whole page" (no article found). */
  const CHROME_TAGS = new Set(["NAV", "ASIDE", "FOOTER", "FORM", "MENU", "DIALOG"]);
  const CHROME_ROLES = new Set(["navigation", "complementary", "dialog", "banner", "contentinfo"]);

  /** Elements that start a new paragraph in the extracted text. */
  const BLOCK_TAGS = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "CAPTION", "DD", "DETAILS", "DIALOG", "DIV",
    "DL", "DT", "FIELDSET", "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4",
    "H5", "H6", "HEADER", "HGROUP", "HR", "LEGEND", "LI", "MAIN", "MENU", "NAV", "OL", "P",
    "PRE", "SECTION", "SUMMARY", "TABLE", "TBODY", "TD", "TFOOT", "TH", "THEAD", "TR", "UL",
  ]);

  const WHITESPACE = /[ \t\n\r\f]/;

  /**
   * The extracted text plus, for each run of it, the text node it came from.
   * Separators between blocks ("\n\n", "\n" for <br>) belong to no node.
   */
  class TextMap {
    constructor() {
      this.pieces = [];
      this.length = 0;
      /**
       * `raw[k]` (or `k` when null) is where output character k lies in `data`, the part
       * of the node's text that was read (from offset `base`, for a partly selected node).
       * @type {{node: object, start: number, length: number, raw: number[]|null,
       *         base: number, data: string}[]}
       */
      this.chunks = [];
      this.lastChar = "";
      this.text = "";
    }

    /** Append a text node's data (from offset `base`) with whitespace collapsed as rendered. */
    addText(node, data, base = 0) {
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
      this.chunks.push({ node, start: this.length, length: out.length, raw, base, data: node.data });
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
        return { node: chunk.node, offset: chunk.base + (chunk.raw ? chunk.raw[k] : k) };
      }
      if (k <= 0) return { node: chunk.node, offset: chunk.base };
      if (k > chunk.length) k = chunk.length;
      return { node: chunk.node, offset: chunk.base + (chunk.raw ? chunk.raw[k - 1] + 1 : k) };
    }

    /** Both ends of `[start, end)` as DOM positions, or null when nothing maps. */
    span(start, end) {
      const a = this.position(start, false);
      const b = this.position(end, true);
      if (!a || !b) return null;
      return { start: a, end: b };
    }

    /**
     * A map of only the stretches `[{start, end}]` of this text (in order, not overlapping),
     * joined by blank lines, or by the text between them where that is only whitespace.
     */
    slice(stretches) {
      const out = new TextMap();
      const parts = [];
      let k = 0;
      stretches.forEach(({ start, end }, index) => {
        if (index > 0) {
          const gap = this.text.slice(stretches[index - 1].end, start);
          parts.push(/^\s*$/.test(gap) && gap ? gap : "\n\n");
          out.length += parts[parts.length - 1].length;
        }
        while (k < this.chunks.length && this.chunks[k].start + this.chunks[k].length <= start) k++;
        for (let j = k; j < this.chunks.length && this.chunks[j].start < end; j++) {
          const chunk = this.chunks[j];
          const from = Math.max(start, chunk.start) - chunk.start;
          const to = Math.min(end, chunk.start + chunk.length) - chunk.start;
          out.chunks.push({
            node: chunk.node, start: out.length + chunk.start + from - start, length: to - from,
            raw: chunk.raw ? chunk.raw.slice(from, to) : null,
            base: chunk.raw ? chunk.base : chunk.base + from, data: chunk.data,
          });
        }
        parts.push(this.text.slice(start, end));
        out.length += end - start;
      });
      out.text = parts.join("");
      out.pieces = [out.text];
      return out;
    }

    /**
     * Text offset of a DOM position `(node, offset)` in a text node that was read: the
     * number of output characters before it. Null for any other node.
     */
    offsetOf(node, offset) {
      let last = null;
      for (const chunk of this.chunks) {
        if (chunk.node !== node) continue;
        const index = (k) => chunk.base + (chunk.raw ? chunk.raw[k] : k);
        if (offset <= index(chunk.length - 1)) {
          let before = 0;
          while (before < chunk.length && index(before) < offset) before++;
          return chunk.start + before;
        }
        last = chunk;
      }
      return last ? last.start + last.length : null;
    }

    /** Whether every text node read is still in the page with the same text. */
    isCurrent() {
      return this.chunks.every((chunk) => chunk.node.isConnected !== false && chunk.node.data === chunk.data);
    }
  }

  function identity(n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }

  /**
   * Whether extraction leaves `element` out: no prose (scripts, media, controls, this
   * extension's panel), hidden, the caller's `skip(element)`, page chrome when
   * `options.chrome` is false, or not rendered (unless `options.rendered` is false: a
   * detached copy, such as Readability's article, renders nothing).
   */
  function isSkipped(element, options) {
    const tag = element.tagName.toUpperCase();
    if (options.searched) return UNSEARCHED_TAGS.has(tag) || !isRendered(element, options);
    if (NO_TEXT_TAGS.has(tag)) return true;
    if (element.hidden || element.getAttribute("aria-hidden") === "true") return true;
    if (options.skip && options.skip(element)) return true;
    if (options.chrome === false && (CHROME_TAGS.has(tag) || CHROME_ROLES.has(element.getAttribute("role")))) {
      return true;
    }
    return !isRendered(element, options);
  }

  function isRendered(element, options) {
    if (options.rendered !== false && typeof element.checkVisibility === "function") {
      return element.checkVisibility({ visibilityProperty: true });
    }
    return true;
  }

  /**
   * The rendered text of `rootElement` and its map back to the DOM. Options: `skip(element)`
   * leaves out more elements; `chrome: false` leaves out navigation, asides, footers and
   * forms; `rendered: false` reads a detached copy; `range` reads only what a Range (the
   * reader's selection) covers; `searched: true` reads all the text a browser's search
   * reads (buttons, hidden-from-assistive-technology text and chrome too: deep links must
   * be unique there).
   */
  function extractText(rootElement, options = {}) {
    const map = new TextMap();
    const range = options.range;
    const visit = (node) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (range && !range.intersectsNode(child)) continue;
        if (child.nodeType === 3) {
          let from = 0;
          let to = child.data.length;
          if (range && child === range.startContainer) from = range.startOffset;
          if (range && child === range.endContainer) to = range.endOffset;
          map.addText(child, from || to < child.data.length ? child.data.slice(from, to) : child.data, from);
        } else if (child.nodeType === 1) {
          const tag = child.tagName.toUpperCase();
          if (tag === "BR") {
            map.addBreak("\n");
            continue;
          }
          if (isSkipped(child, options)) continue;
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

  /** Text without whitespace: where a copy's blocks split differs, its words do not. */
  function squeeze(text) {
    return text.replace(/\s+/g, "");
  }

  /**
   * Characters of context that agree around `[start, end)` of `text`: how much of the text
   * before it ends like `before` and of the text after it starts like `after`, whitespace
   * ignored, at most `contextLength` each.
   */
  function contextAgreement(text, start, end, before, after, contextLength = 32) {
    const liveBefore = squeeze(text.slice(Math.max(0, start - 4 * contextLength), start)).slice(-contextLength);
    const liveAfter = squeeze(text.slice(end, end + 4 * contextLength)).slice(0, contextLength);
    return commonSuffix(before, liveBefore) + commonPrefix(after, liveAfter);
  }

  /** The longest run of `places` (in piece order) that is also in text order, none overlapping. */
  function inOrder(places) {
    const tails = [];
    const previous = new Array(places.length);
    places.forEach((place, k) => {
      let lo = 0;
      let hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (places[tails[mid]].start < place.start) lo = mid + 1;
        else hi = mid;
      }
      previous[k] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = k;
    });
    const run = [];
    for (let k = tails.length ? tails[tails.length - 1] : -1; k !== -1; k = previous[k]) run.push(places[k]);
    const kept = [];
    for (const place of run.reverse()) {
      if (!kept.length || place.start >= kept[kept.length - 1].end) kept.push(place);
    }
    return kept;
  }

  /** Never cut a surrogate pair, and no whitespace at either end of a fuzzy match. */
  function tidy(text, start, end) {
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end++;
    return { start, end };
  }

  /**
   * Where each of `pieces` (paragraphs of a copy of the page, in reading order) lies in
   * `text` (the live page's text): `{start, end, score}` or null, one per piece, in order
   * and never overlapping.
   *
   * 1. Anchors: pieces of at least `anchorLength` characters that occur exactly once,
   *    kept where they are in order (the longest run that is).
   * 2. Every other piece, by its exact occurrences between the placed pieces around it:
   *    the only one there, or the first (in reading order) whose context agrees with the
   *    neighbouring pieces' text.
   * 3. What is still missing, by approximate match in the same bounds (near either end when
   *    the stretch is long), with at most `1 - minScore` of its characters in error; the
   *    fewest errors win, then context, then the earliest.
   */
  function anchorPieces(text, pieces, options = {}) {
    const { minScore = 0.8, anchorLength = 20, contextLength = 32, fuzzyLength = 12, window = 2000 } = options;
    const found = pieces.map(() => null);
    const squeezed = pieces.map(squeeze);
    const before = (i) => (i > 0 ? squeezed[i - 1].slice(-contextLength) : "");
    const after = (i) => (i + 1 < pieces.length ? squeezed[i + 1].slice(0, contextLength) : "");
    const scored = (i, hit) => ({
      ...hit, context: contextAgreement(text, hit.start, hit.end, before(i), after(i), contextLength),
    });

    const anchors = [];
    pieces.forEach((piece, i) => {
      if (piece.length < anchorLength) return;
      const at = text.indexOf(piece);
      if (at !== -1 && text.indexOf(piece, at + 1) === -1) {
        anchors.push({ i, start: at, end: at + piece.length, score: 1 });
      }
    });
    for (const place of inOrder(anchors)) found[place.i] = place;

    const exact = (i, from, to) => {
      const piece = pieces[i];
      const hits = [];
      for (let at = text.indexOf(piece, from); at !== -1 && at + piece.length <= to; at = text.indexOf(piece, at + 1)) {
        hits.push(scored(i, { start: at, end: at + piece.length, score: 1 }));
        if (hits.length >= 50) break;
      }
      if (hits.length === 1) return hits[0];
      const wanted = Math.min(8, before(i).length + after(i).length);
      return hits.find((hit) => hit.context >= wanted) || null;
    };

    const fuzzy = (i, from, to) => {
      const piece = pieces[i];
      if (piece.length < fuzzyLength) return null;
      const maxErrors = Math.min(256, Math.floor(piece.length * (1 - minScore)));
      const reach = 2 * piece.length + window;
      const windows = to - from <= 2 * reach ? [[from, to]] : [[from, from + reach], [to - reach, to]];
      let best = null;
      for (const [a, b] of windows) {
        for (const match of approxSearch()(text.slice(a, b), piece, maxErrors)) {
          const score = 1 - match.errors / piece.length;
          const hit = scored(i, { ...tidy(text, a + match.start, a + match.end), score });
          if (hit.end <= hit.start) continue;
          if (!best || score > best.score || (score === best.score && hit.context > best.context)) best = hit;
        }
      }
      return best && best.score >= minScore ? best : null;
    };

    for (const place of [exact, fuzzy]) {
      const nextStart = new Array(pieces.length);
      for (let i = pieces.length - 1, next = text.length; i >= 0; i--) {
        nextStart[i] = next;
        if (found[i]) next = found[i].start;
      }
      let previousEnd = 0;
      pieces.forEach((piece, i) => {
        if (!found[i] && piece) found[i] = place(i, previousEnd, nextStart[i]);
        if (found[i]) previousEnd = found[i].end;
      });
    }
    return found;
  }

  function approxSearch() {
    const search = root.Sidenote && root.Sidenote.approxSearch;
    return search || require("../vendor/approx-string-match/approx-string-match.js");
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
    TextMap, extractText, anchorSpan, anchorPieces, codePointsToUtf16,
  };
  if (typeof module === "object" && module.exports) module.exports = anchoring;
  else (root.Sidenote = root.Sidenote || {}).anchoring = anchoring;
})(typeof globalThis !== "undefined" ? globalThis : this);
