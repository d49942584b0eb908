/**
 * The extension's content-script entry, injected on demand after the toolbar click
 * (there is no static content script: pages the reader never annotates see nothing).
 *
 * Content scripts cannot be ES modules, so the background injects classic scripts in
 * order (the browser-API wrapper, the vendored libraries, anchoring, annotations, fragments,
 * feedback, highlighter, panel, article, session, this file) with one `scripting.executeScript({files})` call; each defines its
 * part of `Sidenote` (Readability its own globals) on the content script's global object. This file adds `sidenote`, the few calls the
 * background makes. Injecting twice is harmless: the second time keeps the first session.
 */
(function () {
  "use strict";

  if (globalThis.sidenote) return;
  const api = globalThis.browserApi;
  let session = null;

  globalThis.sidenote = {
    isActive() {
      return Boolean(session && session.active);
    },

    /**
     * Extract the article (or, with `mode: "page"`, the whole page) and show the panel's
     * loading state, or why not.
     */
    start({ css, hidden, maxChars, mode }) {
      session?.clear();
      session = new globalThis.Sidenote.Session(document, {
        css, hidden, maxChars, links: true,
        onAction: (action) => api.sendMessage({ type: "action", action }),
        onClose: () => api.sendMessage({ type: "closed" }),
        // The background sends it (to the configured service only) and says how it went.
        onFeedback: (body) => api.sendMessage({ type: "feedback", body }),
      });
      const article = session.extract(mode);
      if (article.ok) session.showLoading();
      else session.showError(article.reason, article);
      return article;
    },

    /** `meta.textSha256`: the digest of the text sent, which feedback names it by. */
    render(response, meta) {
      return session.render(response, meta);
    },

    fail(kind, detail) {
      session?.showError(kind, detail);
    },

    clear() {
      session?.clear();
      session = null;
    },
  };
})();
