/**
 * The extension's content-script entry, injected on demand after the toolbar click
 * (there is no static content script: pages the reader never annotates see nothing).
 *
 * Content scripts cannot be ES modules, so the background injects classic scripts in
 * order (the vendored libraries, anchoring, annotations, highlighter, panel, article,
 * session, this file) with one `scripting.executeScript({files})` call; each defines its
 * part of `Sidenote` (Readability its own globals) on the content script's global object. This file adds `sidenote`, the few calls the
 * background makes. Injecting twice is harmless: the second time keeps the first session.
 */
(function () {
  "use strict";

  if (globalThis.sidenote) return;
  const runtime = (globalThis.browser || globalThis.chrome).runtime;
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
        css, hidden, maxChars,
        onAction: (action) => runtime.sendMessage({ type: "action", action }),
        onClose: () => runtime.sendMessage({ type: "closed" }),
      });
      const article = session.extract(mode);
      if (article.ok) session.showLoading();
      else session.showError(article.reason, article);
      return article;
    },

    render(response) {
      return session.render(response);
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
