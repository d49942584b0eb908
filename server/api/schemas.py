"""The API's request and response schemas: the contract the extension, CLI and evaluation read."""

from __future__ import annotations

from urllib.parse import urlsplit

import marshmallow as ma
from marshmallow import fields, validate

from server.feedback import LABELS
from server.pipeline import FEATURES, OFFSET_UNITS
from server.pipeline.opinions.cues import OPINION_CATEGORIES
from server.pipeline.opinions.voice import VOICES
from server.pipeline.types import CueType, QuoteKind, SpeakerType

MAX_URL_CHARS = 2048
MAX_TITLE_CHARS = 1000
MAX_FEEDBACK_SPAN_CHARS = 2000
MAX_COMMENT_CHARS = 500


def validate_url(value: str) -> None:
    if len(value) > MAX_URL_CHARS:
        raise ma.ValidationError(f"Longer than {MAX_URL_CHARS} characters.")
    try:
        parts = urlsplit(value)
    except ValueError as error:
        raise ma.ValidationError("Not a valid URL.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ma.ValidationError("Must be an http or https URL with a host.")


class AnnotateRequestSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    text = fields.String(
        required=True, metadata={"description": "The article text, 1 to 200,000 characters."}
    )
    url = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate_url,
        metadata={"description": "The page's address (http or https); rates the page's outlet."},
    )
    title = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=MAX_TITLE_CHARS)
    )
    lang = fields.String(
        load_default="en",
        validate=validate.OneOf(["en"], error="Only English ('en') is supported for now."),
    )
    features = fields.List(
        fields.String(validate=validate.OneOf(FEATURES)),
        load_default=lambda: list(FEATURES),
        validate=validate.Length(min=1, max=len(FEATURES)),
        metadata={"description": "Which annotations to return; default all."},
    )
    offset_unit = fields.String(
        load_default="codepoint",
        validate=validate.OneOf(OFFSET_UNITS),
        metadata={"description": "utf16 for JavaScript clients."},
    )

    @ma.validates("text")
    def check_text(self, value: str, **_: object) -> None:
        if not value.strip():
            raise ma.ValidationError("Must contain some text.")


class SpanSchema(ma.Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)


class OpinionSchema(SpanSchema):
    category = fields.String(required=True, validate=validate.OneOf(OPINION_CATEGORIES))
    voice = fields.String(
        required=True,
        validate=validate.OneOf(VOICES),
        metadata={
            "description": "author: the writer's own words; quoted: inside quotation marks, "
            "the speaker's; reported: in reported speech or an attributed view ('analysts "
            "said the tactics were brutal'), someone else's though unquoted. The extension "
            "shows author-voice phrases by default."
        },
    )
    score = fields.Float(required=True)
    reason = fields.String(required=True)


class SpeakerSchema(ma.Schema):
    name = fields.String(required=True)
    mention = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in SpeakerType]))


class CueSchema(SpanSchema):
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in CueType]))


class QuoteSchema(SpanSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf([kind.value for kind in QuoteKind]),
        metadata={
            "description": "direct: exactly a quotation; mixed: reported content with quoted "
            "words; indirect: reported content without quotation marks."
        },
    )
    fragments = fields.List(fields.List(fields.Integer()), required=True)
    speaker = fields.Nested(SpeakerSchema, allow_none=True, required=True)
    cue = fields.Nested(CueSchema, allow_none=True, required=True)
    via = fields.String(allow_none=True, required=True)
    confidence = fields.Float(required=True)


class SourceVerdictSchema(ma.Schema):
    name = fields.String(required=True)
    verdict = fields.String(required=True)
    year = fields.Integer(allow_none=True)
    url = fields.String(allow_none=True)
    band = fields.String()
    qualifier = fields.String(
        allow_none=True, metadata={"description": "Topic or time scope of this verdict."}
    )
    stale = fields.Boolean(metadata={"description": "The verdict is over five years old."})
    match = fields.String(
        allow_none=True, metadata={"description": "The host or host/path the source rated."}
    )
    entry = fields.String(allow_none=True, metadata={"description": "The source's entry name."})
    score = fields.Float(allow_none=True, metadata={"description": "Numeric score, 0 to 1."})
    snapshot = fields.String(
        allow_none=True, metadata={"description": "Date of the copy of the source we ship."}
    )
    decides = fields.Boolean(metadata={"description": "This verdict set the band."})


class RatingSchema(ma.Schema):
    band = fields.String(required=True)
    sources = fields.List(fields.Nested(SourceVerdictSchema), required=True)
    decided_by = fields.String(
        allow_none=True, metadata={"description": "The source whose verdicts set the band."}
    )


class PlatformSchema(ma.Schema):
    domain = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "self-published | user-generated"})
    band = fields.String(
        required=True, metadata={"description": "The platform's own band, never the author's."}
    )


class OutletNoteSchema(ma.Schema):
    domain = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    mentions = fields.List(fields.Nested(SpanSchema), required=True)
    rating = fields.Nested(RatingSchema, allow_none=True, required=True)
    note = fields.String(required=True)
    band = fields.String(metadata={"description": "reliable | mixed | unreliable | unknown"})
    site = fields.String(metadata={"description": "The host or host/path the note is about."})
    disagreement = fields.String(allow_none=True)
    stale = fields.Boolean()
    country = fields.String(allow_none=True)
    ownership = fields.String(allow_none=True)
    platform = fields.Nested(PlatformSchema, allow_none=True)
    about_data = fields.String(metadata={"description": "Attribution of the rating data."})


class QuoteCountsSchema(ma.Schema):
    total = fields.Integer(required=True)
    named = fields.Integer(required=True)
    anonymous = fields.Integer(required=True)
    unattributed = fields.Integer(required=True)


class SummarySchema(ma.Schema):
    words = fields.Integer(required=True)
    quotes = fields.Nested(QuoteCountsSchema, required=True)
    opinions_per_100_words = fields.Float(required=True)
    outlets_cited = fields.Integer(required=True)


class AnnotationSchema(ma.Schema):
    version = fields.String(required=True)
    lang = fields.String(required=True)
    offset_unit = fields.String(required=True)
    cached = fields.Boolean(required=True)
    summary = fields.Nested(SummarySchema, required=True)
    opinions = fields.List(fields.Nested(OpinionSchema), required=True)
    quotes = fields.List(fields.Nested(QuoteSchema), required=True)
    outlets = fields.List(fields.Nested(OutletNoteSchema), required=True)


class ErrorBodySchema(ma.Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)
    field_errors = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Offending request fields and what is wrong with each."},
    )


class ErrorSchema(ma.Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class HealthSchema(ma.Schema):
    status = fields.String(required=True)
    reason = fields.String(allow_none=True)
    cache = fields.String()


class AnnotationPageSchema(ma.Schema):
    """The W3C export (``server/api/w3c.py``), described for the OpenAPI document only.

    One ``Annotation`` per opinion phrase (motivation ``highlighting``), quote (``describing``)
    and outlet note (``assessing``), each targeting the page's ``url`` (or ``urn:sha256:`` of the
    text) with a ``TextQuoteSelector`` and a ``TextPositionSelector`` in code points.
    """

    context = fields.Raw(data_key="@context", required=True)
    id = fields.String(required=True)
    type = fields.String(required=True, metadata={"enum": ["AnnotationPage"]})
    startIndex = fields.Integer()
    items = fields.List(fields.Dict(), required=True, metadata={"description": "Annotations."})


class FeedbackRequestSchema(ma.Schema):
    """A reader's verdict on one annotation: what it was, what is wrong, never the page text."""

    class Meta:
        unknown = ma.RAISE

    version = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The response's pipeline `version` the annotation came from."},
    )
    kind = fields.String(required=True, validate=validate.OneOf(list(LABELS)))
    label = fields.String(
        required=True,
        validate=validate.OneOf(sorted({label for labels in LABELS.values() for label in labels})),
        metadata={
            "description": "opinion: not_opinion | wrong_reason; quote: wrong_speaker | "
            "not_quote; outlet: rating_wrong."
        },
    )
    start = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    end = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    offset_unit = fields.String(load_default="codepoint", validate=validate.OneOf(OFFSET_UNITS))
    text = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_FEEDBACK_SPAN_CHARS),
        metadata={"description": "The annotation's own words (its `text`), not the page's."},
    )
    domain = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=253),
        metadata={"description": "For an outlet note: the outlet's domain."},
    )
    comment = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=MAX_COMMENT_CHARS)
    )
    text_sha256 = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$", error="Must be 64 lowercase hex digits."),
        metadata={"description": "SHA-256 of the annotated text (UTF-8), hex."},
    )
    url = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate_url,
        metadata={"description": "The page's address, only where the reader allowed it."},
    )

    @ma.validates_schema
    def check_item(self, data: dict[str, object], **_: object) -> None:
        if data["label"] not in LABELS[str(data["kind"])]:
            allowed = ", ".join(LABELS[str(data["kind"])])
            raise ma.ValidationError(f"For kind {data['kind']!r}: one of {allowed}.", "label")
        if data["kind"] == "outlet":
            if not data["domain"]:
                raise ma.ValidationError("An outlet note's feedback names its domain.", "domain")
            return
        for name in ("start", "end", "text"):
            if data[name] is None:
                raise ma.ValidationError(f"Required for kind {data['kind']!r}.", name)
        if int(data["end"]) <= int(data["start"]):  # type: ignore[call-overload]
            raise ma.ValidationError("Must be greater than start.", "end")


class FeedbackStoredSchema(ma.Schema):
    id = fields.String(required=True, metadata={"description": "The stored record's id."})
