/**
 * Options: the service address, which kinds are highlighted by default, and whether feedback
 * carries the page's address (off unless the reader ticks it). A service on
 * another origin than this computer needs an optional host permission, which the browser
 * only lets us request inside the click that saves.
 */
(function () {
  "use strict";

  const api = globalThis.browserApi;
  const { KINDS, HIDDEN_BY_DEFAULT } = globalThis.Sidenote.annotations;
  const form = document.getElementById("options");
  const input = document.getElementById("serviceUrl");
  const kinds = document.getElementById("kinds");
  const sendPageUrl = document.getElementById("sendPageUrl");
  const status = document.getElementById("status");

  function say(text, isError = false) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  async function load() {
    const settings = await api.getSettings();
    input.value = settings.serviceUrl;
    sendPageUrl.checked = settings.sendPageUrl === true;
    const hidden = new Set(settings.hidden ?? HIDDEN_BY_DEFAULT);
    for (const kind of KINDS) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = kind.id;
      box.checked = !hidden.has(kind.id);
      label.append(box, ` ${kind.label}: ${kind.help}`);
      kinds.append(label);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let origin;
    try {
      const url = new URL(input.value.trim());
      if (!/^https?:$/.test(url.protocol)) throw new Error("not http");
      origin = url.origin;
    } catch {
      say("Enter an http:// or https:// address.", true);
      return;
    }
    // The first await must be this request: the browser grants it only inside the click
    // (Firefox drops the gesture after any earlier await). Already granted: no prompt.
    const allowed = await api.requestOrigin(origin);
    if (!allowed) {
      say(`Not saved: Sidenote needs your permission to reach ${origin}.`, true);
      return;
    }
    const hidden = [...kinds.querySelectorAll("input")].filter((b) => !b.checked).map((b) => b.name);
    await api.saveSettings({ serviceUrl: origin, hidden, sendPageUrl: sendPageUrl.checked });
    say("Saved.");
  });

  load();
})();
