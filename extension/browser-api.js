/**
 * The only file that touches the browser's extension APIs: promise-returning calls that
 * behave the same in Chromium (`chrome.*`) and Firefox (`browser.*`), and one seam to
 * replace in tests. Loaded by the background before background.js (service worker:
 * importScripts; Firefox event page: listed first in `background.scripts`), and injected
 * first into the page with the content scripts, which use only `sendMessage`.
 */
(function (root) {
  "use strict";

  const ext = root.browser || root.chrome;

  const DEFAULT_SETTINGS = Object.freeze({
    serviceUrl: "http://127.0.0.1:8000",
    hidden: null, // null: the kinds annotations.HIDDEN_BY_DEFAULT lists
    sendPageUrl: false, // feedback carries the page's address only when the reader allows it
  });

  const browserApi = {
    DEFAULT_SETTINGS,

    onActionClicked(listener) {
      ext.action.onClicked.addListener(listener);
    },

    /**
     * `listener(message, sender)` may return a promise: its value is the answer to the
     * sender (through `sendResponse`, which both browsers support).
     */
    onMessage(listener) {
      ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
        const answer = listener(message, sender);
        if (!answer || typeof answer.then !== "function") return false;
        answer.then(sendResponse, (error) => sendResponse({ ok: false, message: String(error) }));
        return true;
      });
    },

    /** From a content script or page of this extension to the background; resolves to its answer. */
    sendMessage(message) {
      return ext.runtime.sendMessage(message);
    },

    /**
     * Whether a message came from this extension's own content script in a tab: sent by this
     * extension from a tab, and not by one of its own pages (the options page, opened in a
     * tab, has a tab too).
     */
    fromOwnContentScript(sender) {
      return Boolean(sender && sender.tab) && sender.id === ext.runtime.id &&
        !String(sender.url || "").startsWith(ext.runtime.getURL(""));
    },

    /** Inject classic scripts, in order, into the tab's top frame. */
    async injectScripts(tabId, files) {
      await ext.scripting.executeScript({ target: { tabId }, files });
    },

    async insertCss(tabId, files) {
      await ext.scripting.insertCSS({ target: { tabId }, files });
    },

    /** Run `func(...args)` in the tab (content script world) and return its result. */
    async callInTab(tabId, func, args = []) {
      const [first] = await ext.scripting.executeScript({ target: { tabId }, func, args });
      if (first && first.error) throw new Error(String(first.error));
      return first ? first.result : undefined;
    },

    async setBadge(tabId, text, { title, color } = {}) {
      await ext.action.setBadgeText({ tabId, text });
      if (color) await ext.action.setBadgeBackgroundColor({ tabId, color });
      await ext.action.setTitle({ tabId, title: title || "Sidenote: annotate this article" });
    },

    async getSettings() {
      const stored = await ext.storage.local.get(Object.keys(DEFAULT_SETTINGS));
      return { ...DEFAULT_SETTINGS, ...stored };
    },

    async saveSettings(settings) {
      await ext.storage.local.set(settings);
    },

    /** Text of a file packaged with the extension. */
    async readPackagedFile(path) {
      const response = await fetch(ext.runtime.getURL(path));
      return response.text();
    },

    openOptions() {
      return ext.runtime.openOptionsPage();
    },

    /** Whether the extension may call `origin` (listed or granted host permission). */
    hasOrigin(origin) {
      return ext.permissions.contains({ origins: [hostPattern(origin)] });
    },

    /** Ask for an optional host permission (only from a user gesture, e.g. a click). */
    requestOrigin(origin) {
      return ext.permissions.request({ origins: [hostPattern(origin)] });
    },
  };

  /**
   * The host permission that covers `origin`: its scheme and host, any port. Host permissions
   * hold for every port, and Firefox counts "http://127.0.0.1:8000/*" as not covered by the
   * granted "http://127.0.0.1/*" (it would prompt for a permission the extension has).
   */
  function hostPattern(origin) {
    const url = new URL(origin);
    return `${url.protocol}//${url.hostname}/*`;
  }

  root.browserApi = browserApi;
  if (typeof module === "object" && module.exports) module.exports = { browserApi, hostPattern };
})(globalThis);
