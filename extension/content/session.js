/**
 * One annotation session on one document: extract the article, show the panel's states,
 * anchor and draw the service's answer, and undo it all on `clear()`.
 *
 * Shared by the extension's content script and the service's demo page, which differ only
 * in where the article is (found by Readability on a news page, see article.js, vs. the
 * demo page's own element) and where the panel's stylesheet comes from. Classic script:
 * defines `Sidenote.Session`.
 */
(function (root) {
  "use strict";

  const { anchoring, annotations, Highlighter, Panel } = root.Sidenote;

  /** Shortest text worth sending, in characters: below it a page is no article. */
  const MIN_CHARS = 300;

  class Session {
    /**
     * @param {Document} doc
     * @param {{root?: Element, css?: string, href?: string, hidden?: string[],
     *          maxChars?: number, onAction?: Function, onClose?: Function,
     *          onFeedback?: (body: object) => Promise<{ok: boolean, message: string}>,
     *          links?: boolean, forceFallback?: boolean}} options
     *   `links`: offer "Copy link" (a deep link into this page) for every quote and opinion;
     *   `onFeedback`: offer the feedback buttons, and send what they say.
     */
    constructor(doc, options = {}) {
      this.doc = doc;
      this.options = options;
      this.hidden = new Set(options.hidden ?? annotations.HIDDEN_BY_DEFAULT);
      this.highlighter = new Highlighter(doc, { forceFallback: options.forceFallback });
      for (const kind of this.hidden) this.highlighter.hidden.add(annotations.highlightName(kind));
      this.panel = null;
      this.sent = null;
      this.map = null;
      this.reread = null;
      this.response = null;
      this.textSha256 = null;
      this.onPointer = this.onPointer.bind(this);
      this.pointerFrame = 0;
    }

    get active() {
      return Boolean(this.panel);
    }

    ensurePanel() {
      if (!this.panel) {
        this.panel = new Panel(this.doc, {
          css: this.options.css,
          href: this.options.href,
          hidden: this.hidden,
          onToggle: (kind, visible) => this.toggle(kind, visible),
          onSelect: (id) => this.select(id),
          onFocusItem: (id) => this.point(id),
          onClose: () => this.close(),
          onAction: (action) => this.options.onAction?.(action),
          linkFor: this.options.links ? (id) => this.linkFor(id) : null,
          onFeedback: this.options.onFeedback ? (id, label) => this.sendFeedback(id, label) : null,
        });
      }
      return this.panel;
    }

    /**
     * What the service should read, as `{ok: true, text, url, title, length, source}`, or
     * `{ok: false, reason: "not-article" | "too-long", length, ...}`. `source` says where
     * the text came from: the article Readability found ("article"), the reader's selection
     * on a page that is no article ("selection"), the whole page when the reader asked for
     * it ("page"), or the element the session was given ("root", the demo page).
     */
    extract(mode = "article") {
      const found = this.find(mode);
      const length = found ? found.map.text.length : 0;
      const minChars = found && (found.source === "article" || found.source === "root") ? MIN_CHARS : 1;
      if (length < minChars) {
        return { ok: false, reason: "not-article", length, canAnnotatePage: !this.options.root };
      }
      if (this.options.maxChars && length > this.options.maxChars) {
        return { ok: false, reason: "too-long", length, limit: this.options.maxChars };
      }
      this.map = found.map;
      this.reread = found.reread;
      this.sent = found.map.text;
      return {
        ok: true, text: this.sent, url: this.doc.location ? this.doc.location.href : null,
        title: found.title || this.doc.title || null, length, source: found.source,
      };
    }

    /** `{map, source, title?, reread}`: the text found, and how to read its page again. */
    find(mode) {
      const { article } = root.Sidenote;
      const reader = (element, options = {}) => () => anchoring.extractText(element, options);
      const read = (reread, source) => ({ map: reread(), reread, source });
      if (this.options.root) return read(reader(this.options.root), "root");
      if (mode === "page") return read(reader(this.doc.body, { chrome: false }), "page");
      const found = article.extractArticle(this.doc);
      if (found && found.map.text.length >= MIN_CHARS) return { ...found, source: "article" };
      const selection = article.extractSelection(this.doc);
      return selection ? { map: selection, reread: reader(this.doc.body), source: "selection" } : null;
    }

    showLoading() {
      this.ensurePanel().showLoading();
    }

    /** Tell the reader what went wrong and what to do (see annotations.errorState). */
    showError(kind, detail = {}) {
      this.highlighter.clear();
      this.ensurePanel().showMessage(annotations.errorState(kind, detail), kind);
    }

    /**
     * Anchor the response's spans in the page as it is now and draw them. `textSha256`, the
     * digest of the text sent, names it in feedback. Returns counts for the badge and the
     * tests: `{annotations, drawn, dropped}`.
     */
    render(response, { textSha256 = null } = {}) {
      if (this.sent === null) throw new Error("render() before extract()");
      this.response = response;
      this.textSha256 = textSha256;
      // Offsets map straight to the nodes read, unless the page changed since: then each
      // span is looked for by its text and context in the page as it is now.
      const current = this.map.isCurrent() ? null : this.reread();
      const toUtf16 = response.offset_unit === "utf16"
        ? (x) => x
        : anchoring.codePointsToUtf16(this.sent);
      const spans = annotations.spansOf(response, toUtf16);
      const items = [];
      const placed = new Set();
      const counts = {};
      let dropped = 0;
      for (const span of spans) {
        let dom = null;
        if (!current) {
          dom = span.start >= 0 && span.end > span.start && span.end <= this.sent.length
            ? this.map.span(span.start, span.end) : null;
        } else {
          const at = anchoring.anchorSpan(current.text, this.sent, span.start, span.end);
          dom = at && current.span(at.start, at.end);
        }
        if (!dom) {
          dropped++;
          continue;
        }
        const range = this.doc.createRange();
        range.setStart(dom.start.node, dom.start.offset);
        range.setEnd(dom.end.node, dom.end.offset);
        items.push({
          id: span.id, kind: span.kind, name: annotations.highlightName(span.kind), range,
          tip: span.tip,
        });
        placed.add(span.id);
        counts[span.kind] = (counts[span.kind] || 0) + 1;
      }
      this.highlighter.draw(items);
      const model = annotations.panelModel(response, placed);
      this.ensurePanel().showResult(model, { kinds: annotations.KINDS, counts, dropped });
      this.doc.addEventListener("mousemove", this.onPointer, { passive: true });
      const count = [...placed].length;
      return { annotations: count, drawn: items.length, dropped, counts };
    }

    toggle(kind, visible) {
      if (visible) this.hidden.delete(kind);
      else this.hidden.add(kind);
      this.highlighter.setVisible(annotations.highlightName(kind), visible);
    }

    /** Scroll the page to an annotation and point at it (panel list click). */
    select(id) {
      const candidates = this.highlighter.items.filter((item) => item.id === id);
      const item = candidates.find((i) => i.kind !== "speaker") || candidates[0];
      if (!item) return false;
      const view = this.doc.defaultView;
      const start = item.range.startContainer;
      const anchor = start.nodeType === 1 ? start : start.parentElement;
      anchor.scrollIntoView({ block: "center", inline: "nearest" });
      let rect = item.range.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > view.innerHeight) {
        view.scrollBy(0, rect.top - view.innerHeight / 3);
        rect = item.range.getBoundingClientRect();
      }
      this.highlighter.flash(item);
      this.panel?.showTip([item], rect);
      return true;
    }

    /**
     * A link to this page that opens with annotation `id` (a quote from its first piece to
     * its last, or an opinion phrase) highlighted by the browser, or null: the text
     * fragment is chosen to be unique in all the text the browser searches.
     */
    linkFor(id) {
      const { anchoring, fragments } = root.Sidenote;
      const ranges = this.highlighter.items.filter((i) => i.id === id && i.kind !== "speaker").map((i) => i.range);
      if (!ranges.length) return null;
      const page = anchoring.extractText(this.doc.body, { searched: true });
      const first = ranges[0];
      const last = ranges[ranges.length - 1];
      const start = page.offsetOf(first.startContainer, first.startOffset);
      const end = page.offsetOf(last.endContainer, last.endOffset);
      if (start === null || end === null || end <= start) return null;
      const directive = fragments.textDirective(page.text, start, end);
      return directive ? fragments.linkTo(this.doc.location.href, directive) : null;
    }

    /** The reader's `label` on annotation `id`, sent by `options.onFeedback`: what to tell them. */
    async sendFeedback(id, label) {
      const { feedback } = root.Sidenote;
      let body;
      try {
        body = feedback.requestBody({ response: this.response, id, label, textSha256: this.textSha256 });
      } catch (error) {
        return { ok: false, message: `Not sent: ${error.message}.` };
      }
      try {
        return (await this.options.onFeedback(body)) || feedback.UNREACHABLE;
      } catch {
        return feedback.UNREACHABLE;
      }
    }

    /** Show an annotation's tip by its highlight, if it is on screen (keyboard focus). */
    point(id) {
      const item = this.highlighter.items.find((i) => i.id === id && i.kind !== "speaker");
      if (!item || !this.panel) return;
      const rect = item.range.getBoundingClientRect();
      const view = this.doc.defaultView;
      if (rect.bottom > 0 && rect.top < view.innerHeight) this.panel.showTip([item], rect);
    }

    onPointer(event) {
      if (this.pointerFrame) return;
      const { clientX, clientY } = event;
      this.pointerFrame = this.doc.defaultView.requestAnimationFrame(() => {
        this.pointerFrame = 0;
        // On the tip itself the reader is reaching for its buttons: it stays.
        if (!this.panel || this.panel.tipHovered()) return;
        const items = this.highlighter.itemsAt(clientX, clientY);
        if (items.length) this.panel.showTip(items, { left: clientX + 8, top: clientY, bottom: clientY + 12 });
        else this.panel.hideTipSoon();
      });
    }

    close() {
      this.clear();
      this.options.onClose?.();
    }

    /** Remove every trace: highlights, panel, listeners. */
    clear() {
      this.highlighter.clear();
      this.doc.removeEventListener("mousemove", this.onPointer);
      this.panel?.destroy();
      this.panel = null;
    }
  }

  root.Sidenote.Session = Session;
})(globalThis);
