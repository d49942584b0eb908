"""The quote analyzer on short hand-written texts, one construction per test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.pipeline.document import Document
from server.pipeline.outlets import CitedMention
from server.pipeline.quotes import QuoteAnalyzer, quoted_regions
from server.pipeline.types import Quote, Speaker


def analyze(text: str, mentions: list[CitedMention] | None = None) -> list[Quote]:
    doc = Document(text)
    if mentions is not None:
        doc.memo["outlet_mentions"] = mentions
    return QuoteAnalyzer().analyze(doc)


def only(quotes: list[Quote], containing: str) -> Quote:
    found = [q for q in quotes if containing in q.text]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def speaker_of(text: str, containing: str) -> Speaker:
    """The speaker of the one quote of ``text`` that contains ``containing``."""
    speaker = only(analyze(text), containing).speaker
    assert speaker is not None
    return speaker


def test_direct_quote_with_trailing_attribution():
    quotes = analyze('Senator Jane Doe spoke on Monday.\n\n"We will fight on," Doe said.')
    quote = only(quotes, "We will fight on")
    assert quote.kind == "direct"
    assert quote.text == "We will fight on"
    assert quote.speaker is not None
    assert (quote.speaker.mention, quote.speaker.name, quote.speaker.type) == (
        "Doe",
        "Jane Doe",
        "person",
    )
    assert quote.cue is not None and quote.cue.text == "said" and quote.cue.type == "speech"


def test_inverted_attribution_names_an_anonymous_source():
    quote = only(
        analyze('"The talks have collapsed," said a person close to the defense ministry.'),
        "collapsed",
    )
    assert quote.speaker is not None
    assert quote.speaker.mention == "a person close to the defense ministry"
    assert quote.speaker.type == "anonymous"


def test_quote_split_by_its_attribution_is_one_statement_with_fragments():
    text = 'Maria Lopez runs the shelter.\n\n"We are full," she said, "and the winter is coming."'
    quotes = analyze(text)
    assert len(quotes) == 1
    quote = quotes[0]
    assert [text[s:e] for s, e in quote.fragments] == ["We are full", "and the winter is coming."]
    assert quote.text == text[quote.start : quote.end]
    assert quote.speaker is not None and quote.speaker.mention == "she"
    assert quote.speaker.name == "Maria Lopez"


def test_multi_paragraph_quote_opens_each_paragraph_and_closes_once():
    text = (
        'Mayor Tom Reyes said: "The budget is balanced.\n\n'
        '"We did it without new taxes."\n\nThe council meets again in May.'
    )
    regions = quoted_regions(Document(text))
    assert [text[s:e] for s, e in regions] == [
        "The budget is balanced.",
        "We did it without new taxes.",
    ]
    quote = only(analyze(text), "balanced")
    assert [text[s:e] for s, e in quote.fragments] == [
        "The budget is balanced.",
        "We did it without new taxes.",
    ]
    assert quote.speaker is not None and quote.speaker.name == "Tom Reyes"


def test_mixed_quote_keeps_the_reported_clause():
    text = 'Obama said the attack was "a sobering reminder" of the threat.'
    quote = only(analyze(text), "sobering")
    assert quote.kind == "mixed"
    assert quote.text == 'the attack was "a sobering reminder" of the threat'
    assert quote.speaker is not None and quote.speaker.mention == "Obama"


def test_indirect_speech_after_the_cue():
    quote = only(analyze("Smith told reporters that the plan had failed."), "plan")
    assert quote.kind == "indirect"
    assert quote.text == "the plan had failed"
    assert quote.speaker is not None and quote.speaker.mention == "Smith"
    assert quote.cue is not None and quote.cue.text == "told"


def test_indirect_speech_before_the_cue_by_unnamed_officials():
    quote = only(analyze("The convoy was turned back at the border, officials said."), "convoy")
    assert quote.text == "The convoy was turned back at the border"
    assert quote.speaker is not None
    assert (quote.speaker.mention, quote.speaker.type) == ("officials", "anonymous")


def test_according_to_opens_the_sentence():
    quote = only(analyze("According to the Pentagon, the drill will last a week."), "drill")
    assert quote.text == "the drill will last a week"
    assert quote.speaker is not None and quote.speaker.mention == "the Pentagon"
    assert quote.cue is not None and quote.cue.text == "According to"


def test_belief_and_intention_cues_are_typed():
    quotes = analyze(
        "The panel concluded that the dam was unsafe. The governor vowed to cut taxes. "
        "A new poll suggests voters are tired."
    )
    cue_types = {q.cue.text: q.cue.type for q in quotes if q.cue}
    assert cue_types == {"concluded": "belief", "vowed": "intention", "suggests": "evidence"}


def test_scare_quotes_and_titles_are_not_statements():
    text = 'The so-called "birth lottery" shapes lives. She starred in "The Long Night" in 2019.'
    assert analyze(text) == []
    # still quoted material for the opinion analyzer
    assert [text[s:e] for s, e in quoted_regions(Document(text))] == [
        "birth lottery",
        "The Long Night",
    ]


def test_single_angle_and_straight_marks():
    for text in (
        "'We will not leave,' the minister said.",
        "«We will not leave», the minister said.",
        "“We will not leave,” the minister said.",
        "''We will not leave,'' the minister said.",
    ):
        quote = only(analyze(text), "We will not leave")
        assert quote.text == "We will not leave", text
        assert quote.speaker is not None and quote.speaker.mention == "the minister"


def test_apostrophes_are_not_quotation_marks():
    text = "Rostec’s staff didn’t leave in the ’90s, the Clintons’ aide said."
    assert quoted_regions(Document(text)) == []


def test_an_unclosed_mark_never_loses_the_rest_of_the_document():
    text = (
        'He said "this never closes.\n\nThe vote passed” on Monday.\n\n'
        '"Next year will be better," Ana Ruiz said.'
    )
    quote = only(analyze(text), "Next year")
    assert quote.text == "Next year will be better"
    assert quote.speaker is not None and quote.speaker.mention == "Ana Ruiz"


def test_unattributed_quote_takes_the_speaker_of_its_paragraph():
    text = 'Sen. Ted Cruz spoke first. "I am ready," Cruz said. "The party is ready too."'
    assert speaker_of(text, "party").name == "Ted Cruz"


def test_block_quote_from_a_reported_outlet_carries_via_and_its_inner_source():
    text = (
        "Here's what was reported by the Wall Street Journal:\n\n"
        "“Rostec has cut its staff in Venezuela to a few dozen, from about 1,000, "
        "said a person close to the Russian defense ministry.”\n\n"
        "That is a blow to the regime."
    )
    start = text.index("Wall Street Journal")
    journal = CitedMention(start, start + 19, "Wall Street Journal", "wsj.com", "WSJ", "cited")
    quotes = analyze(text, [journal])
    block = [q for q in quotes if q.kind == "direct"]
    assert len(block) == 1
    assert block[0].text.startswith("Rostec has cut its staff")
    assert block[0].speaker is not None and block[0].speaker.type == "outlet"
    assert block[0].cue is not None and block[0].cue.text == "reported"
    assert block[0].via == "wsj.com"
    inner = [q for q in quotes if q.speaker and q.speaker.type == "anonymous"]
    assert len(inner) == 1
    assert inner[0].speaker.mention == "a person close to the Russian defense ministry"
    assert inner[0].via == "wsj.com"  # the nested quote keeps both attributions


def test_quoted_tweet_introduced_by_a_colon_line():
    text = (
        "US President Donald Trump has Tweeted that Russia left:\n\n"
        "“Russia has informed us that they have removed most of their people.”"
    )
    quotes = [q for q in analyze(text, []) if q.kind == "direct"]
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.text == "Russia has informed us that they have removed most of their people."
    assert quote.speaker is not None and quote.speaker.name == "Donald Trump"
    assert quote.cue is not None and (quote.cue.text, quote.cue.type) == ("Tweeted", "writing")
    assert quote.via is None


def test_reported_speech_closed_by_according_to_an_outlet_comes_via_it():
    text = "Officials said the plan appears to be failing, according to Reuters."
    start = text.index("Reuters")
    reuters = CitedMention(start, start + 7, "Reuters", "reuters.com", "Reuters", "cited")
    (quote,) = analyze(text, [reuters])
    assert quote.speaker is not None and quote.speaker.mention == "Officials"
    assert quote.via == "reuters.com"


@pytest.mark.parametrize(
    ("text", "name", "via"),
    [
        (
            "The talks stalled, the BBC's North America editor Jon Sopel said.",
            "Jon Sopel",
            "bbc.co.uk",
        ),
        ("Fox News host Sean Hannity said the plan would fail.", "Sean Hannity", "foxnews.com"),
        (
            "CNN's chief White House correspondent Jim Acosta said it ended.",
            "Jim Acosta",
            "cnn.com",
        ),
        ("CNN's Jake Tapper said the vote was close.", "Jake Tapper", "cnn.com"),
        ("Fox News' Sean Hannity said the vote was close.", "Sean Hannity", "foxnews.com"),
    ],
)
def test_a_journalist_named_after_an_outlet_speaks_through_it(text, name, via):
    (quote,) = analyze(text)
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.type) == (name, "person")
    assert quote.via == via


@pytest.mark.parametrize(
    "text",
    [
        "The New York Times Magazine said the story was true.",
        "The Washington Post's editorial board wrote that the plan would fail.",
    ],
)
def test_an_outlets_own_name_or_board_is_no_journalist(text):
    (quote,) = analyze(text)
    assert quote.speaker is not None and quote.speaker.type == "outlet"


@pytest.mark.parametrize(
    ("text", "speaker_type"),
    [
        ("Many Tunisians worry that extremists can get arms.", "anonymous"),
        ("Some Democrats said the bill was flawed.", "anonymous"),
        ("Islamist politicians acknowledged they had not seen the threat.", "anonymous"),
        ("Trump's lawyer said the case was weak.", "person"),
        ("Both Clinton and Sanders said the vote was close.", "person"),
        ("Senator John Smith said the plan failed.", "person"),
    ],
)
def test_a_group_the_text_does_not_name_is_anonymous(text, speaker_type):
    (quote,) = analyze(text)
    assert quote.speaker is not None and quote.speaker.type == speaker_type


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        (
            "According to early results of exit polls conducted for The Associated Press and "
            "television networks by Edison Research, most voters feel down on the government.",
            "early results of exit polls conducted for The Associated Press and television "
            "networks by Edison Research",
            "most voters feel down on the government",
        ),
        (
            "The vote was delayed, according to people familiar with the matter.",
            "people familiar with the matter",
            "The vote was delayed",
        ),
    ],
)
def test_whatever_according_to_names_is_the_source(text, source, content):
    quote = only(analyze(text), content)
    assert quote.text == content
    assert quote.speaker is not None and quote.speaker.mention == source


def test_according_to_plan_names_no_source():
    assert analyze("According to plan, the rocket launched on time.") == []


def test_according_to_a_source_covers_the_reported_clause_with_its_own_cue():
    quotes = analyze(
        "According to a state university survey, 51 percent of respondents said they would "
        "vote for Clinton."
    )
    by_speaker = {q.speaker.mention: q.text for q in quotes if q.speaker is not None}
    assert by_speaker == {
        "a state university survey": "51 percent of respondents said they would vote for Clinton",
        "51 percent of respondents": "they would vote for Clinton",
    }
    closing = analyze(
        "De Blasio has found himself in the same legal bind, according to spokesperson "
        "Monica Klein."
    )
    quote = only(closing, "De Blasio")
    assert quote.speaker is not None and quote.speaker.name == "Monica Klein"


@pytest.mark.parametrize(
    "text",
    [
        "Dylann Roof is accused of killing nine people inside the church.",
        "We’re told that companies reveal their true character in a crisis.",
        "I'm told the deal is close.",
    ],
)
def test_agentless_passive_names_no_speaker(text):
    assert all(q.speaker is None for q in analyze(text))


def test_share_of_people_saying_is_the_speaker_not_the_sentence_subject():
    quotes = analyze(
        "Mr. Trump improved his standing, with 30 percent of voters saying they like him."
    )
    quote = only(quotes, "they like him")
    assert quote.speaker is not None and quote.speaker.mention == "30 percent of voters"
    (statement,) = analyze("She released a statement saying she would not run.")
    assert statement.speaker is not None and statement.speaker.mention == "She"


def test_the_subject_of_a_progressive_cue_speaks_not_the_sentences_subject():
    text = (
        "Some features, like the ability to take what Apple is calling “spatial” photos, were off."
    )
    assert speaker_of(text, "spatial").mention == "Apple"


def test_colon_inside_a_sentence_introduces_its_quotation():
    quotes = analyze(
        '"There was wrongdoing," said a former official.\n\n'
        'Clinton has since apologized for what happened: "Yes, I should have used two '
        'email addresses. Not doing so was a mistake."'
    )
    quote = only(quotes, "two email addresses")
    assert quote.speaker is not None and quote.speaker.name == "Clinton"


def test_speaker_phrase_never_ends_in_a_preposition():
    (tweet,) = analyze(
        'Trump took to Twitter overnight to accuse the campaign of being "duped" by "a con."'
    )
    assert tweet.speaker is not None and tweet.speaker.mention == "Trump"
    quotes = analyze(
        "On Twitter, she responded Tuesday to one of his messages by saying, "
        '"Seriously, just stop lying."'
    )
    (quote,) = [q for q in quotes if q.text == "Seriously, just stop lying."]
    assert quote.speaker is not None and quote.speaker.mention == "she"


def test_speaker_who_tells_an_outlet_gets_its_domain():
    text = '"We are leaving," Ana Ruiz told the Washington Post.'
    start = text.index("Washington Post")
    post = CitedMention(start, start + 15, "Washington Post", "washingtonpost.com", "WaPo", "cited")
    quote = only(analyze(text, [post]), "leaving")
    assert quote.speaker is not None and quote.speaker.mention == "Ana Ruiz"
    assert quote.via == "washingtonpost.com"


def test_speaker_named_after_a_dash_or_before_a_colon():
    text = (
        "“He does not understand our lives.” ― Carla Sanchez\n\n"
        'Rep. Trey Gowdy (R-S.C.): "Who told you that figure?"'
    )
    quotes = analyze(text)
    assert only(quotes, "understand").speaker.mention == "Carla Sanchez"
    assert only(quotes, "figure").speaker.mention == "Rep. Trey Gowdy (R-S.C.)"


def test_passive_report_names_its_source_after_by():
    quote = only(analyze("The plant closure was first reported by the Miami Herald."), "plant")
    assert quote.text == "The plant closure"
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.type) == ("Miami Herald", "outlet")
    assert quote.via == "miamiherald.com"


@pytest.mark.parametrize(
    ("text", "subject", "said", "speaker"),
    [
        (
            "The recent spate of strandings has been described as “heartbreaking” by the "
            "conservation department.",
            "The recent spate of strandings",
            "as “heartbreaking”",
            "the conservation department",
        ),
        (
            "The claim was called a “hoax” by the White House on Monday.",
            "The claim",
            "a “hoax”",
            "the White House",
        ),
        ("The plan was described as reckless by critics.", "The plan", "as reckless", "critics"),
    ],
)
def test_passive_cue_names_its_speaker_after_what_they_called_it(text, subject, said, speaker):
    quote = only(analyze(text), said)
    assert quote.speaker is not None and quote.speaker.mention == speaker
    assert [text[a:b] for a, b in quote.fragments] == [subject, said]


def test_inverted_cue_with_a_colon():
    quote = only(analyze("Said Ellis: “I don’t get the sense she wants reform.”"), "reform")
    assert quote.speaker is not None and quote.speaker.mention == "Ellis"


def test_speaker_with_a_relative_clause_and_appositions():
    text = (
        "Douglas Brinkley, a historian who attended the session, recalled, "
        '"He said the climate issue mattered most."'
    )
    quote = only(analyze(text), "climate")
    assert quote.speaker is not None
    assert quote.speaker.mention.startswith("Douglas Brinkley")
    assert quote.speaker.name == "Douglas Brinkley"


def test_attribution_interjected_in_a_sentence():
    text = "If only a few delegates are at stake, the campaign said, it may not ask for a recount."
    quote = only(analyze(text), "delegates")
    assert [text[s:e] for s, e in quote.fragments] == [
        "If only a few delegates are at stake",
        "it may not ask for a recount",
    ]
    assert quote.speaker is not None and quote.speaker.mention == "the campaign"


def test_second_verb_of_the_same_speaker_ends_the_first_content():
    text = 'De Blasio called Trump a "blowhard" and said his remarks were "propaganda."'
    quotes = analyze(text)
    first = only(quotes, "blowhard")
    assert first.text == 'Trump a "blowhard"'
    second = only(quotes, "remarks")
    assert second.speaker is not None and second.speaker.mention == "De Blasio"


def test_participle_cue_takes_the_subject_after_a_dateline_or_opening_phrase():
    dateline = analyze(
        "TALLAHASSEE — Democratic U.S. Rep. Gwen Graham on Friday pummeled Donald Trump while "
        'praising Hillary Clinton as a "work horse, not a show horse."'
    )
    quote = only(dateline, "work horse")
    assert quote.speaker is not None and quote.speaker.mention == "Democratic U.S. Rep. Gwen Graham"
    opening = analyze(
        "Hours later, she issued a statement calling on the United States "
        '"to redouble our efforts to defend our country."'
    )
    quote = only(opening, "redouble")
    assert quote.speaker is not None and quote.speaker.mention == "she"


def test_opening_phrase_without_an_end_is_no_speaker():
    quotes = analyze(
        "At the meeting in Boston the summer after the loss to Obama the party chairman "
        'fairly scolded Romney for suggesting that immigrants should "self-deport."'
    )
    assert all(q.speaker is None or q.speaker.mention != "At" for q in quotes)


def test_a_verb_idiom_is_not_a_statement():
    quotes = analyze("A new report released on Monday by a university calls that into question.")
    assert quotes == []


def test_rare_verbs_of_saying_are_cues():
    quotes = analyze(
        '"Ask one more mean question and I may leave the stage," Cruz quipped.\n\n'
        '"Nobody asked you," the senator retorted.'
    )
    cues = {q.text: q.cue.text if q.cue else None for q in quotes}
    assert cues == {
        "Ask one more mean question and I may leave the stage": "quipped",
        "Nobody asked you": "retorted",
    }


def test_the_subject_of_a_relative_clause_speaks_after_it():
    text = "Barkley, who said he votes for Democrats, said one candidate he likes is Kasich."
    quote = only(analyze(text), "Kasich")
    assert quote.text == "one candidate he likes is Kasich"
    assert quote.speaker is not None and quote.speaker.mention == "Barkley"


@pytest.mark.parametrize(
    ("text", "answer", "speaker"),
    [
        ("Asked if the comments had rattled them as well, Ryan said they had.", "they had", "Ryan"),
        (
            "Asked whether Clinton “has the integrity to serve as president,” 75 percent of "
            "Democrats said yes.",
            "yes",
            "75 percent of Democrats",
        ),
    ],
)
def test_an_answer_after_an_unnamed_question_is_what_the_speaker_said(text, answer, speaker):
    quote = only(analyze(text), answer)
    assert quote.text == answer  # not the question
    assert quote.speaker is not None and quote.speaker.mention == speaker


def test_a_title_that_opens_with_a_speaker_and_a_colon_is_their_statement():
    text = "Lynch: No outside influence on FBI probe into emails\n\nLoretta Lynch spoke Friday."
    (quote,) = analyze(text)
    assert quote.text == "No outside influence on FBI probe into emails"
    assert quote.cue is not None and quote.cue.text == ":"
    assert quote.speaker is not None and quote.speaker.name == "Loretta Lynch"


@pytest.mark.parametrize(
    "title",
    [
        "The Latest: Sanders wins Minnesota caucuses",
        "UPDATE: The website took the listing down",
        "Clinton: 547.",
        "Delegate Update: The latest count in the race",
    ],
)
def test_a_title_label_is_no_speaker(title):
    assert analyze(title + "\n\nThe race went on.") == []


def test_a_cue_keeps_its_particle():
    quote = only(analyze("Pierce has already pointed out that it will be a great TV."), "TV")
    assert quote.text == "it will be a great TV"
    assert quote.cue is not None and quote.cue.text == "pointed out"


def test_relative_clause_after_the_speaker_name():
    quote = only(analyze("Trump, who spoke in May, said he was winning the race."), "winning")
    assert quote.speaker is not None and quote.speaker.name == "Trump"
    assert quote.cue is not None and quote.cue.text == "said"
    trailer = analyze(
        '"I do not believe in superdelegates," Warren, who has not endorsed a candidate, '
        "told reporters."
    )
    quote = only(trailer, "superdelegates")
    assert quote.speaker is not None and quote.speaker.name == "Warren"
    assert quote.cue is not None and quote.cue.text == "told"


def test_quoted_words_after_the_cue_are_its_content_after_an_opening_phrase():
    quotes = analyze(
        "The day after the primary, Republican Gov. Doug Ducey called the long lines "
        '"unacceptable."'
    )
    quote = only(quotes, "unacceptable")
    assert quote.text == 'the long lines "unacceptable."'
    assert quote.kind == "mixed" and quote.speaker is not None
    assert quote.speaker.name == "Doug Ducey"


def test_confidence_is_a_probability():
    for quote in analyze('"We will win," Smith said. Officials said the vote was close.'):
        assert 0.0 <= quote.confidence <= 1.0


def test_unmarked_block_quote_after_an_attributed_colon_line():
    text = (
        "According to Jack Kelly, writing for RealClearPolitics:\n\n"
        "The foundation received as much as $26 million in undisclosed payments.\n\n"
        "That is a lot of money."
    )
    block = text.split("\n\n")[1]
    assert [text[s:e] for s, e in quoted_regions(Document(text))] == [block]
    quote = only(analyze(text), "undisclosed payments")
    assert quote.text == block
    assert quote.speaker is not None and quote.speaker.name == "Jack Kelly"


def test_quoted_regions_is_memoized():
    doc = Document('"One two three," he said.')
    assert quoted_regions(doc) is quoted_regions(doc)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_unicode_gives_spans_within_bounds(text):
    doc = Document(text)
    for start, end in quoted_regions(doc):
        assert 0 <= start < end <= len(text)
    for quote in QuoteAnalyzer().analyze(doc):
        assert 0 <= quote.start <= quote.end <= len(text)
        assert quote.text == text[quote.start : quote.end]
        for start, end in quote.fragments:
            assert quote.start <= start <= end <= quote.end
        for span in (quote.speaker, quote.cue):
            if span is not None:
                assert 0 <= span.start <= span.end <= len(text)


QUOTE_ALPHABET = st.sampled_from([*"ab .,:\n\"'“”‘’«»", "said", " He ", "X said that "])


@settings(max_examples=300, deadline=None)
@given(st.lists(QUOTE_ALPHABET, max_size=60).map("".join))
def test_mark_soup_gives_spans_within_bounds(text):
    for quote in QuoteAnalyzer().analyze(Document(text)):
        assert quote.text == text[quote.start : quote.end]
        assert all(0 <= s <= e <= len(text) for s, e in quote.fragments)


def test_participle_aside_between_speaker_and_cue_is_skipped():
    text = 'Ruiz, citing a new survey, said the city was "safer than ever."'
    quote = only(analyze(text), "safer")
    assert quote.speaker is not None and quote.speaker.mention == "Ruiz"


def test_opening_time_phrase_is_not_the_speaker():
    quote = only(
        analyze('This week, two Hispanic groups ran ads criticizing Mr. Cruz as "anti-Latino."'),
        "anti-Latino",
    )
    assert quote.speaker is not None and quote.speaker.mention.startswith("two Hispanic")
    quote = only(
        analyze(
            "Alarmed by the reviews, Trump changed the plan, promising "
            '"big cuts for the middle class."'
        ),
        "middle class",
    )
    assert quote.speaker is not None and quote.speaker.mention == "Trump"


def test_opening_phrase_before_a_name_and_its_apposition_is_not_the_name():
    quotes = analyze('On Monday, Smith, a local lawyer, said the ruling was "a disgrace."')
    quote = only(quotes, "disgrace")
    assert quote.speaker is not None and quote.speaker.mention.startswith("Smith")
    quotes = analyze('Friday, Texas, leading nine states, asked a judge to "stop the rules."')
    quote = only(quotes, "stop the rules")
    assert quote.speaker is not None and not quote.speaker.mention.startswith("Friday")


def test_any_past_tense_verb_after_a_quotation_attributes_it():
    text = (
        '"Every time you say that, you help them," Tester said.\n\n'
        '"Why is this not proof that the bank is too big to manage?" Vitter demanded.\n\n'
        '"France will always be France," an angry Hollande retaliated.'
    )
    quotes = analyze(text)
    speakers = {
        words: getattr(only(quotes, words).speaker, "mention", None)
        for words in ("too big", "France will")
    }
    assert speakers == {"too big": "Vitter", "France will": "an angry Hollande"}


def test_pronoun_subject_introduces_a_quotation_with_a_colon():
    text = (
        '"I have more votes than anyone," Clinton said.\n\n'
        'She then addressed the supporters again: "Here is what I regret about this race."'
    )
    quote = only(analyze(text), "regret")
    assert quote.speaker is not None and quote.speaker.mention == "She"


def test_bare_subject_and_verb_sentence_speaks_the_quotation_after_it():
    text = (
        '"The field is wide open," said Craig Robinson, editor of the site.\n\n'
        'Iowa State professor Dianne Bystrom agreed. "Mainstream Republicans are running out '
        'of time to find an alternative."'
    )
    quote = only(analyze(text), "Mainstream")
    assert quote.speaker is not None
    assert quote.speaker.mention == "Iowa State professor Dianne Bystrom"


def test_participle_after_the_object_of_a_cue_takes_that_cue_speaker():
    quotes = analyze('The Vermont senator emailed supporters saying: "The struggle continues."')
    quote = next(q for q in quotes if q.text == "The struggle continues.")
    assert quote.speaker is not None and quote.speaker.mention == "The Vermont senator"


def test_a_possessive_or_clitic_is_not_a_speaker():
    quotes = analyze(
        "Graham's comments came after the senator spoke at a rally to discuss "
        '"clean energy efforts."'
    )
    assert all(q.speaker is None or "Graham" not in q.speaker.mention for q in quotes)
    quote = only(
        analyze('If, as I\'ve suggested, "the tax code is rigged," he did nothing.'), "tax"
    )
    assert quote.speaker is not None and quote.speaker.mention == "I"
    family = only(analyze('Scott\'s family has called on police to "release the videos."'), "video")
    assert family.speaker is not None and family.speaker.mention == "Scott's family"


def test_a_name_never_runs_across_the_end_of_a_sentence():
    text = (
        "He travels on to Ethiopia on Sunday.\n\n"
        "President Barack Obama said the talks had gone well. Obama said he was hopeful."
    )
    for quote in analyze(text):
        assert quote.speaker is not None and quote.speaker.name == "Barack Obama"


def test_a_possessive_speaker_is_not_its_owner():
    quote = only(
        analyze("Donald Trump arrived late. Trump’s lawyer said the case was closed."), "closed"
    )
    assert quote.speaker is not None
    assert quote.speaker.name == "Donald Trump’s lawyer"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Apple's Tim Cook said the phone was ready.", "Tim Cook"),
        ("The Times' Maggie Haberman said the vote was close.", "Maggie Haberman"),
    ],
)
def test_a_name_after_a_possessive_is_the_speakers_own(text, name):
    assert speaker_of(text, " was ").name == name


def test_the_name_after_a_role_is_the_speaker_name():
    quote = only(analyze("White House press secretary Josh Earnest said the offer stood."), "offer")
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.type) == ("Josh Earnest", "person")
    text = "Tunisian Prime Minister Habib Essid spoke.\n\nEssid said the nation was in danger."
    assert speaker_of(text, "danger").name == "Habib Essid"


def test_continuing_a_deed_is_not_speech():
    assert analyze("The government continued to commit grave abuses in the region.") == []
    quote = only(analyze("Trump continued to attack the judge on Sunday."), "judge")
    assert quote.speaker is not None and quote.speaker.mention == "Trump"


def test_the_verb_before_a_noun_cue_is_part_of_the_cue():
    quote = only(analyze("Democrats raised concerns that the bill would fail."), "bill")
    assert quote.speaker is not None and quote.speaker.mention == "Democrats"
    assert quote.cue is not None and quote.cue.text == "raised concerns"


def test_lets_is_not_a_speaker():
    text = 'Let’s start by parsing that tweet: "We are all concerned with events in the city."'
    assert [q.speaker.mention for q in analyze(text) if q.speaker is not None] == []


def test_a_dateline_is_not_part_of_the_reported_content():
    text = "LONDON — The government plans to lift trade sanctions, officials said on Thursday."
    quote = only(analyze(text), "sanctions")
    assert quote.text.startswith("The government plans")


def test_a_name_after_the_head_noun_is_not_the_speaker():
    quote = only(analyze("A person close to John Smith said the deal was off."), "deal")
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.type) == ("A person close to John Smith", "anonymous")
    quote = only(analyze("Prosecutors in San Francisco and Los Angeles say the firm lied."), "lied")
    assert quote.speaker is not None
    assert quote.speaker.name == "Prosecutors in San Francisco and Los Angeles"


def test_a_name_with_an_apposition_is_a_person():
    text = "Ajmi Lourimi, a member of the party's secretariat, said the attack would unite them."
    speaker = speaker_of(text, "unite")
    assert (speaker.name, speaker.type) == ("Ajmi Lourimi", "person")


def test_i_in_the_writers_own_sentence_is_not_the_last_speaker():
    text = 'Jane Doe spoke.\n\n"We will fight on," Doe said. I could see the crowd was tired.'
    assert speaker_of(text, "crowd").name == "I"


def test_a_subordinating_conjunction_ends_the_speaker_phrase():
    text = "It charges more whenever the data suggests customers will pay."
    quote = only(analyze(text), "customers")
    assert quote.speaker is not None and quote.speaker.mention == "the data"


def test_words_that_point_at_the_quotation_after_a_colon_are_no_statement():
    text = (
        "Here's what was reported by the Wall Street Journal:\n\n"
        '"Rostec has cut its staff to a few dozen, said a person close to the ministry."'
    )
    quotes = analyze(text)
    assert [q.text for q in quotes if "Here" in q.text] == []
    assert quotes, "the block quote itself is still found"


def test_a_party_and_state_tag_is_an_aside_of_the_name():
    text = (
        "The bill was dismissed by Republican leaders.  McConnell, R-Ky., called the bills "
        "“a time-wasting act of political posturing.”"
    )
    quote = only(analyze(text), "posturing")
    assert quote.speaker is not None
    assert (quote.speaker.mention, quote.speaker.name) == ("McConnell", "McConnell")


def test_an_aside_between_typed_dashes_is_not_the_name():
    text = (
        "It was a mess.\n\nKall -- co-editor of Debating The Donald, a book about the primary "
        "debates -- said the candidate made announcements there."
    )
    assert speaker_of(text, "announcements").name == "Kall"
    text = "WASHINGTON -- The nation's leading advocate for retirees says it has changed course."
    quote = only(analyze(text), "course")
    assert quote.speaker is not None
    assert quote.speaker.mention == "The nation's leading advocate for retirees"


def test_a_name_never_starts_inside_an_abbreviation():
    text = "F.B.I. Agent Peter Strzok was fired.\n\nMr. Strzok said the firing was wrong."
    assert speaker_of(text, "wrong").name == "Peter Strzok"


def test_the_apposition_that_is_a_name_names_the_speaker():
    text = "The coalition's executive director, Matt Brooks, said the ad would run for weeks."
    assert speaker_of(text, "weeks").name == "Matt Brooks"


def test_a_sentence_adverb_is_not_part_of_the_speaker():
    text = "Likewise, House Republican Leader Kevin McCarthy called the bill a disaster for all."
    quote = only(analyze(text), "disaster")
    assert quote.speaker is not None
    assert (quote.speaker.mention, quote.speaker.name) == (
        "House Republican Leader Kevin McCarthy",
        "Kevin McCarthy",
    )


def test_a_party_tag_with_periods_and_a_lone_surname_keep_their_title():
    quote = only(
        analyze("Sen. Chuck Schumer, D-N.Y., said the plan would fail in the end."), "plan"
    )
    assert quote.speaker is not None and quote.speaker.name == "Chuck Schumer"
    quote = only(analyze("An emotional Mr. Obama said the country had changed for good."), "good")
    assert quote.speaker is not None and quote.speaker.name == "Mr. Obama"


def test_a_first_name_the_text_gives_is_kept():
    text = "Tim C. Hutchinson ran in 2002.\n\nSeth Hutchinson said the race was close all along."
    assert speaker_of(text, "race").name == "Seth Hutchinson"


def test_names_with_particles_and_appositions_with_a_place():
    quote = only(
        analyze("Kevin de León, the president of the State Senate, announced the bill would pass."),
        "bill",
    )
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.type) == ("Kevin de León", "person")
    text = (
        "The House Republican leader, Representative Kevin McCarthy of California, criticized "
        "the plan as reckless and costly."
    )
    speaker = speaker_of(text, "reckless")
    assert (speaker.name, speaker.type) == ("Kevin McCarthy", "person")


def test_a_share_of_voters_is_no_person_to_refer_back_to():
    text = "Some 55 percent of Republican primary voters say the party has lost its way."
    quote = only(analyze(text), "party")
    assert quote.speaker is not None and quote.speaker.type != "person"


def test_a_name_after_a_role_with_of_and_a_titled_surname():
    text = "Acting White House chief of staff Mick Mulvaney told reporters the aid was withheld."
    speaker = speaker_of(text, "aid")
    assert (speaker.name, speaker.type) == ("Mick Mulvaney", "person")
    text = "Despite Mr. Trump's late arrival, Mr. Trump said the talks had gone well."
    assert speaker_of(text, "talks").name == "Mr. Trump"


def test_a_person_who_shares_a_networks_name_is_a_person():
    text = "Vicente Fox led Mexico until 2006.\n\nMr. Fox said the wall would never be paid for."
    speaker = speaker_of(text, "wall")
    assert (speaker.name, speaker.type) == ("Vicente Fox", "person")


def test_a_day_that_owns_the_object_stays_in_the_content():
    text = "The leader of the party, Rachid Ghannouchi, condemned Wednesday’s attack on the museum."
    quote = only(analyze(text), "attack")
    assert quote.text.startswith("Wednesday’s attack")
    assert quote.speaker is not None and quote.speaker.name == "Rachid Ghannouchi"


def test_an_abbreviation_before_a_sentence_opener_ends_the_sentence():
    text = "The group met in St. Louis, Mo. The resolution said the law was unjust and cruel."
    quote = only(analyze(text), "unjust")
    assert quote.speaker is not None and quote.speaker.mention == "The resolution"
    assert quote.text.startswith("the law")


def test_a_first_name_after_a_description_names_the_speaker():
    quote = only(analyze('"The drug was in her system," her mother, Fiona, said.'), "drug")
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.type) == ("Fiona", "person")


def test_role_nouns_make_a_person_and_still_find_their_antecedent():
    text = "State Department Deputy Spokesperson Marie Harf told reporters the talks would go on."
    speaker = speaker_of(text, "talks")
    assert (speaker.name, speaker.type) == ("Marie Harf", "person")
    text = (
        "The Democratic congressman, who serves as deputy chairman of the Democratic National "
        "Committee, denied the report about the donors."
    )
    quote = only(analyze(text), "donors")
    assert quote.speaker is not None and quote.speaker.type == "person"
    text = (
        "Senator Elizabeth Warren said the bill was bad for families. "
        "The senator said it would fail in the House."
    )
    assert speaker_of(text, "House").name == "Elizabeth Warren"


def test_a_pronoun_passes_over_a_speaker_of_the_other_gender():
    text = (
        "Ana Ruiz, the shelter's director, said the beds ran out on Monday. "
        '"We turned people away," said John Hale, a police inspector. '
        "Ms. Ruiz and Mr. Hale have worked together since 2019. "
        '"I could not sleep that night," she said.'
    )
    assert speaker_of(text, "could not sleep").name == "Ana Ruiz"
    text = (
        "Mr. Tom Reed, the mayor, said the council would meet. "
        '"The pool was closed," said a spokeswoman, Jane Cole. '
        '"It has to be fixed," he said.'
    )
    assert speaker_of(text, "has to be fixed").name == "Tom Reed"


def test_a_pronoun_takes_the_latest_speaker_when_nothing_says_their_gender():
    text = (
        "Ms. Ana Ruiz said the beds ran out. Robin Hale said the police came. "
        '"We had no choice," she said.'
    )
    assert speaker_of(text, "no choice").name == "Robin Hale"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Smith, who leads the group, said the plan failed.", "Smith"),
        ("Smith, speaking on Monday, said the plan failed.", "Smith"),
        ("The ministry, citing intelligence, said the plan failed.", "The ministry"),
        ("The company, which makes chips, said the plan failed.", "The company"),
    ],
)
def test_a_subject_with_an_aside_speaks_and_the_clause_after_the_cue_is_said(text, speaker):
    (quote,) = analyze(text)
    assert quote.text == "the plan failed"
    assert quote.speaker is not None and quote.speaker.name == speaker


def test_an_inverted_speaker_keeps_the_clause_before_it_and_not_its_apposition():
    text = "The economy is improving, said John Smith, chief economist at the bank."
    (quote,) = analyze(text)
    assert quote.text == "The economy is improving"
    assert quote.speaker is not None and quote.speaker.name == "John Smith"


def test_a_clause_after_a_comma_is_no_aside_of_the_speaker():
    text = "The program is hardly formal, but it has a loyal following, said Ms. Gil, a founder."
    assert speaker_of(text, "formal").name == "Ms. Gil"


def test_a_reported_clause_is_not_also_content_of_its_own_cue():
    (quote,) = analyze("The mayor said the council agreed.")
    assert quote.text == "the council agreed"
    assert quote.speaker is not None and quote.speaker.mention == "The mayor"


def test_what_a_relative_clause_aside_mentions_does_not_type_the_speaker():
    text = (
        "Chris Christie spoke on Monday.\n\n"
        "Christie, who has campaigned for the party's nominee, said the rally went well."
    )
    speaker = speaker_of(text, "rally")
    assert (speaker.name, speaker.type) == ("Chris Christie", "person")


def test_a_leading_connective_is_not_the_speaker():
    quote = only(analyze("Regardless, the State Department said the fax was secure."), "fax")
    assert quote.speaker is not None and quote.speaker.name == "the State Department"


def test_a_surname_that_is_also_a_network_names_the_person_written_before():
    text = (
        "Vicente Fox, Mexico's former president, said the wall was a stupid idea. "
        'Fox added that "we will not pay for it."'
    )
    quotes = analyze(text)
    assert [(q.speaker.name, q.speaker.type) for q in quotes if q.speaker] == [
        ("Vicente Fox", "person"),
        ("Vicente Fox", "person"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Prosecutors allege that Jones stole the funds.",
        "Critics contend that Jones stole the funds.",
    ],
)
def test_a_plain_verb_after_a_plural_subject_takes_a_clause(text):
    (quote,) = analyze(text)
    assert quote.text == "Jones stole the funds"
    assert quote.speaker is not None and quote.speaker.mention == text.split()[0]


@pytest.mark.parametrize(
    "text",
    [
        "He spoke to a veterans group that met in Ohio.",
        "The numbers come from CrowdTangle, a social analytics tool that tracks posts.",
        "Texas legislation that closed clinics was struck down.",
    ],
)
def test_a_noun_after_a_plural_modifier_is_no_verb_of_saying(text):
    assert analyze(text) == []


def test_a_heading_ending_in_what_is_not_what_was_told():
    text = "Obama spoke to the BBC.\n\nAt-a-glance - what the US president told the BBC\n\nMore."
    assert [q.text for q in analyze(text)] == []
    (quote,) = analyze('"So what?" the senator asked.')
    assert quote.text == "So what?"


@pytest.mark.parametrize(
    "text",
    [
        "Does the senator say the bill will pass?",
        "Aren’t those the kinds of things libertarians say they hate about government?",
    ],
)
def test_a_question_asks_what_someone_says_and_quotes_no_one(text):
    assert analyze(text) == []


def test_asking_not_to_be_named_is_no_statement():
    text = (
        "A senior official, who asked not to be named because the talks are private, "
        "said no deal was near."
    )
    (quote,) = analyze(text)
    assert quote.text == "no deal was near"
    assert quote.speaker is not None and quote.speaker.name == "A senior official"
    assert analyze("The official asked not to be identified.") == []


def test_a_name_after_an_inverted_description_names_the_speaker():
    (quote,) = analyze('"It is a disaster," said one voter, Mary Jones, 62, of Dayton.')
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.type) == ("Mary Jones", "person")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Smith, however, said the bill was too expensive.", "Smith"),
        ("Republicans, meanwhile, argued the bill was too expensive.", "Republicans"),
        ("Tuesday, however, the senator said the bill was too expensive.", "the senator"),
    ],
)
def test_a_subject_before_a_connective_aside_speaks(text, speaker):
    (quote,) = analyze(text)
    assert quote.text == "the bill was too expensive"
    assert quote.speaker is not None and quote.speaker.name == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"Imagine him on that stage," mused Blaze co-host Stu Burguiere.', "Stu Burguiere"),
        ('"We will win," said longtime aide Jane Doe.', "Jane Doe"),
        ('"Jeb wants to be a tough guy tonight," Trump shot back.', "Trump"),
        ('"I can point to only two accomplishments," Bozell answers.', "Bozell"),
    ],
)
def test_any_verb_of_saying_after_its_quotation_names_the_speaker(text, speaker):
    (quote,) = analyze(text)
    assert quote.kind == "direct" and quote.speaker is not None
    assert quote.speaker.name == speaker


def test_an_object_after_a_quotation_is_not_an_inverted_speaker():
    text = (
        "In a memo on Tuesday, Noah Oppenheim, the executive in charge of ''Today,'' reminded "
        "his staff about the early work.\n\n"
        '"It was a hard year," he wrote, and described the emotional impact as "horrendous."'
    )
    speakers = {q.speaker.mention for q in analyze(text) if q.speaker is not None}
    assert not speakers & {"his staff", "the emotional impact"}, speakers


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The timing doesn't surprise Republican pollster Daron Shaw: \"Lesser-known "
            'candidates beating establishment candidates have seen the biggest boost."',
            "Daron Shaw",
        ),
        (
            'The map has been important for Republican contests - Philip Bump: "Two weeks ago, '
            "his strongest territory had been the South. Now, it's the Northeast.\"",
            "Philip Bump",
        ),
    ],
)
def test_a_name_right_before_a_colon_introduces_the_quotation(text, speaker):
    (quote,) = analyze(text)
    assert quote.speaker is not None and quote.speaker.name == speaker
    assert quote.cue is not None and quote.cue.text == ":"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Clinton, during a meeting in Columbus, Ohio, said the plan would fail.", "Clinton"),
        ("Smith, a lawyer in Columbus, Ohio, said the plan would fail.", "Smith"),
    ],
)
def test_a_city_and_state_close_an_aside_not_the_speaker(text, speaker):
    (quote,) = analyze(text)
    assert quote.text == "the plan would fail"
    assert quote.speaker is not None and quote.speaker.name == speaker


def test_it_and_several_speak_before_a_verb_of_saying():
    text = (
        "The campaign sent an email on Friday. It stated that Trump is rattled by the "
        '"surge in the polls."\n\n'
        'Several said they would rather see "block grants" for schools.'
    )
    speakers = {q.text: q.speaker.mention for q in analyze(text) if q.speaker is not None}
    assert speakers == {
        'Trump is rattled by the "surge in the polls."': "It",
        'they would rather see "block grants" for schools': "Several",
    }


def test_a_plural_object_before_that_is_no_cue():
    text = (
        "Amid responses from some to create websites that would name them, Matt Walsh gave a "
        'reason, saying it is necessary to "identify the traitors and remember their names."'
    )
    assert speaker_of(text, "identify the traitors").name == "Matt Walsh"


def test_here_opens_a_scene_before_the_subject():
    text = 'Here in Columbia, Sanders stepped up his emphasis, saying, "We have got to do better."'
    assert speaker_of(text, "got to do").name == "Sanders"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"Dump Trump," the sign read.', "the sign"),
        ('"Then surely the woman can do the same," it read.', "it"),
        ('"No," he shot back.', "he"),
    ],
)
def test_the_trailer_shape_makes_an_ambiguous_verb_a_cue(text, speaker):
    (quote,) = analyze(text)
    assert quote.kind == "direct" and quote.speaker is not None
    assert quote.speaker.mention == speaker


def test_an_aside_after_the_cue_leaves_the_quotation_before_it_as_the_content():
    text = '"All the way!" Dawson shouted, shorthand for taking the fight to the convention.'
    (quote,) = analyze(text)
    assert quote.text == "All the way!" and quote.kind == "direct"


def test_a_description_before_a_name_after_the_cue_is_the_speaker():
    text = (
        '"I don\'t know where he stands," said undecided Republican voter Stephanie Hooton of '
        "Derry, N.H., before the event."
    )
    assert speaker_of(text, "where he stands").name == "Stephanie Hooton"


def test_a_conditional_clause_is_no_subject():
    text = (
        "Unless you're sitting very close to a TV, you'd likely have a hard time telling "
        "between 4K and 1080p."
    )
    assert analyze(text) == []


def test_a_focus_adverb_and_a_noun_in_ly_stay_out_of_the_speaker():
    text = (
        "Even the organizer of a pro-Trump rally said the rules increased the chance of violence."
    )
    assert speaker_of(text, "rules increased").mention == "the organizer of a pro-Trump rally"


def test_a_scene_before_an_inverted_cue_is_no_speaker():
    text = (
        'In other words, explained CBS moderator Nancy Cordes: "What does that have to do with it?"'
    )
    assert speaker_of(text, "What does that").name == "Nancy Cordes"


def test_two_descriptions_joined_by_and_describe_one_speaker():
    text = (
        "Nefzi, a chemistry professor and a member of the mosque's board, said he never saw "
        'Mateen "interact" with the bomber.'
    )
    assert speaker_of(text, "interact").name == "Nefzi"
