/**
 * Reader feedback ("Not the writer's opinion", "Wrong speaker", ...): the request the service's
 * `POST /v1/feedback` takes, and what the reader is told of its answer.
 *
 * The content script builds the body from the annotation the reader pressed a button on; the
 * background checks it again (only these fields pass, so page text never can), adds the
 * page's address only where the reader allowed it in the options, and sends it. Pure
 * functions, unit tested under Node; used by the content scripts and the background.
 * Classic script: defines `Sidenote.feedback`.
 */
(function (root) {
  "use strict";

  /** The buttons for each kind of annotation; the ids are the service's (server/feedback.py LABELS). */
  const LABELS = {
    opinion: [{ id: "not_opinion", text: "Not the writer's opinion" }, { id: "wrong_reason", text: "Wrong reason" }],
    quote: [{ id: "wrong_speaker", text: "Wrong speaker" }, { id: "not_quote", text: "Not a quote" }],
    outlet: [{ id: "rating_wrong", text: "Rating looks wrong" }],
  };

  /** The service's limits (server/api/schemas.py). */
  const MAX_SPAN_CHARS = 2000;
  const MAX_COMMENT_CHARS = 500;
  const MAX_URL_CHARS = 2048;

  /** Every field a feedback body may have; anything else is dropped before sending. */
  const FIELDS = ["version", "kind", "label", "start", "end", "offset_unit", "text", "domain", "comment", "text_sha256"];

  /** The kind of annotation an item id names: "q3" a quote, "o0" an opinion, "u1" an outlet. */
  function kindOf(id) {
    return { q: "quote", o: "opinion", u: "outlet" }[String(id)[0]] || null;
  }

  function isLabel(kind, label) {
    return Boolean(LABELS[kind] && LABELS[kind].some((l) => l.id === label));
  }

  /** The annotation `id` names in the response: `{kind, start, end, text}` or `{kind, domain}`. */
  function itemOf(response, id) {
    const kind = kindOf(id);
    const list = { quote: response.quotes, opinion: response.opinions, outlet: response.outlets }[kind];
    const item = list && list[Number(String(id).slice(1))];
    if (!item) return null;
    if (kind === "outlet") return { kind, domain: item.domain };
    return { kind, start: item.start, end: item.end, text: String(item.text || "").slice(0, MAX_SPAN_CHARS) };
  }

  /**
   * The body of `POST /v1/feedback` for the reader's `label` on annotation `id` of `response`:
   * the pipeline version, the annotation (kind, offsets in the response's unit, its own
   * words), the label, the comment if any, and the SHA-256 of the annotated text. Never the
   * page text; never the page's address (the background adds it only where allowed).
   */
  function requestBody({ response, id, label, textSha256, comment }) {
    const item = itemOf(response, id);
    if (!item) throw new Error(`no annotation ${id}`);
    if (!isLabel(item.kind, label)) throw new Error(`no label ${label} for ${item.kind}`);
    if (!/^[0-9a-f]{64}$/.test(textSha256 || "")) throw new Error("the text's digest is missing");
    const body = { version: response.version, ...item, label, text_sha256: textSha256 };
    if (item.kind !== "outlet") body.offset_unit = response.offset_unit || "codepoint";
    const note = (comment || "").trim();
    if (note) body.comment = note.slice(0, MAX_COMMENT_CHARS);
    return body;
  }

  /** `body` with only the fields feedback may carry, or null when it is not feedback at all. */
  function checked(body) {
    if (!body || typeof body !== "object" || !isLabel(body.kind, body.label)) return null;
    const out = {};
    for (const field of FIELDS) if (body[field] !== undefined && body[field] !== null) out[field] = body[field];
    return out;
  }

  /** The page's address as feedback may carry it: http(s), without its fragment; else null. */
  function pageAddress(url) {
    try {
      const parsed = new URL(url);
      if (!/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password) return null;
      parsed.hash = "";
      return parsed.href.length <= MAX_URL_CHARS ? parsed.href : null;
    } catch {
      return null;
    }
  }

  /**
   * What the button says after the service answered `status` (with its JSON `body`, and
   * `retryAfter` seconds on 429): `{ok, id?, message}` in plain words.
   */
  function outcome(status, body, retryAfter) {
    if (status === 201) return { ok: true, id: body && body.id, message: "Thanks" };
    const detail = body && body.error && body.error.message;
    const seconds = Number(retryAfter);
    const wait = seconds > 0 && seconds < 3600 ? `${seconds} seconds` : "a minute";
    const messages = {
      404: "Not sent: this Sidenote service does not collect feedback.",
      429: `Not sent: too many reports just now. Try again in ${wait}.`,
      503: "Not sent: the service cannot store it just now. Try again later.",
    };
    const message = messages[status] || (detail ? `Not sent: ${detail}` : `Not sent: the service answered HTTP ${status}.`);
    return { ok: false, message };
  }

  const UNREACHABLE = { ok: false, message: "Not sent: the Sidenote service is unreachable." };

  /** Hex SHA-256 of `text` as UTF-8 (WebCrypto: the background, and Node in the tests). */
  async function sha256Hex(text) {
    const digest = await root.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  const feedback = { LABELS, kindOf, itemOf, requestBody, checked, pageAddress, outcome, UNREACHABLE, sha256Hex };
  if (typeof module === "object" && module.exports) module.exports = feedback;
  else (root.Sidenote = root.Sidenote || {}).feedback = feedback;
})(typeof globalThis !== "undefined" ? globalThis : this);
