/**
 * The demo page: the pasted text becomes an article on this page, then the extension's own
 * session (extract, anchor, highlight, panel) runs on it, with this page's service as the
 * backend. The page never fetches the article's address: it only passes it along so the
 * service can name the outlet.
 */
(function () {
  "use strict";

  const { Session } = globalThis.Sidenote;
  const form = document.getElementById("demo-form");
  const textInput = document.getElementById("demo-text");
  const urlInput = document.getElementById("demo-url");
  const article = document.getElementById("demo-article");
  let session = null;

  /** For the browser console and the end-to-end test. */
  const demo = { lastExchange: null };
  globalThis.sidenoteDemo = demo;

  function showArticle(text) {
    const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    article.replaceChildren(...paragraphs.map((paragraph) => {
      const element = document.createElement("p");
      element.textContent = paragraph;
      return element;
    }));
  }

  function clear() {
    session?.clear();
    session = null;
    article.replaceChildren();
  }

  async function annotate(event) {
    event.preventDefault();
    clear();
    showArticle(textInput.value);
    session = new Session(document, {
      root: article, href: "/extension/content/panel.css", maxChars: 200000,
      onClose: () => clear(),
    });
    const extracted = session.extract();
    if (!extracted.ok) {
      session.showError(extracted.reason, extracted);
      return;
    }
    session.showLoading();
    const request = { text: extracted.text, offset_unit: "utf16" };
    if (urlInput.value.trim()) request.url = urlInput.value.trim();
    demo.lastExchange = { request, response: null, result: null };
    let response;
    try {
      response = await fetch("/v1/annotate", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(request),
      });
    } catch (error) {
      session.showError("unreachable", { serviceUrl: location.origin });
      return;
    }
    const body = await response.json().catch(() => null);
    if (response.status === 413) {
      session.showError("too-long", { length: extracted.length });
      return;
    }
    if (!response.ok || !body) {
      const message = body && body.error ? body.error.message : `HTTP ${response.status}`;
      session.showError("error", { message });
      return;
    }
    const result = session.render(body);
    demo.lastExchange = { request, response: body, result };
  }

  form.addEventListener("submit", annotate);
  document.getElementById("demo-clear").addEventListener("click", clear);
})();
