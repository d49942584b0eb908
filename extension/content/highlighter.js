/**
 * Draws highlights without touching the page: the CSS Custom Highlight API paints DOM
 * Ranges through `::highlight(name)` rules (highlight.css), so the page's DOM and layout
 * stay exactly as they were. One registry name per kind, so a toggle is one `set`/`delete`.
 *
 * Where the API is missing (older browsers), the fallback wraps the text in
 * `<sidenote-mark>` elements: a custom element name no page stylesheet targets, undone
 * completely by `clear()`.
 *
 * Classic script: defines `Sidenote.Highlighter`.
 */
(function (root) {
  "use strict";

  const ACTIVE = "sidenote-active";

  class Highlighter {
    /** @param {Document} doc */
    constructor(doc, { forceFallback = false } = {}) {
      this.doc = doc;
      const view = doc.defaultView;
      this.native = !forceFallback && Boolean(view.CSS && view.CSS.highlights && view.Highlight);
      /** @type {{id: string, name: string, range: Range, tip: string}[]} */
      this.items = [];
      this.hidden = new Set();
      this.marks = [];
    }

    /** Draw items `{id, name, range, tip}`; replaces anything drawn before. */
    draw(items) {
      this.clear();
      this.items = items;
      if (this.native) this.paint();
      else this.wrap();
    }

    paint() {
      const { CSS, Highlight } = this.doc.defaultView;
      const byName = new Map();
      for (const item of this.items) {
        if (!byName.has(item.name)) byName.set(item.name, []);
        byName.get(item.name).push(item.range);
      }
      for (const [name, ranges] of byName) {
        if (this.hidden.has(name)) continue;
        const highlight = new Highlight(...ranges);
        if (name === "sidenote-speaker") highlight.priority = 2;
        else if (name === "sidenote-quote") highlight.priority = 0;
        else highlight.priority = 1;
        CSS.highlights.set(name, highlight);
      }
    }

    /** Names currently drawn (registered and not hidden). */
    names() {
      return [...new Set(this.items.map((i) => i.name))].filter((n) => !this.hidden.has(n));
    }

    setVisible(name, visible) {
      if (visible) this.hidden.delete(name);
      else this.hidden.add(name);
      if (this.native) {
        this.doc.defaultView.CSS.highlights.delete(name);
        if (visible) this.paint();
      } else {
        for (const mark of this.marks) mark.toggleAttribute(`data-off-${name}`, !visible);
      }
    }

    /** Briefly emphasise one item (after the panel scrolled to it). */
    flash(item) {
      if (!this.native) return;
      const { CSS, Highlight } = this.doc.defaultView;
      const highlight = new Highlight(item.range);
      highlight.priority = 3;
      CSS.highlights.set(ACTIVE, highlight);
      clearTimeout(this.flashTimer);
      this.flashTimer = setTimeout(() => CSS.highlights.delete(ACTIVE), 2000);
    }

    /** Visible items under a viewport point (for the hover tip). */
    itemsAt(x, y) {
      const position = caretAt(this.doc, x, y);
      if (!position) return [];
      return this.items.filter((item) => {
        if (this.hidden.has(item.name)) return false;
        try {
          return item.range.isPointInRange(position.node, position.offset) &&
            !(item.range.endContainer === position.node && item.range.endOffset === position.offset);
        } catch {
          return false;
        }
      });
    }

    clear() {
      if (this.native) {
        // The names this highlighter set, not a walk over the registry: Firefox shows content
        // scripts the page's registry through an Xray wrapper, which cannot be iterated.
        const registry = this.doc.defaultView.CSS.highlights;
        for (const name of new Set([...this.items.map((i) => i.name), ACTIVE])) registry.delete(name);
      } else {
        this.unwrap();
      }
      this.items = [];
    }

    /**
     * Fallback: split text nodes at every boundary (live Ranges follow the splits), then
     * wrap each covered text node once, in a mark that lists every kind covering it.
     */
    wrap() {
      for (const item of this.items) {
        splitAt(item.range.endContainer, item.range.endOffset);
        splitAt(item.range.startContainer, item.range.startOffset);
      }
      const cover = new Map();
      for (const item of this.items) {
        for (const node of textNodesIn(this.doc, item.range)) {
          if (!cover.has(node)) cover.set(node, []);
          cover.get(node).push(item);
        }
      }
      const marksOf = new Map();
      for (const [node, items] of cover) {
        const mark = this.doc.createElement("sidenote-mark");
        mark.setAttribute("data-kinds", [...new Set(items.map((i) => i.name))].join(" "));
        mark.title = items.map((i) => i.tip).join("\n");
        node.parentNode.insertBefore(mark, node);
        mark.appendChild(node);
        this.marks.push(mark);
        for (const item of items) {
          if (!marksOf.has(item)) marksOf.set(item, []);
          marksOf.get(item).push(mark);
        }
      }
      for (const [item, marks] of marksOf) {
        const range = this.doc.createRange();
        range.setStartBefore(marks[0]);
        range.setEndAfter(marks[marks.length - 1]);
        item.range = range;
      }
    }

    unwrap() {
      const parents = new Set();
      for (const mark of this.marks) {
        const parent = mark.parentNode;
        if (!parent) continue;
        while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
        parent.removeChild(mark);
        parents.add(parent);
      }
      for (const parent of parents) parent.normalize();
      this.marks = [];
    }
  }

  function splitAt(node, offset) {
    if (node.nodeType === 3 && offset > 0 && offset < node.data.length) node.splitText(offset);
  }

  function textNodesIn(doc, range) {
    const nodes = [];
    const container = range.commonAncestorContainer;
    if (container.nodeType === 3) return range.toString() ? [container] : [];
    const walker = doc.createTreeWalker(container, 4 /* SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!range.intersectsNode(node) || !node.data.length) continue;
      if (node === range.endContainer && range.endOffset === 0) continue;
      if (node === range.startContainer && range.startOffset === node.data.length) continue;
      nodes.push(node);
    }
    return nodes;
  }

  function caretAt(doc, x, y) {
    if (doc.caretPositionFromPoint) {
      const p = doc.caretPositionFromPoint(x, y);
      return p ? { node: p.offsetNode, offset: p.offset } : null;
    }
    if (doc.caretRangeFromPoint) {
      const r = doc.caretRangeFromPoint(x, y);
      return r ? { node: r.startContainer, offset: r.startOffset } : null;
    }
    return null;
  }

  (root.Sidenote = root.Sidenote || {}).Highlighter = Highlighter;
})(globalThis);
