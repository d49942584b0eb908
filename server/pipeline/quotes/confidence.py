"""Confidence: the statement filter, how sure a found statement is, from how it was found.

The patterns over-generate on purpose; a logistic model fitted on train (``filter.json``, see
``scripts/fit_quote_filter.py``) weighs features of each candidate (its cue, shape, kind,
speaker and length), and its probability is the quote's ``confidence``. ``feature_schema`` is
the contract between these features and the fitted weights: ``filter.json`` records the schema
it was fitted with, and a test fails when the code builds other names.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache

from server.pipeline.document import Document
from server.pipeline.quotes.cues import cue_precision, lexicon_words
from server.pipeline.quotes.data import DATA_DIR, threshold, word_list
from server.pipeline.quotes.sentences import PRONOUNS
from server.pipeline.quotes.types import Attribution, Shape
from server.pipeline.quotes.vocabulary import ANONYMOUS_HEADS, GROUP_HEADS
from server.pipeline.types import CueType, QuoteKind, Speaker, SpeakerType

_NESTED_CUE_PRECISION: float = threshold("nested_cue_precision")


@cache
def statement_filter() -> dict[str, object]:
    """Logistic weights over ``features`` (fitted on train; see scripts/fit_quote_filter.py)."""
    path = DATA_DIR / "filter.json"
    if not path.exists():
        return {"weights": {}, "threshold_quoted": 0.0, "threshold_indirect": 0.0}
    with open(path, encoding="utf8") as handle:
        return json.load(handle)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    return str(next((edge for edge in edges if n <= edge), "more"))


def features(doc: Document, attribution: Attribution, speaker: Speaker | None) -> dict[str, float]:
    """What the filter weighs: how the statement was found, its cue, speaker and length."""
    text = doc.text
    precision = cue_precision().get(attribution.cue_word, 0.0)
    words = sum(len(re.findall(r"\w+", text[s:e])) for s, e in attribution.content)
    found = {
        "bias": 1.0,
        "cue_logit": math.log((precision + 0.02) / (1.02 - precision)),
        f"cue_type={attribution.cue_type}": 1.0,
        f"shape={attribution.shape}": 1.0,
        f"kind={attribution.kind}": 1.0,
        f"words={_bucket(words, _CONTENT_WORD_EDGES)}": 1.0,
        f"speaker={speaker.type if speaker else 'none'}": 1.0,
        "headline": float(attribution.paragraph == 0),
    }
    if attribution.cue_word:
        found[f"cue={attribution.cue_word}"] = 1.0
    if speaker is not None:
        mention_words = speaker.mention.split()
        found[f"speaker_words={_bucket(len(mention_words), _SPEAKER_WORD_EDGES)}"] = 1.0
        found["speaker_pronoun"] = float(speaker.mention.lower() in PRONOUNS)
        found["speaker_capitalized"] = float(speaker.mention[:1].isupper())
    if attribution.cue is not None:
        c_start, c_end = attribution.cue
        found["cue_capitalized"] = float(text[c_start].isupper())
        before = text[max(0, c_start - 40) : c_start].lower().split()
        after = text[c_end : c_end + 30].lower().split()
        previous = before[-1] if before else ""
        following = after[0] if after else ""
        if previous in _CONTEXT_WORDS:
            found[f"before_cue={previous}"] = 1.0
        if following in _CONTEXT_WORDS:
            found[f"after_cue={following}"] = 1.0
        found["negated"] = float(
            bool({"not", "never", "n't", "didn't", "won't"} & set(before[-3:]))
        )
        found[f"type_shape={attribution.cue_type}/{attribution.shape}"] = 1.0
    first_content = re.match(r"\W*(\w+)", text[attribution.content[0][0] :])
    if first_content and first_content.group(1).lower() in _CONTEXT_WORDS:
        found[f"content_starts={first_content.group(1).lower()}"] = 1.0
    if speaker is not None:
        head = speaker.mention.lower().split()[-1:] or [""]
        found["speaker_group"] = float(head[0] in GROUP_HEADS | ANONYMOUS_HEADS)
        found["speaker_has_cue_word"] = float(
            any(w in lexicon_words() for w in speaker.mention.lower().split())
        )
    return found


_CONTEXT_WORDS = word_list("context_words")


_CONTENT_WORD_EDGES = (2, 4, 7, 12, 20, 40)


_SPEAKER_WORD_EDGES = (1, 2, 3, 5, 8)


_NUMERIC_FEATURES = (
    "bias",
    "cue_logit",
    "headline",
    "speaker_pronoun",
    "speaker_capitalized",
    "cue_capitalized",
    "negated",
    "speaker_group",
    "speaker_has_cue_word",
)


_CUE_WORD = re.compile(r":|[a-z][\w'-]*")


def feature_schema() -> dict[str, str | list[str]]:
    """The feature families ``features`` builds, each with its values: the contract between the
    code and ``filter.json``, which records the schema it was fitted with. "number" is a
    feature without a value; "word" takes the cue word."""
    context = sorted(_CONTEXT_WORDS)
    buckets = [str(edge) for edge in _CONTENT_WORD_EDGES] + ["more"]
    cue_types = [cue_type.value for cue_type in CueType]
    shapes = [shape.value for shape in Shape]
    schema: dict[str, str | list[str]] = dict.fromkeys(_NUMERIC_FEATURES, "number")
    schema |= {
        "cue_type": [*cue_types, "None"],
        "shape": shapes,
        "kind": [kind.value for kind in QuoteKind],
        "words": buckets,
        "speaker": [*(kind.value for kind in SpeakerType), "none"],
        "cue": "word",
        "speaker_words": [str(edge) for edge in _SPEAKER_WORD_EDGES] + ["more"],
        "before_cue": context,
        "after_cue": context,
        "type_shape": [f"{t}/{s}" for t in cue_types for s in shapes],
        "content_starts": context,
    }
    return dict(sorted(schema.items()))


def admitted(name: str, schema: dict[str, str | list[str]]) -> bool:
    """Whether the feature ``name`` is one the schema's families can give."""
    family, has_value, value = name.partition("=")
    values = schema.get(family)
    if values is None or (values == "number") == bool(has_value):
        return False
    if values == "number":
        return True
    if values == "word":
        return bool(_CUE_WORD.fullmatch(value))
    return value in values


def statement_probability(found: dict[str, float]) -> float:
    weights = statement_filter()["weights"]
    assert isinstance(weights, dict)
    score = sum(weights.get(name, 0.0) * value for name, value in found.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def scored(doc: Document, attribution: Attribution, speaker: Speaker | None) -> tuple[float, bool]:
    """The statement's confidence, and whether it clears the filter's threshold for its kind.

    Without fitted weights the patterns' own confidence stands and every statement passes.
    """
    if not statement_filter()["weights"]:
        return attribution.confidence, True
    confidence = statement_probability(features(doc, attribution, speaker))
    cutoff = statement_filter().get(
        "threshold_quoted" if attribution.quoted else "threshold_indirect", 0.0
    )
    assert isinstance(cutoff, float)
    # a source named inside a block quote stays: the reader needs both attributions
    nested_keep = (
        attribution.shape == Shape.NESTED
        and cue_precision().get(attribution.cue_word, 0.0) >= _NESTED_CUE_PRECISION
    )
    return confidence, confidence >= cutoff or nested_keep
