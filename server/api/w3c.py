"""The annotations as W3C Web Annotations: an ``AnnotationPage`` that other tools can read.

Annotation tools (Hypothesis, Recogito, annotation servers implementing the Web Annotation
Protocol) speak the W3C Web Annotation Data Model; this presents one annotate response in it.
Every annotation targets the page (its URL, or ``urn:sha256:`` of the text when there is none)
through two selectors: a ``TextQuoteSelector`` (the words, with 32 characters of context each
side) that survives small changes to the page, and a ``TextPositionSelector`` in code points,
as the model requires. Identifiers are derived from the result, so the same text always
exports the same annotations. Both JSON-LD contexts ship with the package, so expanding an
export needs no network (``document_loader``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
CONTEXT_CHARS = 32
_DATA = Path(__file__).resolve().parent.parent / "data" / "w3c"
_IDS = uuid.UUID("6a0f3c52-2f7e-4d0a-9d43-5b1f0b6c8e11")  # namespace of this export's ids
MOTIVATIONS = {"opinions": "highlighting", "quotes": "describing", "outlets": "assessing"}


@cache
def _context_file(name: str) -> dict[str, Any]:
    return json.loads((_DATA / name).read_text(encoding="utf-8"))


def context() -> list[Any]:
    """The export's ``@context``: the W3C context by its IRI, then Sidenote's terms inline."""
    return [ANNO_CONTEXT, _context_file("sidenote.jsonld")["@context"]]


def document_loader(url: str, _options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-LD document loader (pyld's signature) that serves the shipped W3C context only."""
    if url.rstrip("/").replace("https://", "http://", 1) != ANNO_CONTEXT:
        raise ValueError(f"no shipped JSON-LD context for {url}")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": _context_file("anno.jsonld")}


def text_source(text: str) -> str:
    """What a text with no URL is called: the hash of its UTF-8 bytes."""
    return "urn:sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@cache
def software_version() -> str:
    return version("sidenote")


def annotation_page(body: dict[str, Any], text: str, url: str | None) -> dict[str, Any]:
    """The response ``body`` (offsets in code points) as one W3C ``AnnotationPage``."""
    if body.get("offset_unit", "codepoint") != "codepoint":
        raise ValueError("the W3C export reads code-point offsets")
    source = url or text_source(text)
    page_id = _id(source, body["version"], text_source(text))
    generator = {
        "id": f"urn:sidenote:software:{software_version()}",
        "type": "Software",
        "name": f"Sidenote {software_version()}",
        "pipelineVersion": body["version"],
    }
    items: list[dict[str, Any]] = []
    for feature, present in (
        ("opinions", _opinion_body),
        ("quotes", _quote_body),
        ("outlets", _outlet_body),
    ):
        for index, item in enumerate(body.get(feature, [])):
            items.append(
                {
                    "id": _id(page_id, feature, str(index)),
                    "type": "Annotation",
                    "motivation": MOTIVATIONS[feature],
                    "generator": generator,
                    "body": present(item),
                    "target": _targets(feature, item, text, source),
                }
            )
    return {
        "@context": context(),
        "id": page_id,
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": items,
    }


def _id(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_IDS, chr(0).join(parts))}"


def _targets(feature: str, item: dict[str, Any], text: str, source: str) -> Any:
    if feature == "outlets":
        stretches = [(m["start"], m["end"]) for m in item["mentions"]]
        if not stretches:  # the page's own outlet is about the whole page
            return source
    elif feature == "quotes" and len(item.get("fragments") or []) > 1:
        stretches = [tuple(fragment) for fragment in item["fragments"]]
    else:
        stretches = [(item["start"], item["end"])]
    targets = [_specific_resource(source, text, start, end) for start, end in stretches]
    return targets[0] if len(targets) == 1 else targets


def _specific_resource(source: str, text: str, start: int, end: int) -> dict[str, Any]:
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - CONTEXT_CHARS) : start],
                "suffix": text[end : end + CONTEXT_CHARS],
            },
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def _textual(value: str, purpose: str, **terms: Any) -> dict[str, Any]:
    body = {
        "type": "TextualBody",
        "purpose": purpose,
        "value": value,
        "format": "text/plain",
        "language": "en",
    }
    body.update({name: value for name, value in terms.items() if value is not None})
    return body


def _opinion_body(opinion: dict[str, Any]) -> dict[str, Any]:
    return _textual(
        opinion["reason"],
        "describing",
        category=opinion["category"],
        voice=opinion["voice"],
        confidence=opinion["score"],
    )


def _quote_body(quote: dict[str, Any]) -> dict[str, Any]:
    speaker = quote.get("speaker") or {}
    cue = quote.get("cue") or {}
    who = speaker.get("name") or "an unnamed source"
    said = f" ({cue['text']})" if cue.get("text") else ""
    through = f", via {quote['via']}" if quote.get("via") else ""
    return _textual(
        f"{quote['kind'].capitalize()} quote of {who}{said}{through}.",
        "describing",
        quoteKind=quote["kind"],
        speaker=speaker.get("name"),
        speakerType=speaker.get("type"),
        cue=cue.get("text"),
        cueType=cue.get("type"),
        viaOutlet=quote.get("via"),
        confidence=quote.get("confidence"),
    )


def _outlet_body(note: dict[str, Any]) -> dict[str, Any]:
    rating = note.get("rating") or {}
    return _textual(
        note["note"],
        "assessing",
        domain=note["domain"],
        outletRole=note["role"],
        band=note["band"],
        decidedBy=rating.get("decided_by"),
    )
