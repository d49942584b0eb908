"""Opinion phrases: the words that carry the writer's judgment, each with a reason a reader gets.

Two layers, because they answer different questions. A linear token tagger, fitted on news
annotated for loaded language and lexical bias and on more news labelled by a fine-tuned
transformer (see ``server/data/opinions/README.md``), decides *where* judgment sits, from
cheap features of each word, its neighbours and the whole text's style over the shared
tokenizer output (no tagger or parser: they cost four times this analyzer's budget), and from
what the words mean (static word-piece embeddings, folded into a few numbers per piece).
Hand-written cue lists then say *why*: a marked phrase gets its category and its one-line
reason from the interpretable cue it contains (a hedge, an intensifier, an exaggeration, a
label), and a few cue patterns that the tagger cannot learn from news about propaganda
(hedges, speculation, rhetorical questions) are marked by the cues themselves.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from server.pipeline.document import Document
from server.pipeline.quotes.regions import quoted_regions
from server.pipeline.types import Opinion

BOUNDARY = "<s>"
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
# Words that never carry a judgment at the edge of a phrase ("smear about" -> "smear", "under
# authoritarian" -> "authoritarian"); an
# article left alone when a name after it is blocked ("the Democrats") is no phrase either.
_EDGE_WORDS_TEXT = (
    "the a an and or but nor about of to in on at by for with from as than that which who whom "
    "whose is are was were be been being am 's ’s ' s under over into onto upon against through "
    "during within without after before between among whatever whichever"
)
_EDGE_WORDS = frozenset(_EDGE_WORDS_TEXT.split())
Lexicon = dict[str, tuple[str, ...]]
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "opinions"


@dataclass(slots=True)
class Word:
    """A non-space token of the text, with what the features read from it."""

    start: int
    end: int
    text: str
    lower: str
    line_start: bool  # first word after a line break: a sentence or paragraph starts here


def words_of(doc: Document) -> list[Word]:
    """The document's non-space tokens, marking where a new line begins (memoized in the doc)."""
    if "opinion_words" in doc.memo:
        return doc.memo["opinion_words"]
    text = doc.text
    words: list[Word] = []
    new_line = True
    # Reading four integer columns at once is several times faster than iterating Tokens.
    columns = doc.tokens.to_array(["IDX", "LENGTH", "IS_SPACE"]).tolist() if len(text) else []
    for start, length, is_space in columns:
        end = start + length
        if is_space:
            new_line = new_line or "\n" in text[start:end]
            continue
        token_text = text[start:end]
        words.append(Word(start, end, token_text, token_text.lower(), new_line))
        new_line = False
        following = text[end : end + 1]
        if following == "\n" or (following.isspace() and "\n" in text[end : end + 2]):
            new_line = True
    doc.memo["opinion_words"] = words
    return words


def _shape(text: str) -> str:
    first = text[0]
    if first.isalpha():
        if text.isupper() and len(text) > 1:
            return "XX"
        return "Xx" if first.isupper() else "x"
    if first.isdigit():
        return "d"
    return text if len(text) == 1 else "p"


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
        "R": sum(1 for w in words if w.lower in _REPORTING),
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


def neighbours(words: list[Word], lowers: list[str], i: int) -> tuple[str, str, str, str]:
    """The two words either side of word ``i`` within its line, or the boundary marker."""
    n = len(words)
    prev = BOUNDARY if i == 0 or words[i].line_start else lowers[i - 1]
    prev2 = BOUNDARY if prev == BOUNDARY or i < 2 or words[i - 1].line_start else lowers[i - 2]
    nxt = BOUNDARY if i + 1 >= n or words[i + 1].line_start else lowers[i + 1]
    nxt2 = BOUNDARY if nxt == BOUNDARY or i + 2 >= n or words[i + 2].line_start else lowers[i + 2]
    return prev, prev2, nxt, nxt2


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


# The words either side of a word whose mean embedding is its context (in the fitting too).
WINDOW = 3


def window_words(lowers: list[str], i: int) -> list[str]:
    """The ``WINDOW`` words before and after word ``i``; the boundary marker past the text."""
    return [
        lowers[j] if 0 <= j < len(lowers) else BOUNDARY
        for j in (*range(i - WINDOW, i), *range(i + 1, i + WINDOW + 1))
    ]


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
    shapes = [_shape(w.text) for w in words]
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
        shapes = [_shape(w.text) for w in words]
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


def quoted_words(words: list[Word], regions: list[tuple[int, int]]) -> list[bool]:
    """Whether each word lies inside a quoted region (one sweep over both, in text order)."""
    regions = sorted(regions)
    inside = []
    k = 0
    for word in words:
        while k < len(regions) and regions[k][1] < word.end:
            k += 1
        inside.append(k < len(regions) and regions[k][0] <= word.start)
    return inside


def inside_any(start: int, end: int, regions: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in regions)


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


@dataclass(frozen=True, slots=True)
class Cue:
    """One hand-written cue phrase: the words it matches and what it tells the reader."""

    alternatives: tuple[frozenset[str], ...]  # per position, the words that match there
    takes_next_word: bool
    next_word_charged: bool  # the taken word must be strongly valenced
    category: str
    effect: str


def _split_hyphens(parts: list[str]) -> list[str]:
    """The tokenizer splits "so-called" into "so", "-", "called"; cue positions follow it."""
    positions = []
    for part in parts:
        if "-" in part and "|" not in part:
            pieces = part.split("-")
            for k, piece in enumerate(pieces):
                if k:
                    positions.append("-")
                positions.append(piece)
        else:
            positions.append(part)
    return positions


@cache
def load_cues() -> dict[str, tuple[Cue, ...]]:
    """Cues from ``cues.tsv``, indexed by every word that can start them."""
    by_first: dict[str, list[Cue]] = {}
    for line in (DATA_DIR / "cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, category, effect = line.split("\t")
        parts = phrase.split()
        takes_next = parts[-1] in ("+", "++")
        charged = parts[-1] == "++"
        if takes_next:
            parts = parts[:-1]
        alternatives = tuple(frozenset(p.split("|")) for p in _split_hyphens(parts))
        cue = Cue(alternatives, takes_next, charged, category, effect)
        for first in cue.alternatives[0]:
            by_first.setdefault(first, []).append(cue)
    return {first: tuple(cues) for first, cues in by_first.items()}


@dataclass(slots=True)
class Candidate:
    """A phrase found by a cue or by the tagger, in word indexes (``last`` inclusive)."""

    first: int
    last: int
    category: str
    reason: str
    score: float
    from_cue: bool


# How sure a cue alone makes us; the tagger's probability raises it where both agree.
_CUE_SCORES = {
    "speculation": 0.6,
    "hedge": 0.5,
    "doubt": 0.6,
    "intensifier": 0.55,
    "exaggeration": 0.65,
    "labeling": 0.7,
    "loaded": 0.6,
    "rhetorical": 0.6,
}
_RHETORICAL_MAX_WORDS = 8
_SENTENCE_END = frozenset(".!?")
_DIGIT = re.compile(r"\d")
_OPENERS = frozenset("\"“‘'([")
# Reporting verbs say who said what; they are the neutral frame, never the judgment.
_REPORTING_TEXT = (
    "said says say told tells reported reports according stated states announced added "
    "noted explained wrote writes asked replied confirmed"
)
_REPORTING = frozenset(_REPORTING_TEXT.split())
_NEUTRAL_TERMS = frozenset(
    tuple(term.split())
    for term in (
        "death penalty",
        "death toll",
        "death row",
        "death sentence",
        "death sentences",
        "sexual assault",
        "sexual assaults",
        "assault weapon",
        "assault weapons",
        "assault rifle",
        "assault rifles",
        "hate crime",
        "hate crimes",
        "capital punishment",
    )
)
_TITLE_MIN_WORDS = 3
_TITLE_SHARE = 0.8
# Longer runs are cut to the window the tagger is surest of: readers get the judgment, not
# the clause around it.
_MAX_PHRASE_WORDS = 5
_SPLIT_GAP = 2


def _plain_word(word: Word) -> bool:
    return word.text.isalpha() and word.text.islower() and word.lower not in _EDGE_WORDS


def _charged(word: Word) -> bool:
    return not _CHARGED_CLASSES.isdisjoint(load_lexicon().get(word.lower, ()))


def find_cues(text: str, words: list[Word]) -> list[Candidate]:
    """Phrases matching the hand-written cue list."""
    cues = load_cues()
    found = []
    for i, word in enumerate(words):
        for cue in cues.get(word.lower, ()):
            last = i + len(cue.alternatives) - 1
            if last >= len(words) or any(
                words[i + k].lower not in options or (k and words[i + k].line_start)
                for k, options in enumerate(cue.alternatives)
            ):
                continue
            if cue.takes_next_word:
                last += 1
                if last >= len(words) or words[last].line_start or not _plain_word(words[last]):
                    continue
                if cue.next_word_charged and not _charged(words[last]):
                    continue
            phrase = text[words[i].start : words[last].end]
            reason = f"{cue.category}: '{phrase}' {cue.effect}"
            found.append(Candidate(i, last, cue.category, reason, _CUE_SCORES[cue.category], True))
    return found


def sentence_starts(words: list[Word]) -> list[bool]:
    """Whether each word begins a sentence (after a line break or closing punctuation)."""
    starts = []
    previous_ends = True
    for word in words:
        starts.append(previous_ends or word.line_start)
        if word.text in _OPENERS:
            continue  # an opening quotation mark does not move the start
        previous_ends = word.text[-1] in _SENTENCE_END
    return starts


def find_rhetorical_questions(text: str, words: list[Word], starts: list[bool]) -> list[Candidate]:
    """Short questions the writer asks, which steer the reader instead of asking."""
    found = []
    first = 0
    for i, word in enumerate(words):
        if starts[i]:
            first = i
        if word.text != "?":
            continue
        while first < i and not any(c.isalnum() for c in words[first].text):
            first += 1
        n_words = sum(1 for w in words[first:i] if any(c.isalnum() for c in w.text))
        if 1 < n_words <= _RHETORICAL_MAX_WORDS:
            phrase = text[words[first].start : word.end]
            reason = f"rhetorical: '{phrase}' is a question posed to steer the reader, not to ask"
            found.append(Candidate(first, i, "rhetorical", reason, _CUE_SCORES["rhetorical"], True))
    return found


def _blocked(word: Word, sentence_start: bool, title_case: bool) -> bool:
    """Words the tagger may never mark: numbers, names, neutral reporting verbs.

    A capitalised word inside a sentence is a name ("Great Britain", "Liberal Party"), and
    the evaluative word in a name is the name's, not the writer's; in a headline written in
    title case, capitals say nothing about names.
    """
    text = word.text
    if word.lower in _REPORTING or _DIGIT.search(text):
        return True
    return not (sentence_start or title_case) and text[:1].isupper() and not text.isupper()


def in_neutral_terms(words: list[Word]) -> list[bool]:
    """Whether each word belongs to a fixed term of law or reporting ("death penalty", "sexual
    assault", "hate crime"): the charged word names the thing, it does not judge it."""
    inside = [False] * len(words)
    for i in range(len(words) - 1):
        if (words[i].lower, words[i + 1].lower) in _NEUTRAL_TERMS:
            inside[i] = inside[i + 1] = True
    return inside


def title_case_lines(words: list[Word]) -> list[bool]:
    """Whether each word is on a line in title case ("Gillum Makes Promises He Can't Keep").

    Such a line (a headline) has at least three words of three letters or more, and at least
    four in five of those are capitalised; plain sentences with names stay well below that.
    """
    flags = [False] * len(words)
    line_first = 0
    for i in range(len(words) + 1):
        if i < len(words) and (i == 0 or not words[i].line_start):
            continue
        longer = [w.text for w in words[line_first:i] if w.text.isalpha() and len(w.text) >= 3]
        capitalised = sum(1 for text in longer if text[0].isupper())
        if len(longer) >= _TITLE_MIN_WORDS and capitalised >= _TITLE_SHARE * len(longer):
            flags[line_first:i] = [True] * (i - line_first)
        line_first = i
    return flags


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


def _explained(word: Word) -> bool:
    """Whether the sentiment lexicons say what a word does: its reason then names that."""
    return word.lower in load_lexicon()


def _loaded_reason(words: list[Word], first: int, last: int, probs: list[float]) -> str:
    """Why a tagger-found phrase is loaded, from what the lexicons say of its key word.

    A hyphenated word is judged whole: "self-interest" is no praise for holding "interest".
    A phrase no lexicon explains is named whole: "crack down", not "down".
    """
    key = max(range(first, last + 1), key=lambda k: (_explained(words[k]), probs[k]))
    if _explained(words[key]):
        first, last = _compound(words, key, key)
    shown = _phrase_text(words, first, last)
    classes = set(load_lexicon().get(shown.lower(), ()))
    if classes & {"vneg2", "vneg1"}:
        return f"loaded: '{shown}' is a negatively charged word where a neutral one would do"
    if classes & {"vpos2", "vpos1"}:
        return f"loaded: '{shown}' is a praising word where a neutral one would do"
    if classes & {"subj2", "subj1"}:
        return f"loaded: '{shown}' states the writer's view rather than a checkable fact"
    return f"loaded: '{shown}' is emotive wording, often marked as loaded in annotated news"


def _phrase_text(words: list[Word], first: int, last: int) -> str:
    """The words as the text spaces them (one space for any run of whitespace)."""
    parts = [words[first].text]
    for before, word in zip(words[first:last], words[first + 1 : last + 1], strict=True):
        parts.append(" " + word.text if word.start > before.end else word.text)
    return "".join(parts)


def find_tagged(
    words: list[Word], probs: list[float], quoted: list[bool] | None = None
) -> list[Candidate]:
    """Runs of words the tagger marks: seeded at ``threshold``, grown while above ``extend``.

    A word the sentiment lexicons call charged needs less evidence to start a run
    (``charged_threshold``): two independent sources agree on it. A run never crosses a
    quotation mark: the words inside are the speaker's, those outside the writer's.
    """
    voice = quoted or [False] * len(words)
    model = load_model()
    threshold: float = model["threshold"]
    extend: float = model.get("extend", threshold)
    found = []
    previous_last = -1  # a run may not reach back over the one before it
    i = 0
    charged_threshold: float = model.get("charged_threshold", threshold)
    while i < len(words):
        if probs[i] < threshold and (probs[i] < charged_threshold or not _charged(words[i])):
            i += 1
            continue
        first = last = i
        while (
            last + 1 < len(words)
            and probs[last + 1] >= extend
            and not words[last + 1].line_start
            and voice[last + 1] == voice[last]
        ):
            last += 1
        while (
            first - 1 > previous_last
            and probs[first - 1] >= extend
            and not words[first].line_start
            and voice[first - 1] == voice[first]
        ):
            first -= 1
        previous_last = last
        i = last + 1
        for phrase in _judgments(words, first, last):
            if phrase[1] - phrase[0] >= _MAX_PHRASE_WORDS:
                phrase = _surest_window(words, probs, *phrase)
            head, tail = _compound(words, *phrase)
            reason = _loaded_reason(words, head, tail, probs)
            found.append(Candidate(head, tail, "loaded", reason, 0.0, False))
    return found


def _judgments(words: list[Word], first: int, last: int) -> list[tuple[int, int]]:
    """A run's phrases, trimmed; split where _SPLIT_GAP linking words join two of them.

    "serious blow to the shaky" is two judgments, each with its own reason; one linking word
    is usually part of the phrase ("complete and utter lies").
    """
    first, last = _trim(words, first, last)
    phrases = []
    k = first
    while k <= last:
        gap = k
        while gap <= last and _carries_nothing(words[gap]):
            gap += 1
        if gap - k >= _SPLIT_GAP:
            phrases.append((first, k - 1))
            first = gap
        k = max(gap, k + 1)
    if first <= last:
        phrases.append((first, last))
    return phrases


def _compound(words: list[Word], first: int, last: int) -> tuple[int, int]:
    """Widen a phrase to whole hyphenated words: "thought-provoking", never "provoking"."""
    while first > 0 and _hyphen_joined(words[first - 1], words[first]):
        first -= 1
    while last + 1 < len(words) and _hyphen_joined(words[last], words[last + 1]):
        last += 1
    return first, last


def _hyphen_joined(left: Word, right: Word) -> bool:
    return left.end == right.start and "-" in (left.text, right.text)


def _surest_window(words: list[Word], probs: list[float], first: int, last: int) -> tuple[int, int]:
    """The ``_MAX_PHRASE_WORDS`` words of a long run with the highest summed probability."""
    best = max(
        range(first, last - _MAX_PHRASE_WORDS + 2),
        key=lambda k: sum(probs[k : k + _MAX_PHRASE_WORDS]),
    )
    return _trim(words, best, best + _MAX_PHRASE_WORDS - 1)


def _carries_nothing(word: Word) -> bool:
    return not any(c.isalnum() for c in word.text) or word.lower in _EDGE_WORDS


def _trim(words: list[Word], first: int, last: int) -> tuple[int, int]:
    """Drop punctuation and linking words from the ends of a phrase: they carry no judgment."""
    while first <= last and _carries_nothing(words[first]):
        first += 1
    while last >= first and _carries_nothing(words[last]):
        last -= 1
    return first, last


def merge_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """Join overlapping phrases into one; a cue's category and reason win over the tagger's.

    Cues name a specific device (a hedge, a label), which tells the reader more than "loaded".
    """
    merged: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.first, -c.last)):
        if merged and candidate.first <= merged[-1].last:
            current = merged[-1]
            current.last = max(current.last, candidate.last)
            if candidate.from_cue and (not current.from_cue or candidate.score > current.score):
                current.category, current.reason = candidate.category, candidate.reason
                current.from_cue = True
            current.score = max(current.score, candidate.score)
        else:
            merged.append(candidate)
    return merged


class OpinionAnalyzer:
    name = "opinions"
    version = "10"

    def analyze(self, doc: Document) -> list[Opinion]:
        regions = quoted_regions(doc)
        words = words_of(doc)
        if not words:
            return []
        quoted = quoted_words(words, regions)
        starts = sentence_starts(words)
        title_case = title_case_lines(words)
        neutral = in_neutral_terms(words)
        doc.check_deadline()  # between stages: each is linear in the text, none is long
        probs = tagger_probabilities(words, quoted)
        for k, word in enumerate(words):
            if neutral[k] or _blocked(word, starts[k], title_case[k]):
                probs[k] = 0.0
        doc.check_deadline()
        candidates = find_tagged(words, probs, quoted)
        candidates += find_cues(doc.text, words)
        candidates += find_rhetorical_questions(doc.text, words, starts)
        found = []
        for phrase in merge_candidates(candidates):
            start, end = words[phrase.first].start, words[phrase.last].end
            middle = (start + end) // 2
            voice = "quoted" if inside_any(middle, middle + 1, regions) else "author"
            if voice == "quoted" and phrase.category == "rhetorical":
                continue  # a question in quoted speech is dialogue, not the writer's device
            score = max(phrase.score, *probs[phrase.first : phrase.last + 1])
            found.append(
                Opinion(
                    start,
                    end,
                    doc.text[start:end],
                    phrase.category,
                    voice,
                    round(score, 3),
                    phrase.reason,
                )
            )
        return found
