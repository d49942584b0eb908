/**
 * The article on a news page, found as Firefox's Reader View finds it, read off the live page.
 *
 * Mozilla Readability (vendor/readability/) decides whether the page is an article at all
 * (`isProbablyReaderable`, which only reads the live document) and finds it (`parse`, on a
 * clone: it rewrites the document it is given). Its article is a detached copy, and the
 * highlights must be drawn on the page the reader sees. So the copy's text is cut into
 * paragraphs (a line each of its rendered text) and every paragraph is found in the live
 * page's rendered text by text-quote matching (anchoring.anchorPieces: exact first, then a
 * bounded fuzzy match with a minimum score). What is sent to the service is the live page's
 * own text at those places, so every offset it answers with maps to a DOM position; a
 * paragraph that cannot be found is left out, never drawn at the wrong place.
 *
 * Readability drops the headline from the article (Reader View shows the title on its own);
 * a reader expects it annotated, so the live page's heading that repeats the title (by
 * Readability's own test) comes first.
 *
 * Classic script: defines `Sidenote.article`.
 */
(function (root) {
  "use strict";

  /** Readability's test that a heading repeats the title: share of its words not in it. */
  const HEADLINE_SIMILARITY = 0.75;

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /** 1 minus the share of `b`'s text (in characters) made of words that `a` lacks. */
  function similarity(a, b) {
    const wordsA = new Set(words(a));
    const wordsB = words(b);
    if (!wordsA.size || !wordsB.length) return 0;
    const unique = wordsB.filter((word) => !wordsA.has(word));
    return 1 - unique.join(" ").length / wordsB.join(" ").length;
  }

  function rendered(element) {
    return typeof element.checkVisibility !== "function" || element.checkVisibility({ visibilityProperty: true });
  }

  /**
   * Whether the browser renders the page at all: some pages hide everything until their
   * scripts run (`html {display: none}`), and a page whose scripts are blocked stays so.
   * Visibility is then judged as Readability judges it, by inline styles only.
   */
  function pageRendered(doc) {
    return rendered(doc.body);
  }

  /** The live page's first visible <h1>/<h2> that repeats `title`, as text, or null. */
  function headline(doc, title, options) {
    if (!title) return null;
    const { anchoring } = root.Sidenote;
    for (const heading of doc.body.querySelectorAll("h1, h2")) {
      if (options.rendered !== false && !rendered(heading)) continue;
      const text = anchoring.extractText(heading, options).text.replace(/\s+/g, " ").trim();
      if (text && similarity(title, text) > HEADLINE_SIMILARITY) return text;
    }
    return null;
  }

  /** Readability's article on a clone of `doc`: `{title, content: Element}` or null. */
  function readArticle(doc, options) {
    const readerable = options.rendered === false ? {} : { visibilityChecker: rendered };
    if (!root.isProbablyReaderable(doc, readerable)) return null;
    const copy = doc.cloneNode(true);
    const article = new root.Readability(copy, { serializer: (element) => element }).parse();
    return article && article.content ? article : null;
  }

  /**
   * The article as found on the live page, or null when Readability finds none:
   * `{map, title, pieces, placed, reread}`. `map` is the TextMap of the text to send;
   * `reread()` reads the live page's text again (to re-anchor spans if the page changed).
   */
  function extractArticle(doc) {
    const { anchoring } = root.Sidenote;
    const options = pageRendered(doc) ? {} : { rendered: false };
    const article = readArticle(doc, options);
    if (!article) return null;
    const pieces = anchoring.extractText(article.content, { rendered: false }).text
      .split("\n").map((line) => line.trim()).filter(Boolean);
    const title = (article.title || doc.title || "").trim();
    const heading = headline(doc, title, options);
    if (heading && !pieces.slice(0, 3).some((piece) => similarity(title, piece) > HEADLINE_SIMILARITY)) {
      pieces.unshift(heading);
    }
    const reread = () => anchoring.extractText(doc.body, options);
    const live = reread();
    const places = anchoring.anchorPieces(live.text, pieces).filter(Boolean);
    return {
      map: live.slice(places), title: title || null, pieces: pieces.length, placed: places.length, reread,
    };
  }

  /** The text the reader selected, as a TextMap, or null when nothing is selected. */
  function extractSelection(doc) {
    const selection = doc.getSelection && doc.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    let container = range.commonAncestorContainer;
    if (container.nodeType !== 1) container = container.parentElement;
    const map = root.Sidenote.anchoring.extractText(container, { range });
    return map.text ? map : null;
  }

  (root.Sidenote = root.Sidenote || {}).article = { extractArticle, extractSelection };
})(globalThis);
