/**
 * Deep links to a stretch of a page: URL text fragments (WICG Text Fragments),
 * `#:~:text=[prefix-,]textStart[,textEnd][,-suffix]`.
 *
 * The browser opening such a link highlights the *first* stretch of the page its search finds,
 * so the directive is chosen to be unique on the page: context words before (prefix) and after
 * (suffix) are added, and long spans use the textStart,textEnd form with more words at either
 * end, until a search that follows the spec's matching rules finds only the stretch meant.
 * That search is deliberately generous (case and accents folded, any word may end at any
 * punctuation), so it never finds fewer matches than the browser would.
 *
 * Works on the page's rendered text as anchoring.extractText reads it (whitespace collapsed,
 * "\n" between blocks): no single term may cross a block, but the whitespace between the
 * prefix and textStart (or textEnd and the suffix) may, as in Chromium and Firefox.
 *
 * Pure functions, unit tested under Node. Classic script: defines `Sidenote.fragments`.
 */
(function (root) {
  "use strict";

  /** A span up to this many characters within one block is linked by its whole text. */
  const EXACT_MAX_CHARS = 80;
  /** Words at either end of a longer span (textStart, textEnd), at first and at most. */
  const END_WORDS = 3;
  const MAX_END_WORDS = 8;
  /** Context words (prefix and suffix together) tried before giving up on uniqueness. */
  const MAX_CONTEXT_WORDS = 8;

  const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
  const SPACE = /\s/;

  /** One UTF-16 unit folded for comparison (lower case, no accents), keeping the length. */
  function foldChar(ch) {
    const bare = ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    if (bare.length === 1) return bare;
    const lower = ch.toLowerCase();
    return lower.length === 1 ? lower : ch;
  }

  /**
   * `text` as the search compares it: case and accents folded, each run of whitespace one
   * space (or one "\n" where it holds a block break). `at[k]` is where folded character k
   * came from in `text`.
   */
  function fold(text) {
    let folded = "";
    const at = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (SPACE.test(ch)) {
        const last = folded[folded.length - 1];
        if (last === " " || last === "\n") {
          if (ch === "\n") folded = `${folded.slice(0, -1)}\n`;
          continue;
        }
        folded += ch === "\n" ? "\n" : " ";
      } else {
        folded += /[\uD800-\uDFFF]/.test(ch) ? ch : foldChar(ch);
      }
      at.push(i);
    }
    at.push(text.length);
    return { folded, at };
  }

  /** Percent-encoding of a term: encodeURIComponent plus `-` (the spec's syntax characters `&`, `,` and `-`). */
  function encodeTerm(term) {
    return encodeURIComponent(term).replace(/-/g, "%2D");
  }

  /** The page's text prepared for searching: folded, with its word boundaries. */
  class PageText {
    constructor(text) {
      const { folded, at } = fold(text);
      this.folded = folded;
      this.at = at;
    }

    /** Whether a word may begin or end at folded position `i` (not between two word characters). */
    boundary(i) {
      const text = this.folded;
      if (i <= 0 || i >= text.length) return true;
      const before = text.codePointAt(/[\uDC00-\uDFFF]/.test(text[i - 1]) && i >= 2 ? i - 2 : i - 1);
      const after = text.codePointAt(i);
      return !(WORD_CHAR.test(String.fromCodePoint(before)) && WORD_CHAR.test(String.fromCodePoint(after)));
    }

    /** Start positions of `term` (folded) from `from`, in order. */
    *occurrences(term, from = 0) {
      for (let at = this.folded.indexOf(term, from); at !== -1; at = this.folded.indexOf(term, at + 1)) yield at;
    }

    /** Whether `prefix` ends right before `at`, with only whitespace between. */
    precededBy(prefix, at) {
      let end = at;
      if (end > 0 && SPACE.test(this.folded[end - 1])) end--;
      const start = end - prefix.length;
      return start >= 0 && this.folded.startsWith(prefix, start) && this.boundary(start);
    }

    /** Whether `suffix` starts right after `at`, with only whitespace between. */
    followedBy(suffix, at) {
      let start = at;
      if (start < this.folded.length && SPACE.test(this.folded[start])) start++;
      return this.folded.startsWith(suffix, start) && this.boundary(start + suffix.length);
    }

    /**
     * Every stretch `[start, end]` the browser could highlight for `directive` (terms as
     * written in the link, before encoding), as the spec's search finds them: each textStart
     * (after its prefix), then the first textEnd after it that its suffix follows. Offsets
     * are into the text given; stops after `limit` matches.
     */
    matches(directive, limit = 2) {
      const term = (value) => value && fold(value).folded;
      const prefix = term(directive.prefix);
      const first = term(directive.textStart);
      const last = term(directive.textEnd);
      const suffix = term(directive.suffix);
      const found = [];
      for (const s of this.occurrences(first)) {
        if (prefix ? !this.precededBy(prefix, s) : !this.boundary(s)) continue;
        const startEnd = s + first.length;
        let end = null;
        if (last) {
          for (const e of this.occurrences(last, startEnd)) {
            const stop = e + last.length;
            if (!this.boundary(e) || (!suffix && !this.boundary(stop))) continue;
            if (!suffix || this.followedBy(suffix, stop)) {
              end = stop;
              break;
            }
          }
        } else if ((suffix || this.boundary(startEnd)) && (!suffix || this.followedBy(suffix, startEnd))) {
          end = startEnd;
        }
        if (end === null) continue;
        found.push([this.at[s], this.at[end - 1] + 1]);
        if (found.length >= limit) break;
      }
      return found;
    }
  }

  /** Runs of non-whitespace in `text[from, to)`: `[start, end]` each. */
  function words(text, from, to) {
    const out = [];
    const pattern = /\S+/g;
    pattern.lastIndex = from;
    for (let m = pattern.exec(text); m && m.index < to; m = pattern.exec(text)) {
      out.push([m.index, Math.min(m.index + m[0].length, to)]);
    }
    return out;
  }

  /** The text of words `list[a..b)` as one term, or null when they are not all in one block. */
  function termOf(text, list, a, b) {
    if (a < 0 || b > list.length || a >= b) return null;
    const term = text.slice(list[a][0], list[b - 1][1]);
    return term.includes("\n") ? null : term.replace(/\s+/g, " ");
  }

  /** The last `n` words before `at`, as one term, or null when they are not all in one block. */
  function contextBefore(text, at, n) {
    if (!n) return null;
    let from = Math.max(0, at - 40 * n);
    while (from > 0 && !SPACE.test(text[from - 1])) from--;
    const list = words(text, from, at);
    return termOf(text, list, list.length - n, list.length);
  }

  function contextAfter(text, at, n) {
    if (!n) return null;
    let to = Math.min(text.length, at + 40 * n);
    while (to < text.length && !SPACE.test(text[to])) to++;
    return termOf(text, words(text, at, to), 0, n);
  }

  /**
   * The bare directives for a span of words `list`, most compact first: its whole text (short,
   * in one block), then textStart,textEnd with more and more words at either end (no more
   * than the span's first and last blocks hold, never overlapping).
   */
  function bases(text, list) {
    const n = list.length;
    const inBlock = (a, b) => termOf(text, list, a, b) !== null;
    let inFirst = 1;
    while (inFirst < n && inBlock(0, inFirst + 1)) inFirst++;
    let inLast = 1;
    while (inLast < n && inBlock(n - inLast - 1, n)) inLast++;
    const out = [];
    const length = list[n - 1][1] - list[0][0];
    if (inFirst === n && (length <= EXACT_MAX_CHARS || n <= 2 * END_WORDS)) {
      out.push({ textStart: termOf(text, list, 0, n), textEnd: null });
    }
    const seen = new Set();
    for (let k = END_WORDS; k <= MAX_END_WORDS; k++) {
      let a = Math.min(k, inFirst);
      let b = Math.min(k, inLast);
      if (inFirst === n) a = b = Math.min(k, Math.floor(n / 2));
      if (!a || !b || seen.has(`${a},${b}`)) continue;
      seen.add(`${a},${b}`);
      out.push({ textStart: termOf(text, list, 0, a), textEnd: termOf(text, list, n - b, n) });
    }
    return out;
  }

  /**
   * The text directive for `text[start, end)`: `{textStart, textEnd?, prefix?, suffix?,
   * unique}` with the terms as they read (not encoded), or null when the span has no words.
   * `unique` is false when no directive within the limits finds only this span but the
   * returned one finds it first (what a browser highlights); null when not even that.
   */
  function textDirective(text, start, end) {
    while (start < end && SPACE.test(text[start])) start++;
    while (end > start && SPACE.test(text[end - 1])) end--;
    if (start >= end) return null;
    const list = words(text, start, end);
    const forms = bases(text, list);
    const page = new PageText(text);
    const meant = (found) => found.length > 0 && found[0][0] === start && found[0][1] === end;
    let firstMatch = null;
    for (let context = 0; context <= MAX_CONTEXT_WORDS; context++) {
      for (const base of forms) {
        for (let after = 0; after <= context; after++) {
          const prefix = contextBefore(text, start, context - after);
          const suffix = contextAfter(text, end, after);
          if ((context - after && !prefix) || (after && !suffix)) continue;
          const directive = { ...base, prefix, suffix };
          const found = page.matches(directive);
          if (found.length === 1 && meant(found)) return { ...directive, unique: true };
          if (!firstMatch && meant(found)) firstMatch = { ...directive, unique: false };
        }
      }
    }
    return firstMatch;
  }

  /** `text=...` for a directive, each term percent-encoded. */
  function formatDirective({ prefix, textStart, textEnd, suffix }) {
    const parts = [];
    if (prefix) parts.push(`${encodeTerm(prefix)}-`);
    parts.push(encodeTerm(textStart));
    if (textEnd) parts.push(encodeTerm(textEnd));
    if (suffix) parts.push(`-${encodeTerm(suffix)}`);
    return `text=${parts.join(",")}`;
  }

  /** The page's address without its fragment, with a text fragment for the directive. */
  function linkTo(pageUrl, directive) {
    const url = String(pageUrl);
    const hash = url.indexOf("#");
    return `${hash === -1 ? url : url.slice(0, hash)}#:~:${formatDirective(directive)}`;
  }

  const fragments = { PageText, textDirective, formatDirective, linkTo, encodeTerm };
  if (typeof module === "object" && module.exports) module.exports = fragments;
  else (root.Sidenote = root.Sidenote || {}).fragments = fragments;
})(typeof globalThis !== "undefined" ? globalThis : this);
