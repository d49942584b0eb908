"""The opinion analyzer: one device per test on short hand-written sentences, the neutral
sentences it must leave alone, the seed article's expectations, and span invariants."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.evaluation import opinions as evaluation
from server.pipeline import annotate, opinions
from server.pipeline.document import Document
from server.pipeline.opinions import OpinionAnalyzer
from server.pipeline.opinions.cues import OPINION_CATEGORIES, load_cues
from server.pipeline.opinions.reasons import explain_all
from server.pipeline.opinions.tagger import LinearScorer
from server.pipeline.quotes import quoted_regions
from server.pipeline.types import Opinion
from tests.conftest import SEED_DIR, shared_data

SEED_TEXT = (SEED_DIR / "rostec-venezuela.txt").read_text(encoding="utf-8")
SEED_ALL = json.loads((SEED_DIR / "rostec-venezuela.expected.json").read_text(encoding="utf-8"))
SEED_EXPECTED = SEED_ALL["opinions"]


def analyze(text: str) -> list[Opinion]:
    return OpinionAnalyzer().analyze(Document(text))


def covering(found: list[Opinion], text: str, phrase: str) -> list[Opinion]:
    """The opinions that overlap the first occurrence of ``phrase`` in ``text``."""
    start = text.index(phrase)
    end = start + len(phrase)
    return [o for o in found if o.start < end and start < o.end]


def the_one(text: str, phrase: str) -> Opinion:
    found = covering(analyze(text), text, phrase)
    assert len(found) == 1, [(o.text, o.category) for o in analyze(text)]
    return found[0]


@pytest.mark.parametrize(
    ("text", "phrase", "category", "cue"),
    [
        ("The company could face heavy fines next year.", "could face", "speculation", "could"),
        ("Prices will likely rise again in the spring.", "will likely", "speculation", "likely"),
        ("The main problem appears to be the budget.", "appears to be", "hedge", "appears"),
        ("The club was simply unable to pay its players.", "simply unable", "intensifier", ""),
        ("The closure dealt a crippling blow to the town.", "crippling blow", "exaggeration", ""),
        ("The war left the city in total ruins.", "total ruins", "exaggeration", ""),
        ("The so-called experts met in private.", "so-called", "doubt", "so-called"),
        ("The mayor and his cronies met on Friday.", "cronies", "labeling", "cronies"),
        ("The plan is a power grab by the board.", "power grab", "labeling", "power grab"),
        ("The embattled mayor met donors on Friday.", "embattled", "loaded", "besieged"),
        ("Critics slammed the plan on Friday.", "slammed", "loaded", "attack"),
        ("The city was left in shambles by the strike.", "in shambles", "figurative", ""),
        (
            "Cutting their losses?\nThe firm left the market.",
            "Cutting their losses?",
            "rhetorical",
            "",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and " " not in value else None,
)
def test_each_device_is_marked_with_its_category_and_a_reason(text, phrase, category, cue):
    opinion = the_one(text, phrase)
    assert opinion.category == category
    assert opinion.voice == "author"
    assert opinion.reason.startswith(category + ": ")
    assert cue in opinion.reason
    assert "\n" not in opinion.reason
    assert 0.0 < opinion.score <= 1.0


def test_the_tagger_marks_loaded_adjectives_with_a_lexicon_reason():
    text = "The regime is collapsing under a vicious and brutal crackdown."
    opinion = the_one(text, "vicious")
    assert opinion.category == "loaded"
    assert "vicious" in opinion.text
    assert len(opinion.text.split()) <= 5
    assert "'vicious'" in opinion.reason or "'brutal'" in opinion.reason
    assert "negatively charged" in opinion.reason


def test_rhetorical_question_span_keeps_its_question_mark():
    text = "Cutting their losses?\nThe firm left the market."
    opinion = the_one(text, "Cutting")
    assert opinion.text == "Cutting their losses?"


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on Tuesday that the office employs 120 people.",
        "A spokesperson told reporters the report was published in March.",
        "Great Britain signed the agreement with the Liberal Party in London.",
        "Sales rose 40 percent to 1.2 million units, according to the company.",
        "The committee counted a total of 40 votes.",
        "The couple had deeply held beliefs about the matter.",
        "The company has cut its staff to a few dozen, from about 1,000.",
        "The state abolished the death penalty, and the death toll from violence fell.",
        "He was charged with sexual assault and a hate crime, and owned an assault rifle.",
    ],
)
def test_neutral_reporting_numbers_and_names_are_not_marked(text):
    assert analyze(text) == []


def test_evaluative_words_inside_names_are_not_marked():
    text = "The Great Lakes Commission met the Liberal Party and the Progressive Conservatives."
    assert analyze(text) == []


def test_phrases_inside_quotation_marks_are_the_speakers():
    text = 'The mayor said the closure was "a crippling blow to the town" and left.'
    opinion = the_one(text, "crippling blow")
    assert opinion.voice == "quoted"
    assert opinion.category == "exaggeration"


def test_questions_in_quoted_speech_are_dialogue_not_rhetoric():
    found = analyze('"How are you?" she asked.\nHe left.')
    assert [o for o in found if o.category == "rhetorical"] == []


def test_intensifier_needs_a_charged_word_after_it():
    assert analyze("They completely agree with the plan.") == []


def test_spans_are_short_and_never_whole_sentences():
    text = (
        "The corrupt, incompetent, disgraceful and utterly shameful regime lied again.\n"
        "Critics call the plan a total disaster."
    )
    for opinion in analyze(text):
        assert len(opinion.text.split()) <= 8
        assert opinion.text != text.splitlines()[0]


def test_long_runs_are_cut_to_the_five_words_the_tagger_is_surest_of():
    words = opinions.words_of(Document("one two three four five six seven eight"))
    probs = [0.9, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5]
    (phrase,) = opinions.find_tagged(words, probs)
    assert (phrase.first, phrase.last) == (2, 6)


@pytest.mark.parametrize(
    ("text", "probs", "phrase"),
    [
        ("repressed under authoritarian regimes", [0.1, 0.5, 0.9, 0.1], "authoritarian"),
        ("far surpassing whatever savings", [0.1, 0.9, 0.5, 0.1], "surpassing"),
        ("a smear about the senator", [0.1, 0.9, 0.5, 0.1, 0.1], "smear"),
    ],
)
def test_linking_words_at_a_phrase_edge_are_dropped(text, probs, phrase):
    words = opinions.words_of(Document(text))
    (found,) = opinions.find_tagged(words, probs)
    assert text[words[found.first].start : words[found.last].end] == phrase


@pytest.mark.parametrize(
    ("text", "probs", "phrases"),
    [
        (
            "a serious blow to the shaky regime",
            [0.1, 0.9, 0.9, 0.3, 0.3, 0.9, 0.1],
            ["serious blow", "shaky"],
        ),
        ("complete and utter lies", [0.9, 0.3, 0.9, 0.9], ["complete and utter lies"]),
        ("weak , and feeble", [0.9, 0.3, 0.3, 0.9], ["weak", "feeble"]),
    ],
)
def test_two_linking_words_split_a_run_into_two_judgments(text, probs, phrases):
    words = opinions.words_of(Document(text))
    found = opinions.find_tagged(words, probs)
    assert [text[words[c.first].start : words[c.last].end] for c in found] == phrases


def test_a_run_never_crosses_a_quotation_mark():
    text = "a lethal dose of highly toxic “slimming tablets” bought online"
    doc = Document(text)
    words = opinions.words_of(doc)
    quoted = opinions.quoted_words(words, quoted_regions(doc))
    probs = [0.9 if w.text.strip("“”") in {"highly", "toxic", "slimming"} else 0.0 for w in words]
    found = opinions.find_tagged(words, probs, quoted)
    spans = [text[words[c.first].start : words[c.last].end] for c in found]
    assert spans == ["highly toxic", "slimming"]  # the writer's words, then the quoted one


def test_seed_headline_blow_and_shaky_are_two_phrases_with_their_own_reasons():
    found = analyze("In a serious blow to the shaky Maduro Socialist regime, Rostec is exiting.")
    by_text = {o.text: o for o in found}
    assert {"serious blow", "shaky"} <= set(by_text), [o.text for o in found]
    assert "shaky" in by_text["shaky"].reason


def test_title_case_lines_are_headlines_but_sentences_with_names_are_not():
    doc = Document(
        "Gillum Makes Promises He Can't Keep\n"
        "The Great Lakes Commission met the Liberal Party and the Progressive Conservatives.\n"
    )
    words = opinions.words_of(doc)
    flags = opinions.title_case_lines(words)
    first_line = [f for w, f in zip(words, flags, strict=True) if w.end <= doc.text.index("\n")]
    second_line = [f for w, f in zip(words, flags, strict=True) if w.start > doc.text.index("\n")]
    assert all(first_line)
    assert not any(second_line)


def test_text_style_counts_reporting_quotes_exclamations_and_first_person():
    report = Document("Officials said the plan works, the mayor said.\nAides said so.")
    words = opinions.words_of(report)
    assert opinions.style_classes(words, [False] * len(words)) == ["R=3", "Q=0", "E=0", "F=0"]
    column = Document("We will never forget! Never! Our town deserves better!")
    words = opinions.words_of(column)
    assert opinions.style_classes(words, [False] * len(words)) == ["R=0", "Q=0", "E=3", "F=3"]


def seed_opinions() -> list[Opinion]:
    return OpinionAnalyzer().analyze(Document(SEED_TEXT, url=SEED_ALL["url"]))


def test_seed_article_hits_at_least_six_candidates_in_the_authors_voice():
    found = [o for o in seed_opinions() if o.voice == "author"]
    hits = [
        c["text"]
        for c in SEED_EXPECTED["candidates"]
        if any(o.start < c["end"] and c["start"] < o.end for o in found)
    ]
    assert len(hits) >= SEED_EXPECTED["must_hit_at_least"], hits


def test_seed_article_quoted_language_is_never_the_authors():
    found = seed_opinions()
    for item in SEED_EXPECTED["should_not_flag_as_author_opinion"]:
        assert SEED_TEXT[item["start"] : item["end"]] == item["text"]
        overlapping = [o for o in found if o.start < item["end"] and item["start"] < o.end]
        assert all(o.voice == "quoted" for o in overlapping), overlapping


@pytest.mark.parametrize(
    "sentence",
    [
        "Here’s what was reported by the Wall Street Journal:",
        "has cut its staff in Venezuela to just a few dozen, from about 1,000",
        "US President Donald Trump has Tweeted that Russia informed the US",
        "Russia has informed us that they have removed most of their people from Venezuela.",
    ],
)
def test_seed_article_neutral_factual_sentences_have_no_opinion(sentence):
    assert covering(seed_opinions(), SEED_TEXT, sentence) == []


def test_fast_scorer_sums_the_same_weights_as_the_fitting_features():
    doc = Document(SEED_TEXT)
    words = opinions.words_of(doc)
    quoted = opinions.quoted_words(words, [(200, 600)])
    model = opinions.load_model()
    lowers = [w.lower for w in words]
    # The shipped tagger may have no piece scores: a small table exercises that path too.
    vocabulary = {"[UNK]"} | {p for w in lowers for p in re.findall(r"\w+|\W", w)}
    table = {p: [(len(p) * k % 7) / 10 for k in range(1, 5)] for p in vocabulary}
    pieces = opinions.PieceScores(table, [0.1, -0.2, 0.05, 0.0])
    scorer = LinearScorer(model["weights"], model["bias"], opinions.load_lexicon(), pieces)
    contexts = [opinions.neighbours(words, lowers, i) for i in range(len(words))]
    slow = [
        model["bias"]
        + sum(model["weights"].get(f, 0.0) for f in features)
        + pieces.of(word, 0)
        + pieces.of(prev, 1)
        + pieces.of(nxt, 2)
        + sum(pieces.of(w, 3) for w in opinions.window_words(lowers, i)) / (2 * opinions.WINDOW)
        for i, (features, word, (prev, _, nxt, _)) in enumerate(
            zip(
                opinions.token_features(words, quoted, opinions.load_lexicon()),
                lowers,
                contexts,
                strict=True,
            )
        )
    ]
    fast = scorer.scores(words, quoted)
    assert fast == pytest.approx(slow, abs=1e-9)


def test_words_mark_line_starts_and_skip_spaces():
    doc = Document("Hello  world.\nNew line\n\n  Third para")
    words = opinions.words_of(doc)
    assert [(w.text, w.line_start) for w in words] == [
        ("Hello", True),
        ("world", False),
        (".", False),
        ("New", True),
        ("line", False),
        ("Third", True),
        ("para", False),
    ]
    assert all(doc.text[w.start : w.end] == w.text for w in words)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_spans_in_bounds_whose_text_is_the_slice(text):
    for opinion in analyze(text):
        assert 0 <= opinion.start < opinion.end <= len(text)
        assert text[opinion.start : opinion.end] == opinion.text
        assert opinion.voice in ("author", "quoted")
        assert opinion.category in (
            "loaded",
            "labeling",
            "exaggeration",
            "intensifier",
            "hedge",
            "speculation",
            "rhetorical",
            "doubt",
        )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "could",
                "face",
                "simply",
                "unable",
                "total",
                "ruins",
                "?",
                "\n",
                '"',
                "the",
                "so-called",
            ]
        ),
        max_size=30,
    )
)
def test_cue_words_in_any_order_give_valid_spans(parts):
    text = " ".join(parts)
    for opinion in analyze(text):
        assert text[opinion.start : opinion.end] == opinion.text
        assert opinion.text == opinion.text.strip()


def test_evaluation_runs_the_scorer_beside_the_data(tmp_path, capsys):
    scorer = shared_data("opinion/score.py")
    shutil.copy(scorer, tmp_path / "score.py")
    text = "The war left the city in total ruins.\nOfficials counted 40 homes."
    gold = {
        "id": "doc-1",
        "source": "HANDMADE",
        "text": text,
        "spans": [{"start": 25, "end": 36, "label": "Loaded_Language", "text": "total ruins"}],
    }
    data = tmp_path / "mini.jsonl"
    data.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    assert evaluation.run(str(data)) == 0
    printed = capsys.readouterr().out
    all_row = next(line for line in printed.splitlines() if line.startswith("ALL"))
    assert "1.000/1.000/1.000" in all_row  # SI: the one phrase, exactly


def test_evaluation_reports_a_missing_file(tmp_path):
    assert evaluation.run(str(tmp_path / "absent.jsonl")) == 2


def test_evaluation_reports_a_failing_scorer(tmp_path, capsys):
    (tmp_path / "score.py").write_text("import sys\nsys.exit('broken scorer')\n", encoding="utf-8")
    data = tmp_path / "mini.jsonl"
    data.write_text(json.dumps({"id": "x", "source": "S", "text": "Hi.", "spans": []}) + "\n")
    assert evaluation.run(str(data)) == 1
    assert "broken scorer" in capsys.readouterr().err


def explained(text: str, probs_by_word: dict[str, float]) -> list[tuple[str, str]]:
    """What the tagger stage shows for the given word probabilities: (phrase, reason)."""
    doc = Document(text)
    words = opinions.words_of(doc)
    probs = [probs_by_word.get(w.text, 0.0) for w in words]
    shown = explain_all(doc, words, opinions.find_tagged(words, probs), probs)
    return [(text[words[c.first].start : words[c.last].end], c.reason) for c in shown]


def test_a_hyphenated_word_is_marked_and_explained_whole():
    ((phrase, reason),) = explained(
        "The museum put on a thought-provoking show about the war.", {"provoking": 0.9}
    )
    assert phrase == "thought-provoking"
    assert "'thought-provoking'" in reason
    assert "negatively charged" not in reason  # what "provoking" alone would say


@pytest.mark.parametrize(
    "text, marked",
    [
        ("A giant squid washed up beside the spider crab.", {"squid": 0.9, "spider": 0.9}),
        ("The pandemic closed the salt mine.", {"pandemic": 0.9, "salt": 0.9}),
        ("They vowed to crack down on the protests.", {"crack": 0.6, "down": 0.6}),
        # An adverb no lexicon explains is no evidence: "typically" judges nothing.
        (
            "Shops typically open at nine and generally close late.",
            {"typically": 0.9, "generally": 0.9},
        ),
    ],
)
def test_a_tagger_find_without_evidence_is_never_shown(text, marked):
    """Nouns, names and words no lexicon explains get no invented reason: they are not shown."""
    assert explained(text, marked) == []


def test_a_tagger_find_is_explained_by_its_part_of_speech_and_lexicon_entry():
    ((phrase, reason),) = explained("The shaky regime held a vote.", {"shaky": 0.9})
    assert phrase == "shaky"
    assert (
        reason == "loaded: 'shaky' is a negatively charged adjective where a neutral one would do"
    )


def test_an_adverb_is_shown_with_the_lexicon_entry_that_explains_it():
    ((phrase, reason),) = explained("The guards brutally beat the prisoners.", {"brutally": 0.9})
    assert phrase == "brutally"
    assert (
        reason == "loaded: 'brutally' is a negatively charged adverb where a neutral one would do"
    )


def test_words_split_into_pieces_as_minilm_splits_them():
    vocabulary = {"em", "##bat", "##tled", "thought", "-", "pro", "##voking", "cafe", "[UNK]"}
    assert opinions.word_pieces("Embattled", vocabulary) == ["em", "##bat", "##tled"]
    assert opinions.word_pieces("thought-provoking", vocabulary) == [
        "thought",
        "-",
        "pro",
        "##voking",
    ]
    assert opinions.word_pieces("café", vocabulary) == ["cafe"]
    assert opinions.word_pieces("zzz", vocabulary) == ["[UNK]"]
    assert opinions.word_pieces("a" * 5000, vocabulary) == ["[UNK]"]  # never a long search


def test_piece_scores_average_a_words_pieces_and_leave_the_boundary_at_zero():
    pieces = opinions.PieceScores({"em": [1.0, 0, 0], "##bat": [3.0, 0, 0]}, [0.5, 0.0, 0.0])
    assert pieces.of("embat", 0) == 0.5 + 2.0
    assert pieces.of(opinions.BOUNDARY, 0) == 0.0


def test_reported_speech_and_attributed_views_are_not_the_writers_voice():
    text = (
        "Analysts said the merger was a total disaster for the town.\n\n"
        "The merger was a total disaster for the town."
    )
    found = [(o.start, o.voice) for o in analyze_in_pipeline(text) if o.text == "total disaster"]
    assert [voice for _, voice in sorted(found)] == ["reported", "author"]


def test_words_in_quotation_marks_are_never_the_writers_own():
    """A partial quote, a term or a scare quote: which it is cannot be told from the marks
    alone (as doubt, they were right 27% of the time on the labelled train articles), so
    none is shown as the writer's judgment."""
    for text in (
        'The minister said it was "utterly disastrous" to lose the vote.',
        'Donors who fund "super PACs" were a total disaster, the aide said.',
    ):
        quoted = [o for o in analyze_in_pipeline(text) if "disastrous" in o.text]
        assert all(o.voice != "author" for o in quoted), quoted


@pytest.mark.parametrize(
    "text",
    [
        "The oldest patents are held in the so-called Excalibur portfolio.",
        "Remain Co. will become a so-called investment company.",
    ],
)
def test_so_called_that_only_introduces_a_term_is_no_doubt(text):
    assert [o for o in analyze(text) if "so-called" in o.text] == []


def analyze_in_pipeline(text: str) -> list[Opinion]:
    """The opinions as the service finds them: after the quote analyzer, whose quotes decide
    whose voice a phrase is in."""
    body = annotate(text, features=("quotes", "opinions"))
    return [Opinion(**o) for o in body["opinions"]]


def test_every_reason_on_the_reader_data_names_words_of_its_own_span():
    """No catch-all reasons: each names the words it explains, and they are in the span."""
    path = shared_data("reader/dev.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for opinion in analyze_in_pipeline(record["text"]):
            named = re.findall(r"'(.+?)'(?= is| in| [a-z])", opinion.reason)
            assert named, opinion.reason
            assert any(name.lower() in opinion.text.lower() for name in named), (
                opinion.text,
                opinion.reason,
            )
            assert "often marked" not in opinion.reason


def test_every_cue_category_is_one_the_api_publishes():
    categories = {cue.category for cues in load_cues().values() for cue in cues}
    assert categories <= set(OPINION_CATEGORIES)
    assert {"figurative", "minimisation"} <= categories


def test_an_interview_transcript_is_the_speakers_voice():
    text = (
        "Q: How did things go for you?\n\n"
        "A: I felt utterly helpless and it was a total disaster.\n\n"
        "The interview was a total disaster for the network."
    )
    found = [(o.text, o.voice) for o in analyze_in_pipeline(text)]
    assert ("total disaster", "author") in found
    assert all(voice == "quoted" for phrase, voice in found[:-1]), found
    assert not any(o.category == "rhetorical" and o.voice == "author" for o in analyze(text))
