/**
 * The side panel, in a shadow root on a `<sidenote-panel>` host: page CSS cannot reach
 * inside, and nothing inside can restyle the page. Built with DOM calls and `textContent`
 * only (the service's strings are data, never markup).
 *
 * Styles come either as CSS text (the extension: a constructed stylesheet, so no
 * web-accessible resource is exposed to pages) or as a stylesheet URL (the demo page, whose
 * Content-Security-Policy allows only same-origin stylesheets).
 *
 * Classic script: defines `Sidenote.Panel`.
 */
(function (root) {
  "use strict";

  function el(doc, tag, attrs = {}, ...children) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? doc.createTextNode(child) : child);
    }
    return node;
  }

  class Panel {
    /**
     * @param {Document} doc
     * @param {{css?: string, href?: string, onToggle?: Function, onSelect?: Function,
     *          onClose?: Function, onAction?: Function, hidden?: Set<string>}} options
     */
    constructor(doc, options = {}) {
      this.doc = doc;
      this.options = options;
      this.host = doc.createElement("sidenote-panel");
      for (const [prop, value] of Object.entries({
        all: "initial", position: "fixed", top: "12px", right: "12px", "z-index": "2147483647",
        display: "block",
      })) {
        this.host.style.setProperty(prop, value, "important");
      }
      this.shadow = this.host.attachShadow({ mode: "open" });
      if (options.href) {
        this.shadow.append(el(doc, "link", { rel: "stylesheet", href: options.href }));
      } else if (options.css) {
        try {
          const sheet = new doc.defaultView.CSSStyleSheet();
          sheet.replaceSync(options.css);
          this.shadow.adoptedStyleSheets = [sheet];
        } catch {
          // Firefox content scripts may not adopt a page-realm sheet (Xray wrappers).
          this.shadow.append(el(doc, "style", { text: options.css }));
        }
      }
      this.box = el(doc, "section", {
        class: "panel", role: "region", "aria-label": "Sidenote annotations", tabindex: "-1",
      });
      this.box.addEventListener("keydown", (event) => {
        if (event.key === "Escape") this.options.onClose?.();
      });
      this.tip = el(doc, "div", { class: "tip", role: "tooltip", hidden: true });
      this.shadow.append(this.box, this.tip);
      this.setState("idle");
      // On <html>, not <body>: the page's own content tree is left exactly as it was.
      doc.documentElement.append(this.host);
    }

    setState(state) {
      this.host.setAttribute("data-state", state);
    }

    header(subtitle) {
      const d = this.doc;
      return el(d, "header", {},
        el(d, "h2", { text: "Sidenote" }),
        subtitle ? el(d, "p", { class: "subtitle", text: subtitle }) : null,
        el(d, "button", {
          class: "collapse", type: "button", "aria-expanded": "true",
          "aria-label": "Fold the panel", title: "Fold / unfold", text: "–",
          onclick: (event) => this.setFolded(event.currentTarget),
        }),
        el(d, "button", {
          class: "close", type: "button", "aria-label": "Clear annotations and close",
          title: "Clear (Esc)", text: "×", onclick: () => this.options.onClose?.(),
        }));
    }

    /** Fold the panel to its header (it covers part of the page), or unfold it. */
    setFolded(button) {
      const folded = !this.box.classList.contains("folded");
      this.box.classList.toggle("folded", folded);
      button.setAttribute("aria-expanded", String(!folded));
      button.textContent = folded ? "+" : "–";
    }

    showLoading() {
      this.box.replaceChildren(this.header(), el(this.doc, "p", {
        class: "status", role: "status", text: "Reading the article…",
      }));
      this.setState("loading");
    }

    /** A failure the reader can act on: `{title, body, action?, actionLabel?}` (annotations.errorState). */
    showMessage(message, state = "error") {
      const d = this.doc;
      this.box.replaceChildren(
        this.header(),
        el(d, "div", { class: "message", role: "alert" },
          el(d, "h3", { text: message.title }),
          el(d, "p", { text: message.body }),
          message.action
            ? el(d, "button", {
              type: "button", class: "action", text: message.actionLabel,
              onclick: () => this.options.onAction?.(message.action),
            })
            : null));
      this.setState(state);
      this.focus();
    }

    /** The full result. `model` comes from annotations.panelModel. */
    showResult(model, { kinds, counts, dropped = 0 }) {
      const d = this.doc;
      const parts = [this.header(dropped ? `${dropped} annotation${dropped > 1 ? "s" : ""} could not be placed on the page` : null)];
      if (model.page) parts.push(this.outletSection(model.page, "This outlet"));
      parts.push(this.summarySection(model.summary));
      parts.push(this.togglesSection(kinds, counts));
      parts.push(this.quotesSection(model.quotes));
      parts.push(this.opinionsSection(model.opinions));
      if (model.cited.length) {
        parts.push(el(d, "section", { class: "cited" },
          el(d, "h3", { text: "Cited outlets" }),
          model.cited.map((outlet) => this.outletSection(outlet, null))));
      }
      const aboutData = [model.page, ...model.cited].find((o) => o && o.about_data)?.about_data;
      parts.push(el(d, "footer", {},
        aboutData ? el(d, "p", { class: "about-data", text: `About the data: ${aboutData}` }) : null,
        el(d, "button", {
          type: "button", class: "clear", text: "Clear highlights",
          onclick: () => this.options.onClose?.(),
        })));
      this.box.replaceChildren(...parts);
      this.setState("done");
      this.focus();
    }

    outletSection(outlet, heading) {
      const d = this.doc;
      const band = outlet.rating ? outlet.rating.band : "unknown";
      const bandLabel = root.Sidenote.annotations.BANDS[band] || band;
      const sources = outlet.rating && outlet.rating.sources ? outlet.rating.sources : [];
      return el(d, "section", { class: `outlet band-${band}` },
        heading ? el(d, "h3", { text: heading }) : null,
        el(d, "p", { class: "outlet-name" },
          el(d, "strong", { text: outlet.name || outlet.domain }),
          " ",
          el(d, "span", { class: `band band-${band}`, text: bandLabel })),
        outlet.note ? el(d, "p", { class: "note", text: outlet.note }) : null,
        sources.length
          ? el(d, "ul", { class: "sources" }, sources.map((s) => el(d, "li", {},
            s.url && /^https?:/.test(s.url)
              ? el(d, "a", { href: s.url, target: "_blank", rel: "noopener noreferrer", text: s.name })
              : el(d, "span", { text: s.name }),
            `: ${s.verdict}${s.year ? ` (${s.year}${s.stale ? ", dated" : ""})` : ""}`)))
          : null);
    }

    summarySection(summary) {
      const d = this.doc;
      const q = summary.quotes;
      return el(d, "section", { class: "summary" },
        el(d, "h3", { text: "Sourcing" }),
        el(d, "dl", {},
          el(d, "dt", { text: "Quotes" }),
          el(d, "dd", { text: `${q.total}: ${q.named} named, ${q.anonymous} anonymous, ${q.unattributed} unattributed` }),
          el(d, "dt", { text: "Opinion density" }),
          el(d, "dd", { text: `${summary.opinionsPer100} author opinion phrases per 100 words (${summary.words} words)` }),
          el(d, "dt", { text: "Outlets cited" }),
          el(d, "dd", { text: String(summary.outletsCited) })));
    }

    togglesSection(kinds, counts) {
      const d = this.doc;
      const hidden = this.options.hidden || new Set();
      const shown = kinds.filter((k) => counts[k.id]);
      return el(d, "fieldset", { class: "toggles" },
        el(d, "legend", { text: "Show on the page" }),
        shown.length ? null : el(d, "p", { text: "Nothing to highlight." }),
        shown.map((kind) => el(d, "label", { class: `toggle kind-${kind.id}`, title: kind.help },
          el(d, "input", {
            type: "checkbox", name: kind.id, checked: !hidden.has(kind.id),
            onchange: (event) => this.options.onToggle?.(kind.id, event.target.checked),
          }),
          el(d, "span", { class: `swatch kind-${kind.id}`, "aria-hidden": "true" }),
          ` ${kind.label} (${counts[kind.id]})`)));
    }

    quotesSection(quotes) {
      const d = this.doc;
      return el(d, "section", { class: "quotes" },
        el(d, "h3", { text: `Quotes (${quotes.length})` }),
        quotes.length
          ? el(d, "ol", {}, quotes.map((q) => el(d, "li", { class: `speaker-${q.speakerType}` },
            el(d, "button", {
              type: "button", class: "item", "data-id": q.id, disabled: !q.placed,
              onclick: () => this.options.onSelect?.(q.id),
              onfocus: () => this.options.onFocusItem?.(q.id),
            },
            el(d, "span", { class: "who", text: q.speaker }),
            q.cue ? el(d, "span", { class: "cue", text: ` ${q.cue}` }) : null,
            q.via ? el(d, "span", { class: "via", text: ` via ${q.via}` }) : null,
            el(d, "span", { class: "quote-text", text: `“${q.text}”` })))))
          : el(d, "p", { text: "No quotes found." }));
    }

    opinionsSection(groups) {
      const d = this.doc;
      return el(d, "section", { class: "opinions" },
        el(d, "h3", { text: "Opinion phrases" }),
        groups.length ? null : el(d, "p", { text: "No opinion phrases found." }),
        groups.map((group) => el(d, "details", { open: true, class: `kind-${group.kind}` },
          el(d, "summary", {},
            el(d, "span", { class: `swatch kind-${group.kind}`, "aria-hidden": "true" }),
            ` ${group.label} (${group.items.length})`),
          el(d, "ul", {}, group.items.map((o) => el(d, "li", {},
            el(d, "button", {
              type: "button", class: "item", "data-id": o.id, disabled: !o.placed,
              onclick: () => this.options.onSelect?.(o.id),
              onfocus: () => this.options.onFocusItem?.(o.id),
            },
            el(d, "span", { class: "phrase", text: o.text }),
            o.voiceNote ? el(d, "span", { class: "voice", text: ` (${o.voiceNote})` }) : null,
            el(d, "span", { class: "reason", text: o.reason }))))))));
    }

    /** Show `text` next to a viewport rectangle (hover or focus on a highlight). */
    showTip(text, rect) {
      if (!text) {
        this.tip.hidden = true;
        return;
      }
      this.tip.textContent = text;
      this.tip.hidden = false;
      const view = this.doc.defaultView;
      const top = rect.bottom + 6 + 40 > view.innerHeight ? rect.top - 40 : rect.bottom + 6;
      // The tip is position: fixed (panel.css), so these are viewport coordinates.
      this.tip.style.setProperty("left", `${Math.max(4, Math.min(rect.left, view.innerWidth - 320))}px`);
      this.tip.style.setProperty("top", `${Math.max(4, top)}px`);
    }

    focus() {
      this.box.focus({ preventScroll: true });
    }

    destroy() {
      this.host.remove();
    }
  }

  (root.Sidenote = root.Sidenote || {}).Panel = Panel;
})(globalThis);
