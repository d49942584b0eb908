/**
 * Background (service worker in Chromium, event page in Firefox): the toolbar click and
 * the keyboard shortcut both arrive as `action.onClicked`. Nothing runs on a page before
 * that click; the click grants `activeTab`, which is the only way in.
 *
 * Click on a page without annotations: inject the content scripts, extract the article,
 * send it to the service from here (the service's origin is a host permission, so no CORS
 * is needed), hand the answer to the page to anchor and draw. Click again: clear.
 *
 * A feedback button pressed in the page comes back here as a message: only this extension's
 * own content scripts are heard, and only the configured service is ever called.
 */
if (typeof globalThis.browserApi === "undefined") importScripts("browser-api.js", "content/feedback.js");

const api = globalThis.browserApi;
const { feedback } = globalThis.Sidenote;

const CONTENT_SCRIPTS = [
  "browser-api.js",
  "vendor/readability/Readability.js",
  "vendor/readability/Readability-readerable.js",
  "vendor/approx-string-match/approx-string-match.js",
  "content/anchoring.js",
  "content/annotations.js",
  "content/fragments.js",
  "content/feedback.js",
  "content/highlighter.js",
  "content/panel.js",
  "content/article.js",
  "content/session.js",
  "content/content.js",
];

/** Longest article sent, in UTF-16 units; the service may also answer 413. */
const MAX_CHARS = 200000;
const REQUEST_TIMEOUT_MS = 30000;

/** The last request and answer, for the worker console and the end-to-end tests. */
globalThis.sidenoteDebug = { lastExchange: null, lastError: null, lastFeedback: null };

class ServiceError extends Error {
  constructor(kind, detail) {
    super(detail.message || kind);
    this.kind = kind;
    this.detail = detail;
  }
}

/**
 * The toolbar click: annotate the article, or clear what is drawn. `mode: "page"` (the
 * panel's button on a page that is no article) annotates the whole page instead.
 */
async function annotateTab(tab, { mode = "article" } = {}) {
  const tabId = tab.id;
  let active;
  try {
    active = await withRetries(() => api.callInTab(tabId, () => Boolean(globalThis.sidenote && globalThis.sidenote.isActive())));
  } catch (error) {
    globalThis.sidenoteDebug.lastError = String(error);
    await api.setBadge(tabId, "×", { title: "Sidenote cannot read this page (browser pages and stores are off limits)", color: "#6b6b6b" });
    return { state: "forbidden", error: String(error) };
  }
  if (active && mode === "article") {
    await api.callInTab(tabId, () => globalThis.sidenote.clear());
    await api.setBadge(tabId, "");
    return { state: "cleared" };
  }

  const injected = await api.callInTab(tabId, () => Boolean(globalThis.sidenote));
  if (!injected) {
    await api.injectScripts(tabId, CONTENT_SCRIPTS);
    await api.insertCss(tabId, ["content/highlight.css"]);
  }
  const settings = await api.getSettings();
  const css = await api.readPackagedFile("content/panel.css");
  const article = await api.callInTab(tabId, (options) => globalThis.sidenote.start(options), [
    { css, hidden: settings.hidden, maxChars: MAX_CHARS, mode },
  ]);
  if (!article.ok) {
    await api.setBadge(tabId, "–", { title: article.reason === "too-long" ? "Sidenote: page too long" : "Sidenote: not an article", color: "#6b6b6b" });
    return { state: article.reason };
  }
  await api.setBadge(tabId, "…", { title: "Sidenote: annotating…", color: "#0b5cad" });

  const request = { text: article.text, url: article.url, title: article.title, offset_unit: "utf16" };
  globalThis.sidenoteDebug.lastExchange = { tabId, request, response: null, result: null };
  let response;
  try {
    response = await postAnnotate(settings.serviceUrl, request);
  } catch (error) {
    const kind = error instanceof ServiceError ? error.kind : "error";
    const detail = error instanceof ServiceError ? error.detail : { message: String(error) };
    await api.callInTab(tabId, (k, d) => globalThis.sidenote.fail(k, d), [kind, detail]);
    await api.setBadge(tabId, "!", { title: `Sidenote: ${kind === "unreachable" ? "service unreachable" : "failed"}`, color: "#b3261e" });
    return { state: kind };
  }
  // The digest names the text in feedback; computed here, where WebCrypto is always there
  // (pages on plain http have no crypto.subtle).
  const meta = { textSha256: await feedback.sha256Hex(request.text) };
  const result = await api.callInTab(tabId, (r, m) => globalThis.sidenote.render(r, m), [response, meta]);
  globalThis.sidenoteDebug.lastExchange = { tabId, request, response, result };
  await api.setBadge(tabId, String(result.annotations), {
    title: `Sidenote: ${result.annotations} annotations (click again to hide)`, color: "#0b5cad",
  });
  return { state: "done", ...result };
}

/**
 * The first call into a just-clicked tab can come before the browser has applied the
 * activeTab grant (seen in Chromium when the worker was asleep): try again briefly before
 * telling the reader the page is off limits.
 */
async function withRetries(call, attempts = 4, delayMs = 150) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** The origin of the stored service address: only a plain http(s) origin is ever called. */
function serviceOrigin(serviceUrl) {
  try {
    const url = new URL(serviceUrl);
    if (!/^https?:$/.test(url.protocol) || url.username || url.password) throw new Error();
    return url.origin;
  } catch {
    throw new ServiceError("bad-address", { serviceUrl });
  }
}

async function postJson(origin, path, body) {
  return fetch(new URL(path, origin), {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

/** POST the article; failures become the situations the panel explains. */
async function postAnnotate(serviceUrl, request) {
  // Stored settings are checked again here: only a plain http(s) origin ever gets the text.
  const origin = serviceOrigin(serviceUrl);
  let response;
  try {
    response = await postJson(origin, "/v1/annotate", request);
  } catch (error) {
    throw new ServiceError("unreachable", { serviceUrl, message: String(error) });
  }
  if (response.status === 413) {
    throw new ServiceError("too-long", { length: request.text.length });
  }
  if (!response.ok) {
    let message = `The service answered HTTP ${response.status}.`;
    try {
      const body = await response.json(); // {"error": {"code", "message", "status"}}
      const detail = body && (body.error ? body.error.message : body.message);
      if (detail) message = `${message} ${detail}`;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new ServiceError("error", { message });
  }
  return response.json();
}

/**
 * A reader's feedback from the page: only the fields feedback may carry go out, plus the
 * page's address where the reader allowed it. Answers what the button should say.
 */
async function sendFeedback(body, sender) {
  const clean = feedback.checked(body);
  if (!clean) return { ok: false, message: "Not sent: not a feedback request." };
  const settings = await api.getSettings();
  let origin;
  try {
    origin = serviceOrigin(settings.serviceUrl);
  } catch {
    return { ok: false, message: "Not sent: the service address in the options is not valid." };
  }
  const url = settings.sendPageUrl ? feedback.pageAddress(sender.url || sender.tab.url) : null;
  if (url) clean.url = url;
  let response;
  try {
    response = await postJson(origin, "/v1/feedback", clean);
  } catch {
    return feedback.UNREACHABLE;
  }
  const answer = await response.json().catch(() => null);
  globalThis.sidenoteDebug.lastFeedback = { request: clean, status: response.status };
  return feedback.outcome(response.status, answer, response.headers.get("Retry-After"));
}

api.onActionClicked((tab) => {
  annotateTab(tab).catch(async (error) => {
    console.error("Sidenote failed:", error);
    await api.setBadge(tab.id, "!", { title: `Sidenote failed: ${error.message}`, color: "#b3261e" });
  });
});

api.onMessage((message, sender) => {
  if (!api.fromOwnContentScript(sender) || !message) return undefined;
  if (message.type === "action" && message.action === "options") api.openOptions();
  if (message.type === "action" && message.action === "annotate-page") {
    annotateTab(sender.tab, { mode: "page" }).catch((error) => console.error("Sidenote failed:", error));
  }
  if (message.type === "closed") api.setBadge(sender.tab.id, "");
  if (message.type === "feedback") return sendFeedback(message.body, sender);
  return undefined;
});

// For tests that drive the worker directly (see tests/e2e).
globalThis.annotateTab = annotateTab;
