"""The opinion tagger: a linear model's probability that each word carries the writer's judgment.

Fitted by ``scripts/fit_opinions.py`` (see ``server/data/opinions/README.md`` for what on); cheap
features of each word, its neighbours and the whole text's style, and four numbers per MiniLM
word piece for what the words mean, so it runs in a few milliseconds per 1,000 words.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Container
from functools import cache

from server.pipeline.opinions.words import BOUNDARY, DATA_DIR, WINDOW, Word, neighbours, word_shape

_STRONG_CLASSES = {"vneg2", "vpos2", "subj2"}


_CHARGED_CLASSES = frozenset({"vneg1", "vneg2", "vpos2", "pol2"})


_DENSITY_STEPS = (1.0, 2.0, 3.0)


_FIRST_PERSON = frozenset({"i", "we", "our", "us", "my", "me"})


# Per 100 words: reporting verbs, quoted words, "!" and "?", first-person pronouns.
_STYLE_STEPS = {
    "R": (0.5, 1.0, 1.5),
    "Q": (10.0, 20.0, 35.0),
    "E": (0.1, 0.3, 0.6),
    "F": (0.5, 1.0, 2.0),
}


Lexicon = dict[str, tuple[str, ...]]


def density_class(words: list[Word], lexicon: Lexicon) -> str:
    """How charged the whole text's vocabulary is, in four steps.

    The same word reads differently in a sober report and in a polemic; this lets the tagger
    weigh the evidence by the company it keeps.
    """
    if not words:
        return "0"
    strong = sum(1 for w in words if _STRONG_CLASSES.intersection(lexicon.get(w.lower, ())))
    per_hundred = 100 * strong / len(words)
    return str(sum(per_hundred >= step for step in _DENSITY_STEPS))


def style_classes(words: list[Word], quoted: list[bool]) -> list[str]:
    """How the whole text is written, each trait in four steps (``R=0`` .. ``F=3``).

    A report that says "said" often and quotes its sources uses charged words differently
    from a column in the first person full of exclamations; the tagger weighs a charged
    word by the kind of text around it.
    """
    per_hundred = 100 / max(1, len(words))
    counts = {
        "R": sum(1 for w in words if w.lower in REPORTING),
        "Q": sum(quoted),
        "E": sum(1 for w in words if w.text in ("!", "?")),
        "F": sum(1 for w in words if w.lower in _FIRST_PERSON),
    }
    return [
        f"{trait}={sum(count * per_hundred >= step for step in _STYLE_STEPS[trait])}"
        for trait, count in counts.items()
    ]


def _style_features(word: str, style: list[str], lexicon: Lexicon) -> list[str]:
    """The text's style alone and with each lexicon class of the word."""
    return [trait + "|" + cls for trait in style for cls in lexicon.get(word, ())]


def _own_features(word: str, shape: str, density: str, lexicon: Lexicon) -> list[str]:
    """Features of the word itself (and of the text's density), whatever its neighbours."""
    features = ["w=" + word, "sh=" + shape, density]
    if len(word) > 4:
        features += ("s3=" + word[-3:], "s4=" + word[-4:], "p4=" + word[:4])
        features += ("s2=" + word[-2:], "s5=" + word[-5:], "p3=" + word[:3], "p5=" + word[:5])
        marked = "^" + word + "$"
        features += ["c4=" + marked[k : k + 4] for k in range(len(marked) - 3)]
    for cls in lexicon.get(word, ()):
        features += ("L=" + cls, "L=" + cls + "|" + shape, density + "|" + cls)
    return features


def _previous_features(prev: str, lexicon: Lexicon) -> list[str]:
    return ["p=" + prev] + ["pL=" + cls for cls in lexicon.get(prev, ())]


def _next_features(nxt: str, lexicon: Lexicon) -> list[str]:
    return ["n=" + nxt] + ["nL=" + cls for cls in lexicon.get(nxt, ())]


def _pair_features(prev: str, word: str, nxt: str, prev_shape: str, shape: str) -> list[str]:
    return ["pw=" + prev + "|" + word, "wn=" + word + "|" + nxt, "psh=" + prev_shape + "|" + shape]


_UNKNOWN_PIECE = "[UNK]"


_MAX_PIECE_CHARS = 100  # a longer "word" is one unknown piece, as in BERT's own tokenizer


def word_pieces(
    word: str, vocabulary: Container[str], longest: int = _MAX_PIECE_CHARS
) -> list[str]:
    """A word split as MiniLM's uncased WordPiece tokenizer splits it: accents stripped,
    punctuation apart, then the longest vocabulary piece first ("embattled" -> "em", "##bat",
    "##tled"). The tagger's piece weights were fitted on these splits; the fitting script
    calls this same function, so both sides always agree. ``longest``: no piece of the
    vocabulary is longer, so no longer one is tried."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn"
    )
    pieces: list[str] = []
    for part in re.findall(r"[^\W_]+|[\W_]", plain):
        if len(part) > _MAX_PIECE_CHARS:
            pieces.append(_UNKNOWN_PIECE)
            continue
        found: list[str] = []
        start = 0
        while start < len(part):
            end = min(len(part), start + longest)
            while end > start:
                piece = part[start:end] if start == 0 else "##" + part[start:end]
                if piece in vocabulary:
                    found.append(piece)
                    break
                end -= 1
            else:
                found = [_UNKNOWN_PIECE]  # as BERT does: one unknown piece for the whole part
                break
            start = end
        pieces.extend(found)
    return pieces or [_UNKNOWN_PIECE]


class PieceScores:
    """What the tagger learned from MiniLM's static word-piece embeddings, as four numbers
    per piece (the word itself, the word before, the word after, a word of the window around).

    The embeddings say which words are alike in meaning, so a charged word the annotated news
    never used ("venomous") scores like the ones it did ("vicious"), and the words around a
    word say what its sentence is about. The tagger is linear in a word's mean piece
    embedding, so its weights fold into one number per piece and position: a word scores the
    mean of its pieces' numbers, and no embedding ships.
    """

    _MAX_CACHED = 200_000

    def __init__(self, table: dict[str, list[float]], offset: list[float]) -> None:
        self.table = table
        self.offset = offset
        self.longest = max(len(piece.removeprefix("##")) for piece in table)
        self.scores: dict[str, list[float]] = {}  # a word is split once for all positions

    def of(self, word: str, position: int) -> float:
        """The word's score at ``position`` (0: itself, 1: as the word before, 2: after,
        3: in the window around another word)."""
        if word == BOUNDARY:
            return 0.0
        scores = self.scores.get(word)
        if scores is None:
            pieces = word_pieces(word, self.table, self.longest)
            scores = [
                offset + sum(self.table[p][k] for p in pieces) / len(pieces)
                for k, offset in enumerate(self.offset)
            ]
            if len(self.scores) > self._MAX_CACHED:
                self.scores.clear()
            self.scores[word] = scores
        return scores[position]


def token_features(words: list[Word], quoted: list[bool], lexicon: Lexicon) -> list[list[str]]:
    """Sparse binary features per word: its form, its neighbours, shape and lexicon classes.

    This is the fitting script's view; ``LinearScorer`` computes the same sums faster.
    """
    density = "D=" + density_class(words, lexicon)
    style = style_classes(words, quoted)
    lowers = [w.lower for w in words]
    shapes = [word_shape(w.text) for w in words]
    feats: list[list[str]] = []
    for i, word in enumerate(lowers):
        prev, prev2, nxt, nxt2 = neighbours(words, lowers, i)
        prev_shape = BOUNDARY if prev == BOUNDARY else shapes[i - 1]
        f = _own_features(word, shapes[i], density, lexicon) + style
        f += _style_features(word, style, lexicon)
        f += _previous_features(prev, lexicon)
        f += _next_features(nxt, lexicon)
        f += ("p2=" + prev2, "n2=" + nxt2)
        f += _pair_features(prev, word, nxt, prev_shape, shapes[i])
        if quoted[i]:
            f.append("q")
        feats.append(f)
    return feats


class LinearScorer:
    """The tagger's linear score of every word: the sum over ``token_features``, computed fast.

    Most features depend on one word only, so their summed weight is looked up once per
    distinct word and position and kept across documents, instead of once per feature and
    occurrence. The caches are bounded: a stream of new words cannot grow them without end.
    """

    _MAX_CACHED = 200_000

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        lexicon: Lexicon,
        pieces: PieceScores | None = None,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.lexicon = lexicon
        self.pieces = pieces
        self.own: dict[tuple[str, str, str], float] = {}
        self.context: dict[tuple[str, str], float] = {}

    def _own(self, word: str, shape: str, density: str) -> float:
        key = (word, shape, density)
        value = self.own.get(key)
        if value is None:
            get = self.weights.get
            value = sum(get(f, 0.0) for f in _own_features(word, shape, density, self.lexicon))
            if self.pieces is not None:
                value += self.pieces.of(word, 0)
            if len(self.own) > self._MAX_CACHED:
                self.own.clear()
            self.own[key] = value
        return value

    def _context(self, position: str, word: str) -> float:
        key = (position, word)
        value = self.context.get(key)
        if value is None:
            get = self.weights.get
            if position == "p":
                features = _previous_features(word, self.lexicon)
            elif position == "n":
                features = _next_features(word, self.lexicon)
            elif position == "w":
                features = []  # the window has piece scores only
            else:
                features = [position + "=" + word]
            value = sum(get(f, 0.0) for f in features)
            if self.pieces is not None and position in _PIECE_POSITIONS:
                value += self.pieces.of(word, _PIECE_POSITIONS[position])
            if len(self.context) > self._MAX_CACHED:
                self.context.clear()
            self.context[key] = value
        return value

    def scores(self, words: list[Word], quoted: list[bool]) -> list[float]:
        density = "D=" + density_class(words, self.lexicon)
        style = style_classes(words, quoted)
        lowers = [w.lower for w in words]
        shapes = [word_shape(w.text) for w in words]
        distinct = set(lowers)
        get = self.weights.get
        lexicon = self.lexicon
        # Only lexicon words have style features beyond the text's own, shared by every word.
        style_weight = {
            w: sum(get(f, 0.0) for f in _style_features(w, style, lexicon))
            for w in distinct
            if w in lexicon
        }
        text_weight = self.bias + sum(get(f, 0.0) for f in style)
        distinct.add(BOUNDARY)
        context = self._context
        as_prev = {w: context("p", w) for w in distinct}
        as_next = {w: context("n", w) for w in distinct}
        as_prev2 = {w: context("p2", w) for w in distinct}
        as_next2 = {w: context("n2", w) for w in distinct}
        own = self._own
        quoted_weight = get("q", 0.0)
        scores = []
        for i, word in enumerate(lowers):
            prev, prev2, nxt, nxt2 = neighbours(words, lowers, i)
            shape = shapes[i]
            prev_shape = BOUNDARY if prev == BOUNDARY else shapes[i - 1]
            total = text_weight + own(word, shape, density) + style_weight.get(word, 0.0)
            total += as_prev[prev] + as_next[nxt] + as_prev2[prev2] + as_next2[nxt2]
            total += get("pw=" + prev + "|" + word, 0.0) + get("wn=" + word + "|" + nxt, 0.0)
            total += get("psh=" + prev_shape + "|" + shape, 0.0)
            if quoted[i]:
                total += quoted_weight
            scores.append(total)
        if self.pieces is not None:
            self._add_window(lowers, scores)
        return scores

    def _add_window(self, lowers: list[str], scores: list[float]) -> None:
        """Each word's context: the mean window-position score of the ``WINDOW`` words either
        side (running sums, so a word costs the same whatever the window)."""
        context = self._context
        running = [0.0]
        for word in lowers:
            running.append(running[-1] + context("w", word))
        n = len(lowers)
        for i in range(n):
            around = running[min(n, i + WINDOW + 1)] - running[i + 1]
            around += running[i] - running[max(0, i - WINDOW)]
            scores[i] += around / (2 * WINDOW)


_PIECE_POSITIONS = {"p": 1, "n": 2, "w": 3}


@cache
def load_model() -> dict:
    """The fitted tagger: bias, feature weights and the two decoding thresholds."""
    return json.loads((DATA_DIR / "tagger.json").read_text(encoding="utf-8"))


@cache
def load_lexicon() -> dict[str, tuple[str, ...]]:
    """Word -> its classes in general sentiment lexicons (``sentiment.tsv``), for the features.

    The tagger sees few examples of each loaded word; lexicon classes let what it learned
    about "vicious" carry to "venomous".
    """
    lexicon: dict[str, tuple[str, ...]] = {}
    for line in (DATA_DIR / "sentiment.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, classes = line.split("\t")
            lexicon[word] = tuple(classes.split(","))
    return lexicon


# Reporting verbs say who said what; they are the neutral frame, never the judgment.
REPORTING_TEXT = (
    "said says say told tells reported reports according stated states announced added "
    "noted explained wrote writes asked replied confirmed"
)


REPORTING = frozenset(REPORTING_TEXT.split())


def charged(word: Word) -> bool:
    return not _CHARGED_CLASSES.isdisjoint(load_lexicon().get(word.lower, ()))


@cache
def load_scorer() -> LinearScorer:
    model = load_model()
    pieces = None
    if "piece_scores" in model:
        pieces = PieceScores(model["piece_scores"], model["piece_offset"])
    return LinearScorer(model["weights"], model["bias"], load_lexicon(), pieces)


def tagger_probabilities(words: list[Word], quoted: list[bool]) -> list[float]:
    return [_sigmoid(score) for score in load_scorer().scores(words, quoted)]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
