/**
 * The service's response, reshaped for drawing: which spans get which highlight, and the
 * panel's model (outlet note, sourcing summary, quotes, opinions by category).
 *
 * Pure functions over plain data, shared by the extension and the demo page, and unit
 * tested under Node. Classic script: defines `Sidenote.annotations`.
 */
(function (root) {
  "use strict";

  const OPINION_CATEGORIES = [
    "loaded", "labeling", "exaggeration", "minimisation", "intensifier", "hedge", "speculation",
    "rhetorical", "doubt", "figurative",
  ];

  /** How the tip and the panel name a voice that is not the writer's own. */
  const VOICE_NOTES = { quoted: "in a quote", reported: "reported speech" };

  /** Every highlight kind, in panel order, with the words the panel uses for it. */
  const KINDS = [
    { id: "quote", label: "Quotes", help: "quoted or reported speech" },
    { id: "speaker", label: "Speakers", help: "who is quoted" },
    { id: "loaded", label: "Loaded words", help: "words that carry a judgement" },
    { id: "labeling", label: "Labels", help: "names that pass a verdict on someone" },
    { id: "exaggeration", label: "Exaggeration", help: "claims larger than the facts" },
    { id: "minimisation", label: "Minimisation", help: "wording that plays the subject down" },
    { id: "intensifier", label: "Intensifiers", help: "words that turn up the volume" },
    { id: "hedge", label: "Hedges", help: "guesses worded as observations" },
    { id: "speculation", label: "Speculation", help: "possibilities worded as likely" },
    { id: "rhetorical", label: "Rhetorical", help: "questions and devices that argue" },
    { id: "doubt", label: "Doubt", help: "words that cast doubt on a claim" },
    { id: "figurative", label: "Figures of speech", help: "metaphors and idioms that pass a verdict" },
    { id: "quoted-opinion", label: "Others' opinions", help: "loaded words in quotes and reported speech, not the author's" },
    { id: "attribution", label: "Beliefs and findings", help: "reported beliefs, intentions and evidence" },
  ];

  /** Shown only when the reader asks: the author's voice and speech come first. */
  const HIDDEN_BY_DEFAULT = ["quoted-opinion", "attribution"];

  /** Cue types that report what someone thinks, wants or found rather than what they said. */
  const NON_SPEECH_CUES = new Set(["belief", "intention", "evidence"]);

  const BANDS = {
    reliable: "Generally reliable",
    mixed: "Mixed record",
    unreliable: "Generally unreliable",
    unknown: "Not rated",
  };

  /** Highlight registry name of a kind (one `::highlight()` style per name). */
  function highlightName(kind) {
    return `sidenote-${kind}`;
  }

  function speakerLabel(speaker) {
    if (!speaker) return "Unattributed";
    if (speaker.type === "anonymous") return speaker.mention || "Anonymous source";
    return speaker.name || speaker.mention || "Unknown speaker";
  }

  function truncate(text, max = 160) {
    return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
  }

  /**
   * The spans to anchor, one per highlighted stretch: opinion phrases, quote content
   * (each fragment of a mixed quote), speaker mentions. Offsets are converted to UTF-16
   * with `toUtf16` when the response is in code points.
   */
  function spansOf(response, toUtf16 = (x) => x) {
    const spans = [];
    (response.quotes || []).forEach((quote, index) => {
      const id = `q${index}`;
      const pieces = quote.fragments && quote.fragments.length ? quote.fragments : [[quote.start, quote.end]];
      const tip = `Quote · ${speakerLabel(quote.speaker)}${quote.cue ? ` (${quote.cue.text})` : ""}`;
      const kind = quote.cue && NON_SPEECH_CUES.has(quote.cue.type) ? "attribution" : "quote";
      for (const [start, end] of pieces) {
        spans.push({ id, kind, start: toUtf16(start), end: toUtf16(end), tip });
      }
      const speaker = quote.speaker;
      if (speaker && Number.isInteger(speaker.start) && speaker.end > speaker.start) {
        spans.push({
          id, kind: "speaker", start: toUtf16(speaker.start), end: toUtf16(speaker.end),
          tip: `Speaker · ${speakerLabel(speaker)} (${speaker.type})`,
        });
      }
    });
    (response.opinions || []).forEach((opinion, index) => {
      const category = OPINION_CATEGORIES.includes(opinion.category) ? opinion.category : "loaded";
      const note = VOICE_NOTES[opinion.voice];
      spans.push({
        id: `o${index}`, kind: note ? "quoted-opinion" : category,
        start: toUtf16(opinion.start), end: toUtf16(opinion.end),
        tip: `${labelOf(category)}${note ? ` (${note})` : ""} · ${opinion.reason || ""}`.trim(),
      });
    });
    return spans;
  }

  function labelOf(kind) {
    const found = KINDS.find((k) => k.id === kind);
    return found ? found.label : kind;
  }

  /**
   * The panel's model. `placed` is the set of span ids that were anchored (the panel
   * only offers to scroll to those).
   */
  function panelModel(response, placed = new Set()) {
    const outlets = (response.outlets || []).map((outlet, index) => ({ ...outlet, id: `u${index}` }));
    const summary = response.summary || {};
    const quotes = (response.quotes || []).map((quote, index) => ({
      id: `q${index}`,
      speaker: speakerLabel(quote.speaker),
      speakerType: quote.speaker ? quote.speaker.type : "unknown",
      cue: quote.cue ? quote.cue.text : null,
      via: quote.via || null,
      kind: quote.kind,
      text: truncate(quote.text || ""),
      placed: placed.has(`q${index}`),
    }));
    const opinions = [];
    for (const kind of OPINION_CATEGORIES) {
      const items = [];
      (response.opinions || []).forEach((opinion, index) => {
        if (opinion.category !== kind) return;
        items.push({
          id: `o${index}`, text: opinion.text, reason: opinion.reason || "",
          voice: opinion.voice, voiceNote: VOICE_NOTES[opinion.voice] || null,
          placed: placed.has(`o${index}`),
        });
      });
      if (items.length) opinions.push({ kind, label: labelOf(kind), items });
    }
    return {
      page: outlets.find((o) => o.role === "page") || null,
      cited: outlets.filter((o) => o.role !== "page"),
      summary: {
        words: summary.words || 0,
        quotes: summary.quotes || { total: quotes.length, named: 0, anonymous: 0, unattributed: 0 },
        opinionsPer100: summary.opinions_per_100_words || 0,
        outletsCited: summary.outlets_cited || 0,
      },
      quotes,
      opinions,
    };
  }

  /** What the reader is told for a failed request, by situation. */
  function errorState(kind, detail = {}) {
    switch (kind) {
      case "not-article":
        return detail.canAnnotatePage
          ? {
            title: "This page does not look like an article",
            body: "Sidenote reads news articles, and found none here (a front page or a list?). Select the text you want read and click again, or annotate all of the page's text.",
            action: "annotate-page", actionLabel: "Annotate the whole page anyway",
          }
          : {
            title: "This page does not look like an article",
            body: "Sidenote reads news articles. Open the article itself (not a front page or list) and click again.",
          };
      case "too-long":
        return {
          title: "This page is too long to annotate",
          body: `The article has ${detail.length || "too many"} characters; the service accepts up to ${detail.limit || "its limit"}.`,
        };
      case "unreachable":
        return {
          title: "The Sidenote service is unreachable",
          body: `Nothing answered at ${detail.serviceUrl || "the service address"}. Start it with “sidenote serve”, or set its address in the extension's options.`,
          action: "options", actionLabel: "Open Sidenote options",
        };
      case "bad-address":
        return {
          title: "The service address is not valid",
          body: "Nothing was sent. Set an http or https address (such as http://127.0.0.1:8000) in the extension's options.",
          action: "options", actionLabel: "Open Sidenote options",
        };
      default:
        return {
          title: "The service could not annotate this page",
          body: detail.message || "Try again in a moment.",
        };
    }
  }

  const annotations = {
    OPINION_CATEGORIES, NON_SPEECH_CUES, KINDS, HIDDEN_BY_DEFAULT, BANDS, highlightName, speakerLabel,
    spansOf, panelModel, errorState, labelOf, truncate,
  };
  if (typeof module === "object" && module.exports) module.exports = annotations;
  else (root.Sidenote = root.Sidenote || {}).annotations = annotations;
})(typeof globalThis !== "undefined" ? globalThis : this);
