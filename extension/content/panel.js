/**
 * The side panel, in a shadow root on a `<sidenote-panel>` host: page CSS cannot reach
 * inside, and nothing inside can restyle the page. Built with DOM calls and `textContent`
 * only (the service's strings are data, never markup).
 *
 * Every quote and opinion phrase has a "Copy link" control (a deep link into the page, where
 * the session offers one) and, with the feedback buttons of its kind, so does its hover tip;
 * outlet notes have "Rating looks wrong". A feedback button says "Thanks" once the service
 * stored the verdict, or why not.
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
     *          onClose?: Function, onAction?: Function, hidden?: Set<string>,
     *          linkFor?: (id: string) => string|null,
     *          onFeedback?: (id: string, label: string) => Promise<{ok: boolean, message: string}>}} options
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
      this.tip = el(doc, "div", {
        class: "tip", role: "group", "aria-label": "About this highlight", hidden: true,
        onmouseleave: () => this.hideTipSoon(),
      });
      this.tipKey = null;
      this.hideTimer = 0;
      /** Feedback already given, by `${id} ${label}`: `{ok, message}`, or "sending". */
      this.feedbackGiven = new Map();
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
      const actions = this.options.onFeedback
        ? el(d, "div", { class: "actions", "aria-live": "polite" },
          root.Sidenote.feedback.LABELS.outlet.map((label) => this.feedbackButton(outlet.id, label)))
        : null;
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
          : null,
        actions);
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
            el(d, "span", { class: "quote-text", text: `“${q.text}”` })),
            this.itemActions(q.id, "quote", q.placed))))
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
            el(d, "span", { class: "reason", text: o.reason })),
            this.itemActions(o.id, "opinion", o.placed)))))));
    }

    /** Under a quote or opinion in the list: "Copy link" and the feedback buttons of its kind. */
    itemActions(id, kind, placed) {
      const d = this.doc;
      const buttons = [];
      if (this.options.linkFor && placed) {
        buttons.push(el(d, "button", {
          type: "button", class: "copy-link", "data-id": id, text: "Copy link",
          title: "Copy a link that opens this page with this passage highlighted",
          onclick: (event) => this.copyLink(id, event.currentTarget),
        }));
      }
      if (this.options.onFeedback) {
        buttons.push(...root.Sidenote.feedback.LABELS[kind].map((label) => this.feedbackButton(id, label)));
      }
      return buttons.length ? el(d, "div", { class: "actions", "aria-live": "polite" }, buttons) : null;
    }

    /**
     * Copy the deep link to the clipboard and say so; where the clipboard is refused (or
     * missing: pages on plain http have none), show the link in a field, selected.
     */
    async copyLink(id, button) {
      const row = button.parentElement;
      row.querySelector("input.link")?.remove();
      const link = this.options.linkFor(id);
      if (!link) {
        button.textContent = "No link for this passage";
        return;
      }
      try {
        await this.doc.defaultView.navigator.clipboard.writeText(link);
        button.textContent = "Copied";
        setTimeout(() => { button.textContent = "Copy link"; }, 2500);
      } catch {
        const field = el(this.doc, "input", {
          type: "text", class: "link", readonly: true, value: link, "aria-label": "Link to this passage: copy it",
        });
        row.append(field);
        field.focus();
        field.select();
        button.textContent = "Copy the link below";
      }
    }

    /**
     * One feedback button (`label` of LABELS) for annotation `id`. Every button for the same
     * verdict, in the list and in the tip, shows the same state.
     */
    feedbackButton(id, label, { inTip = false } = {}) {
      const key = `${id} ${label.id}`;
      const button = el(this.doc, "button", {
        type: "button", class: "feedback", "data-id": id, "data-label": label.id,
        tabindex: inTip ? "-1" : null, title: "Tell Sidenote this annotation is wrong",
        onclick: () => this.giveFeedback(id, label),
      });
      this.showFeedbackState(button, label, this.feedbackGiven.get(key));
      return button;
    }

    showFeedbackState(button, label, state) {
      button.textContent = !state ? label.text : state === "sending" ? "Sending…" : state.message;
      button.disabled = state === "sending" || Boolean(state && state.ok);
      button.classList.toggle("failed", Boolean(state && state !== "sending" && !state.ok));
    }

    async giveFeedback(id, label) {
      const key = `${id} ${label.id}`;
      const update = (state) => {
        this.feedbackGiven.set(key, state);
        for (const button of this.shadow.querySelectorAll("button.feedback")) {
          if (button.dataset.id !== id || button.dataset.label !== label.id) continue;
          // As wide as before: the next button must not slide under the pointer.
          if (!button.style.minWidth && button.offsetWidth) button.style.minWidth = `${button.offsetWidth}px`;
          this.showFeedbackState(button, label, state);
        }
      };
      update("sending");
      update(await this.options.onFeedback(id, label.id));
    }

    /**
     * The tip for highlight items `[{id, tip}]` under the pointer (or picked in the list), next
     * to a viewport rectangle: each annotation's line, with its feedback buttons. It stays
     * where it is while the pointer is on the same annotations or on the tip itself.
     */
    showTip(items, rect) {
      clearTimeout(this.hideTimer);
      const byId = new Map();
      for (const item of items) if (item.tip) byId.set(item.id, [...(byId.get(item.id) || []), item.tip]);
      const key = [...byId].map(([id, tips]) => `${id}:${tips.join("|")}`).join(" ");
      if (!key) {
        this.hideTip();
        return;
      }
      if (key === this.tipKey && !this.tip.hidden) return;
      const d = this.doc;
      const { feedback } = root.Sidenote;
      this.tip.replaceChildren(...[...byId].map(([id, tips]) => el(d, "div", { class: "tip-item" },
        el(d, "div", { class: "tip-text", text: [...new Set(tips)].join("\n") }),
        this.options.onFeedback
          ? el(d, "div", { class: "actions", "aria-live": "polite" },
            feedback.LABELS[feedback.kindOf(id)].map((label) => this.feedbackButton(id, label, { inTip: true })))
          : null)));
      this.tipKey = key;
      this.tip.hidden = false;
      const view = this.doc.defaultView;
      const height = this.tip.offsetHeight || 40;
      const top = rect.bottom + 6 + height > view.innerHeight ? rect.top - 6 - height : rect.bottom + 6;
      // The tip is position: fixed (panel.css), so these are viewport coordinates.
      this.tip.style.setProperty("left", `${Math.max(4, Math.min(rect.left, view.innerWidth - 330))}px`);
      this.tip.style.setProperty("top", `${Math.max(4, top)}px`);
    }

    hideTip() {
      clearTimeout(this.hideTimer);
      this.tip.hidden = true;
      this.tipKey = null;
    }

    /** Hide the tip in a moment, unless the pointer reaches it first (to press its buttons). */
    hideTipSoon() {
      if (this.tip.hidden) return;
      clearTimeout(this.hideTimer);
      this.hideTimer = setTimeout(() => {
        if (!this.tipHovered()) this.hideTip();
      }, 350);
    }

    tipHovered() {
      return !this.tip.hidden && this.tip.matches(":hover");
    }

    focus() {
      this.box.focus({ preventScroll: true });
    }

    destroy() {
      clearTimeout(this.hideTimer);
      this.host.remove();
    }
  }

  (root.Sidenote = root.Sidenote || {}).Panel = Panel;
})(globalThis);
