"""Fit the attribution-cue lexicon of the quote analyzer on PolNeAR ``train.jsonl``.

For every word form we count how often it occurs inside an annotated cue span and how often it
occurs at all (outside quotation marks). Their ratio says how reliably the word signals an
attribution, which is what lets the analyzer find candidate sentences with a dictionary lookup
instead of running the parser everywhere.

Usage: python scripts/fit_quote_cues.py PATH/TO/train.jsonl [server/data/quotes/cues.json]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
QUOTED = re.compile(r"[\"“”][^\"“”\n]*[\"“”]")
MIN_CUE_COUNT = 3
MIN_OBJECT_EXAMPLES = 8
OBJECT_MAX_WORDS = 4

# Cue types by lemma: PolNeAR does not annotate them, so they are assigned by hand here.
TYPES = {
    "writing": [
        "write",
        "tweet",
        "post",
        "publish",
        "email",
        "blog",
        "pen",
        "type",
        "text",
        "retweet",
    ],
    "belief": [
        "believe",
        "think",
        "feel",
        "fear",
        "doubt",
        "know",
        "suspect",
        "worry",
        "view",
        "consider",
        "see",
        "expect",
        "assume",
        "reckon",
        "suppose",
        "regard",
        "guess",
        "trust",
        "conclude",
        "convince",
        "realize",
        "understand",
    ],
    "intention": [
        "want",
        "plan",
        "seek",
        "intend",
        "hope",
        "aim",
        "wish",
        "vow",
        "pledge",
        "promise",
        "try",
        "desire",
        "push",
    ],
    "evidence": [
        "show",
        "find",
        "suggest",
        "indicate",
        "reveal",
        "reflect",
        "prove",
        "demonstrate",
        "estimate",
        "confirm",
        "appear",
        "seem",
        "data",
        "poll",
        "survey",
        "record",
        "document",
    ],
}
DEFAULT_TYPE = "speech"
# Verbs of saying that any English reader knows, too rare in 756 articles to be counted: a word
# seen fewer than MIN_CUE_COUNT times as a cue gets its precision smoothed toward PRIOR, so
# "quipped" and "retorted" are cues while a form the data saw often outside cues stays out.
_KNOWN_SPEECH_VERBS_TEXT = (
    "quipped quips retorted retorts scoffed scoffs exclaimed exclaims snapped countered "
    "counters marveled marvelled marvels shouted shouts yelled yells whispered whispers "
    "muttered mutters grumbled grumbles sneered chuckled laughed sighed pleaded pleads "
    "implored urged proclaimed proclaims asserted asserts contended contends conceded concedes "
    "remarked remarks observed commented comments replied replies responded responds answered "
    "interjected reiterated reiterates recounted recounts mused muses gushed raved ranted "
    "fumed bristled thundered bellowed screamed chanted cautioned cautions lamented laments "
    "explained explains insisted insists stressed stresses emphasized emphasizes declared "
    "declares boasted boasts bragged brags joked jokes teased griped complained complains"
)
KNOWN_SPEECH_VERBS = _KNOWN_SPEECH_VERBS_TEXT.split()
PRIOR = 0.8
PRIOR_WEIGHT = 3
STOP = set(
    [
        "a",
        "an",
        "the",
        "in",
        "to",
        "of",
        "for",
        "on",
        "at",
        "by",
        "with",
        "about",
        "as",
        "and",
        "or",
        "but",
        "that",
        "this",
        "it",
    ]
)


def lemma_candidates(word: str) -> set[str]:
    """Crude inflection stripping, enough to map said/says/saying to one verb family."""
    w = word.lower()
    out = {w}
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("d", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            out.add(w[: -len(suffix)] + repl)
    if len(w) > 4 and w[-1] == w[-2]:
        out.add(w[:-1])
    irregular = {
        "said": "say",
        "thought": "think",
        "told": "tell",
        "wrote": "write",
        "written": "write",
        "saw": "see",
        "seen": "see",
        "knew": "know",
        "known": "know",
        "found": "find",
        "felt": "feel",
        "sought": "seek",
        "shown": "show",
        "spoke": "speak",
        "spoken": "speak",
        "understood": "understand",
    }
    if w in irregular:
        out.add(irregular[w])
    # undo consonant doubling (planned -> plan)
    for cand in list(out):
        if len(cand) > 3 and cand[-1] == cand[-2]:
            out.add(cand[:-1])
    return out


def cue_type(word: str) -> str:
    forms = lemma_candidates(word)
    for kind, lemmas in TYPES.items():
        if forms & set(lemmas):
            return kind
    return DEFAULT_TYPE


def _object_cues(path: str) -> set[str]:
    """Cue verbs whose content is their object ('endorsed Ryan'), not a clause or the sentence.

    A cue word qualifies when, with the content after it, the median content is at most
    OBJECT_MAX_WORDS words and rarely opens with 'that'."""
    lengths: dict[str, list[int]] = {}
    that: Counter[str] = Counter()
    with open(path, encoding="utf8") as handle:
        for line in handle:
            doc = json.loads(line)
            for quote in doc["quotes"]:
                if quote.get("cue_start") is None or quote["cue_end"] > quote["start"]:
                    continue
                words = WORD.findall((quote["cue"] or "").lower())
                if not words:
                    continue
                content = doc["text"][quote["start"] : quote["end"]]
                lengths.setdefault(words[0], []).append(len(re.findall(r"\w+", content)))
                that[words[0]] += bool(re.match(r"\s*that\b", content))
    return {
        word
        for word, found in lengths.items()
        if len(found) >= MIN_OBJECT_EXAMPLES
        and sorted(found)[len(found) // 2] <= OBJECT_MAX_WORDS
        and that[word] < 0.2 * len(found)
    }


def fit(path: str) -> dict[str, dict[str, object]]:
    in_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    with open(path, encoding="utf8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = doc["text"]
            masked = QUOTED.sub(lambda m: " " * len(m.group()), text)
            cue_chars = bytearray(len(text))
            for quote in doc["quotes"]:
                if quote.get("cue_start") is not None:
                    cue_chars[quote["cue_start"] : quote["cue_end"]] = b"\1" * (
                        quote["cue_end"] - quote["cue_start"]
                    )
            for match in WORD.finditer(masked):
                word = match.group().lower().replace("’", "'")
                total[word] += 1
                if cue_chars[match.start()]:
                    in_cue[word] += 1
    lexicon = {}
    object_cues = _object_cues(path)
    for word, hits in in_cue.items():
        if hits < MIN_CUE_COUNT or word in STOP:
            continue
        lexicon[word] = {
            "cue": hits,
            "total": total[word],
            "precision": round(hits / total[word], 3),
            "type": cue_type(word),
            "object": word in object_cues,
        }
    for word in KNOWN_SPEECH_VERBS:
        if word in lexicon:
            continue
        hits = in_cue[word]
        lexicon[word] = {
            "cue": hits,
            "total": total[word],
            "precision": round((hits + PRIOR * PRIOR_WEIGHT) / (total[word] + PRIOR_WEIGHT), 3),
            "type": DEFAULT_TYPE,
            "object": False,
        }
    return dict(sorted(lexicon.items(), key=lambda kv: -kv[1]["cue"]))


def main() -> None:
    train = sys.argv[1]
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "server/data/quotes/cues.json")
    lexicon = fit(train)
    out.write_text(json.dumps(lexicon, indent=0, ensure_ascii=False) + "\n", encoding="utf8")
    print(f"{len(lexicon)} cue words written to {out}")


if __name__ == "__main__":
    main()
