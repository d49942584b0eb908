"""The versioned HTTP API: one blueprint, views a few lines each.

Views validate with the schemas in ``schemas.py``, then hand the work to the pipeline through
the cache. Responses are written as JSON text once and served from the cache as that text, so a
cache hit costs a lookup and a string join, not a re-serialization.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from flask import Response, abort, current_app, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException, default_exceptions

from server.api import w3c
from server.api.schemas import (
    AnnotateRequestSchema,
    AnnotationPageSchema,
    AnnotationSchema,
    ErrorSchema,
    FeedbackRequestSchema,
    FeedbackStoredSchema,
    OutletNoteSchema,
)
from server.cache import get_or_compute, repeat_key, request_key
from server.feedback import FeedbackUnavailable
from server.metrics import CACHE, FEEDBACK
from server.pipeline import FEATURES, PIPELINE_VERSION, annotate, without_lone_surrogates
from server.pipeline.outlets import lookup

blp = Blueprint("v1", __name__, url_prefix="/v1", description="Annotate news articles.")

_ERRORS = {
    400: "Malformed JSON body.",
    413: "Body or text too large.",
    415: "Content type is not application/json.",
    422: "Invalid fields; `fields` names each one.",
    429: "Rate limited; see Retry-After.",
    503: "Analysis exceeded the time budget; see Retry-After.",
}


@blp.before_request
def parse_json_body() -> None:
    """Reject what webargs would mishandle: other content types, deep nesting, duplicate keys."""
    if request.method != "POST":
        return
    if not request.is_json:
        abort(415, "Send the body as application/json.")
    raw = request.get_data(cache=True)
    try:
        json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
    except _DuplicateKey as error:
        key = error.args[0]
        raise _http_error(400, f"Duplicate key {key!r}.", {key: ["Duplicate key."]}) from None
    except (ValueError, RecursionError):
        message = "The body is not valid JSON (UTF-8, at most a few hundred levels deep)."
        raise _http_error(400, message) from None


def _document_errors(statuses: dict[int, str]) -> Any:
    """Every error status a view can answer, each with the one error body schema."""

    def decorate(view: Any) -> Any:
        for status, why in statuses.items():
            view = blp.alt_response(status, schema=ErrorSchema, description=why)(view)
        return view

    return decorate


_JSON_LD = ("application/ld+json", w3c.MEDIA_TYPE)


def wants_w3c() -> bool:
    """Content negotiation: any JSON-LD in Accept, preferred over JSON, asks for the export."""
    offers = ["application/json", *_JSON_LD]
    return request.accept_mimetypes.best_match(offers, default="application/json") in _JSON_LD


@blp.route("/annotate", methods=["POST"])
@blp.arguments(AnnotateRequestSchema, location="json")
@blp.response(200, AnnotationSchema)
@blp.alt_response(
    200,
    schema=AnnotationPageSchema,
    content_type=w3c.MEDIA_TYPE,
    description="With that Accept header: the same annotations as a W3C AnnotationPage.",
)
@_document_errors(_ERRORS)
def annotate_text(args: dict[str, Any]) -> Response:
    """Annotate an article's text: opinion phrases, attributed quotes, outlet notes.

    With `Accept: application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"` the same
    annotations come as a W3C Web Annotation `AnnotationPage`.
    """
    services = current_app.extensions["sidenote"]
    config = services.config
    text = args["text"]  # annotate() reads unpaired surrogates as U+FFFD; no offset moves
    if len(text) > config.max_text_chars and len(text.strip()) > config.max_text_chars:
        message = f"Longer than {config.max_text_chars} characters."
        raise _http_error(413, message, {"text": [message]})
    features = tuple(name for name in FEATURES if name in args["features"])
    url = args["url"] and without_lone_surrogates(args["url"])
    title = args["title"] and without_lone_surrogates(args["title"])
    export = wants_w3c()
    unit = "codepoint" if export else args["offset_unit"]  # the W3C model counts code points
    key = request_key(
        config.cache_prefix,
        PIPELINE_VERSION,
        {"text": text, "url": url, "features": features, "offset_unit": unit},
    )

    def compute() -> str:
        deadline = time.monotonic() + config.time_budget
        body = annotate(
            text, url=url, title=title, features=features, offset_unit=unit, deadline=deadline
        )
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    value, cached = get_or_compute(
        services.cache, key, compute, is_current_result, wait_seconds=config.time_budget
    )
    CACHE.labels("hit" if cached else "miss").inc()
    if export:
        page = w3c.annotation_page(json.loads(value), without_lone_surrogates(text), url)
        response = Response(json.dumps(page, ensure_ascii=False), content_type=w3c.MEDIA_TYPE)
    else:
        if cached:  # read at least twice: the same bytes again skip all this (shortcut.py)
            body = request.get_data(cache=True)
            services.cache.set(repeat_key(config.cache_prefix, PIPELINE_VERSION, body), value)
        response = Response(cached_body(value, cached), mimetype="application/json")
    response.vary.add("Accept")
    return response


@blp.route("/feedback", methods=["POST"])
@blp.arguments(FeedbackRequestSchema, location="json")
@blp.response(201, FeedbackStoredSchema)
@_document_errors(
    {
        **{status: _ERRORS[status] for status in (400, 413, 415, 422, 429)},
        404: "This service does not collect feedback (SIDENOTE_FEEDBACK=off).",
        503: "The feedback store is unreachable; try again later.",
    }
)
def feedback(args: dict[str, Any]) -> dict[str, str]:
    """Tell the service an annotation is wrong; kept for refitting (never the page text)."""
    store = current_app.extensions["sidenote"].feedback
    if store is None:
        raise _http_error(404, "This service does not collect feedback.")
    record = {
        "received": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **{name: value for name, value in args.items() if value is not None},
    }
    try:
        record_id = store.add(record)
    except FeedbackUnavailable:
        error = _http_error(503, "Feedback could not be stored just now; try again later.")
        error.data["headers"] = {"Retry-After": "30"}  # type: ignore[attr-defined]
        raise error from None
    FEEDBACK.labels(args["kind"], args["label"]).inc()
    return {"id": record_id}


@blp.route("/outlets/<path:target>", methods=["GET"])
@blp.response(200, OutletNoteSchema)
@_document_errors({422: "Not a domain or URL.", 429: _ERRORS[429]})
def outlet_note(target: str) -> Any:
    """The credibility note for one outlet, by domain or by any URL on it."""
    if len(target) > 2048:
        raise _http_error(422, "Too long.", {"target": ["Longer than 2048 characters."]})
    # Servers and proxies merge the double slash of a URL given in the path ("https:/x.com").
    target = re.sub(r"^(https?):/(?!/)", r"\1://", target, flags=re.IGNORECASE)
    try:
        return lookup(target)
    except ValueError as error:
        raise _http_error(422, str(error), {"target": [str(error)]}) from None


def cached_body(value: str, cached: bool) -> str:
    """The response body: the stored result with the ``cached`` flag first."""
    return '{"cached":' + ("true" if cached else "false") + "," + value[1:]


def is_current_result(value: str) -> bool:
    """A cached value is used only if it parses and was made by this pipeline version."""
    try:
        body = json.loads(value)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("version") == PIPELINE_VERSION


class _DuplicateKey(ValueError):
    pass


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _http_error(
    status: int, message: str, fields: dict[str, list[str]] | None = None
) -> HTTPException:
    """An HTTPException carrying our error fields (flask.abort takes a Response or a code)."""
    error = default_exceptions[status](message)
    error.data = {"message": message, "fields": fields}  # type: ignore[attr-defined]
    return error
