"""Outlet notes: URL reduction, the band rule, and outlets named in running text."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.pipeline.document import Document
from server.pipeline.outlets import OutletAnalyzer, find_mentions, lookup, site_key, tables
from tests.conftest import SEED_DIR as SEED


def mentions_in(text: str, url: str = "https://example.com/story") -> list[tuple[str, str, str]]:
    return [(m.text, m.domain, m.role) for m in find_mentions(Document(text, url=url))]


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("value", "domain", "site"),
    [
        pytest.param("https://www.wsj.com/articles/x-123", "wsj.com", "wsj.com", id="www"),
        pytest.param("m.dailymail.co.uk/news/x.html", "dailymail.co.uk", "dailymail.co.uk", id="m"),
        pytest.param("https://amp.theguardian.com/world/x", "theguardian.com", "theguardian.com"),
        pytest.param(
            "https://edition.cnn.com/2024/x", "cnn.com", "edition.cnn.com", id="subdomain"
        ),
        pytest.param(
            "https://www-bbc-co-uk.cdn.ampproject.org/c/s/www.bbc.co.uk/news/amp/world-1",
            "bbc.co.uk",
            "bbc.co.uk",
            id="amp-cache",
        ),
        pytest.param(
            "https://www.google.com/amp/s/amp.theguardian.com/uk-news/x",
            "theguardian.com",
            "theguardian.com",
            id="google-amp-viewer",
        ),
        pytest.param(
            "https://www.google.com/url?q=https://www.reuters.com/world/x&sa=D",
            "reuters.com",
            "reuters.com",
            id="google-redirect",
        ),
        pytest.param(
            "https://web.archive.org/web/20200101000000/https://www.nytimes.com/x.html",
            "nytimes.com",
            "nytimes.com",
            id="web-archive",
        ),
        pytest.param("news.com.au", "news.com.au", "news.com.au", id="com.au"),
        pytest.param("https://www.abc.net.au/news/x", "abc.net.au", "abc.net.au", id="net.au"),
        pytest.param("someone.blogspot.com", "someone.blogspot.com", "someone.blogspot.com"),
        pytest.param("a.b.blogspot.com", "b.blogspot.com", "b.blogspot.com", id="blogspot-sub"),
        pytest.param("www.blogspot.com", "blogspot.com", "blogspot.com", id="www-platform"),
        pytest.param("m.someone.blogspot.com", "someone.blogspot.com", "someone.blogspot.com"),
        pytest.param(
            "https://someone.substack.com/p/x", "someone.substack.com", "someone.substack.com"
        ),
        pytest.param("https://medium.com/@someone/post-1", "medium.com", "medium.com/@someone"),
        pytest.param("HTTPS://WWW.FOXNEWS.COM/politics", "foxnews.com", "foxnews.com", id="case"),
    ],
)
def test_urls_reduce_to_the_registrable_domain_and_rated_site(value, domain, site):
    key = site_key(value)
    assert (key.domain, key.site) == (domain, site)


@pytest.mark.parametrize(
    "value", ["", "   ", "not a url", "ftp://example.com/x", "localhost", "1.2.3.4", "co.uk"]
)
def test_invalid_values_raise_a_clear_value_error(value):
    with pytest.raises(ValueError, match=r"\S"):
        lookup(value)


def test_suffix_list_is_the_bundled_one_and_never_fetched():
    extract = tables().extract
    assert extract.suffix_list_urls == ()
    assert extract.include_psl_private_domains is True


# ---------------------------------------------------------------- the band rule


@pytest.mark.parametrize(
    ("value", "band", "decided_by"),
    [
        ("theguardian.com", "reliable", "Wikipedia's Perennial sources list"),
        ("foxnews.com", "mixed", "Wikipedia's Perennial sources list"),
        ("forbes.com", "mixed", "Wikipedia's Perennial sources list"),
        ("telegraph.co.uk", "mixed", "Wikipedia's Perennial sources list"),
        ("huffpost.com", "mixed", "Wikipedia's Perennial sources list"),
        ("wsj.com", "reliable", "Wikipedia's Perennial sources list"),
        ("infowars.com", "unreliable", "Wikipedia's Perennial sources list"),
        ("naturalnews.com", "unreliable", "Wikipedia's Perennial sources list"),
        ("rt.com", "unreliable", "Wikipedia's Perennial sources list (2021 copy)"),
        ("abc.net.au", "reliable", "Lin et al. (2023)"),
        ("news.com.au", "reliable", "Lin et al. (2023)"),
        ("spencerfernando.com", "mixed", "Lin et al. (2023)"),
    ],
)
def test_band_follows_the_first_source_in_the_rule(value, band, decided_by):
    note = lookup(value)
    assert note.band == band
    assert note.rating is not None
    assert (note.rating.band, note.rating.decided_by) == (band, decided_by)


def test_split_rating_shows_every_scoped_verdict():
    note = lookup("https://www.foxnews.com/politics/x")
    wikipedia = [v for v in note.rating.sources if v.name.startswith("Wikipedia")]
    assert {v.qualifier for v in wikipedia} == {
        "(news excluding politics and science)",
        "(politics and science)",
        "(talk shows)",
    }
    assert {v.verdict for v in wikipedia} == {"no consensus", "generally unreliable"}
    assert all(
        v.year and v.url and v.url.startswith("https://en.wikipedia.org/") for v in wikipedia
    )
    assert "politics and science" in note.note


def test_blog_entry_does_not_split_the_guardian():
    note = lookup("theguardian.com")
    counted = [v.entry for v in note.rating.sources if v.decides]
    assert counted == ["The Guardian"]
    assert note.disagreement is None


def test_disagreement_between_sources_is_shown_not_averaged():
    note = lookup("cnn.com")
    bands = {v.name: v.band for v in note.rating.sources}
    assert bands == {"Wikipedia's Perennial sources list": "reliable", "Lin et al. (2023)": "mixed"}
    assert note.band == "reliable"
    assert note.disagreement and "0.66" in note.disagreement
    assert note.disagreement in note.note


def test_disagreeing_unscoped_wikipedia_entries_make_the_band_mixed():
    note = lookup("buzzfeed.com")  # "BuzzFeed" no consensus, "BuzzFeed News" reliable
    assert note.band == "mixed"
    assert "BuzzFeed News: generally reliable" in note.disagreement


def test_a_topic_split_is_scope_not_disagreement():
    note = lookup("foxnews.com")
    assert note.disagreement is None
    assert all(v.decides for v in note.rating.sources if v.name.startswith("Wikipedia"))


def test_subdomain_rating_never_rates_the_whole_domain():
    sputnik = lookup("https://radiosputnik.ria.ru/20220101/x.html")
    assert sputnik.band == "unreliable"
    assert sputnik.rating.decided_by == "Wikipedia's Perennial sources list"
    assert [v.match for v in sputnik.rating.sources if v.decides] == ["radiosputnik.ria.ru"]
    parent = lookup("ria.ru")
    assert parent.rating.decided_by == "Lin et al. (2023)"
    assert all(v.match == "ria.ru" for v in parent.rating.sources)


def test_path_rating_never_rates_the_whole_domain():
    advisor = lookup("https://www.forbes.com/advisor/credit-cards/x")
    assert advisor.band == "unreliable"
    assert [v.entry for v in advisor.rating.sources if v.decides] == ["Forbes.com non-staff"]
    assert lookup("forbes.com").band == "mixed"
    observer = lookup("https://www.theguardian.com/observer/x")
    guardian = lookup("theguardian.com")
    assert [v.score for v in observer.rating.sources if v.score] == [0.718]
    assert [v.score for v in guardian.rating.sources if v.score] == [0.75]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://nymag.com/intelligencer/x.html", "New York magazine"),
        ("time.com", "Time magazine"),
    ],
)
def test_a_magazine_whose_title_is_a_place_or_a_word_is_called_a_magazine(url, name):
    assert lookup(url).name == name


def test_parent_host_rating_covers_its_subdomains():
    note = lookup("https://edition.cnn.com/x")
    assert note.band == "reliable"
    assert note.name == "CNN"


@pytest.mark.parametrize(
    ("value", "platform"),
    [
        ("https://someone.blogspot.com/2020/01/x.html", "blogspot.com"),
        ("https://someone.substack.com/p/x", "substack.com"),
        ("https://medium.com/@someone/x-1", "medium.com"),
        ("https://someone.wordpress.com/x", "wordpress.com"),
        ("https://someone.tumblr.com/post/1", "tumblr.com"),
    ],
)
def test_platform_rating_does_not_rate_its_authors(value, platform):
    note = lookup(value)
    assert note.platform is not None and note.platform.domain == platform
    assert note.rating is None
    assert note.band == "unknown"
    assert "does not rate this author" in note.note


def test_an_author_rated_in_their_own_right_keeps_that_rating():
    note = lookup("newzeal.blogspot.com")
    assert note.band == "mixed"
    assert [v.match for v in note.rating.sources] == ["newzeal.blogspot.com"]
    assert "does not rate this author" in note.note


def test_the_platform_itself_is_rated_and_says_what_that_covers():
    note = lookup("medium.com")
    assert note.band == "unreliable"
    assert "not any one author" in note.note


def test_unknown_site_is_not_a_verdict():
    note = lookup("https://www.my-made-up-local-news-site-4821.com/story")
    assert note.rating is None
    assert note.band == "unknown"
    assert "not rated by the open sources we use" in note.note
    assert "unreliable" not in note.note


def test_old_verdicts_are_flagged_stale():
    note = lookup("answers.com")  # last discussed on WP:RSP in 2010
    assert note.stale is True
    assert "more than five years old" in note.note
    assert lookup("theguardian.com").stale is False


def test_opensources_is_shown_as_history_but_never_sets_the_band():
    note = lookup("infowars.com")
    tags = [v for v in note.rating.sources if v.name == "OpenSources (2017)"]
    assert len(tags) == 1 and tags[0].stale and not tags[0].decides
    assert "does not set the band" in note.note


def test_note_carries_attribution_ownership_and_country():
    assert "CC BY-SA 4.0" in lookup("wsj.com").about_data
    assert lookup("chinadaily.com.cn").ownership == (
        "China Daily is a publication owned by the Chinese Communist Party."
    )
    assert lookup("abcnews.go.com").country == "United States"


def test_credit_role_is_not_rated_as_a_news_source():
    note = lookup("youtube.com", role="credit")
    assert note.rating is None
    assert "not cited as a source of reporting" in note.note


def test_lookup_returns_independent_notes():
    first = lookup("wsj.com")
    first.mentions.append(None)
    assert lookup("wsj.com").mentions == []


# ---------------------------------------------------------------- outlets named in the text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Here's what was reported by the Wall Street Journal: the deal stalled.",
            [("Wall Street Journal", "wsj.com", "cited")],
            id="reported-by",
        ),
        pytest.param(
            "The company cut jobs, according to Reuters.",
            [("Reuters", "reuters.com", "cited")],
            id="according-to",
        ),
        pytest.param("He told CNN on Sunday.", [("CNN", "cnn.com", "cited")], id="told"),
        pytest.param(
            "A Fox News poll found support rising.",
            [("Fox News", "foxnews.com", "cited")],
            id="poll",
        ),
        pytest.param(
            "WASHINGTON (AP) — The Senate voted on Tuesday.",
            [("AP", "apnews.com", "cited")],
            id="ap-dateline",
        ),
        pytest.param(
            "The Wall Street Journal reported the talks. The Journal said they stalled.",
            [
                ("The Wall Street Journal", "wsj.com", "cited"),
                ("The Journal", "wsj.com", "cited"),
            ],
            id="journal-after-wsj",
        ),
        pytest.param("The Journal said the talks stalled.", [], id="journal-without-wsj"),
        pytest.param("RT @newsfan: read this thread", [], id="retweet"),
        pytest.param(
            "Russian state broadcaster RT claimed the video was staged.",
            [("RT", "rt.com", "cited")],
            id="rt-broadcaster",
        ),
        pytest.param(
            "She took AP Biology and two more AP classes before the AP exam.",
            [],
            id="ap-course",
        ),
        pytest.param(
            "The New York Times reported it first. The Times later corrected the story.",
            [
                ("The New York Times", "nytimes.com", "cited"),
                ("The Times", "nytimes.com", "cited"),
            ],
            id="times-after-nyt",
        ),
        pytest.param(
            "According to the Los Angeles Times, crews were stretched. The Times added more.",
            [("Los Angeles Times", "latimes.com", "cited"), ("The Times", "latimes.com", "cited")],
            id="times-after-lat",
        ),
        pytest.param("The Times reported that the minister resigned.", [], id="times-unresolved"),
        pytest.param(
            "The New York Times was there. Crowds filled the Times Square plaza.",
            [("The New York Times", "nytimes.com", "cited")],
            id="times-square",
        ),
        pytest.param(
            "The Wall Street Journal covered it, citing a paper in the Journal of the American "
            "Medical Association.",
            [
                ("The Wall Street Journal", "wsj.com", "cited"),
                ("Journal of the American Medical Association", "jamanetwork.com", "cited"),
            ],
            id="jama-is-not-wsj",
        ),
        pytest.param("Photo – YouTube", [("YouTube", "youtube.com", "credit")], id="credit"),
        pytest.param("(AP Photo/Evan Vucci)", [("AP", "apnews.com", "credit")], id="ap-photo"),
        pytest.param(
            "Vice President Harris spoke in Capitol Hill offices.", [], id="capitalised-words"
        ),
        pytest.param("Follow @CNN and #BBC for updates.", [], id="handles"),
        pytest.param("She wrote in a Springfield Sun op-ed.", [], id="longer-name-before"),
        pytest.param(
            "She wrote in a Baltimore Sun op-ed, and the Miami Herald reported it first.",
            [
                ("Baltimore Sun", "baltimoresun.com", "cited"),
                ("Miami Herald", "miamiherald.com", "cited"),
            ],
            id="paper-named-by-its-rated-domain",
        ),
        pytest.param(
            "Monday's Chicago Tribune agreed.",
            [("Chicago Tribune", "chicagotribune.com", "cited")],
            id="paper-after-a-possessive",
        ),
        pytest.param(
            "The Independent and the Daily News said so.",
            [("The Independent", "independent.co.uk", "cited")],
            id="generic-paper-names-are-not-spelled-as-domains",
        ),
        pytest.param("Trump is a New Yorker in many ways.", [], id="bare-title-as-phrase"),
        pytest.param(
            "Tina Brown founded the Daily Beast.",
            [("Daily Beast", "thedailybeast.com", "cited")],
            id="bare-title-after-the",
        ),
        pytest.param("Lawmakers on the Hill were charmed.", [], id="capitol-hill"),
        pytest.param(
            "Sanctions hit Russia. RT reported that exports fell.",
            [("RT", "rt.com", "cited")],
            id="rt-after-sentence",
        ),
        pytest.param(
            "In a Facebook post, Cruz said he would vote.",
            [("Facebook", "facebook.com", "cited")],
            id="platform-as-source",
        ),
        pytest.param("In April, Twitter reported flat growth.", [], id="platform-as-company"),
        pytest.param(
            "New York magazine reported it, and Time Magazine agreed.",
            [("New York magazine", "nymag.com", "cited"), ("Time Magazine", "time.com", "cited")],
            id="magazine-titles",
        ),
    ],
)
def test_outlets_named_in_text(text, expected):
    assert mentions_in(text) == expected


def test_regional_name_follows_the_page_country():
    text = "ABC News reported the flood."
    assert mentions_in(text, url="https://www.abc.net.au/news/x") == [
        ("ABC News", "abc.net.au", "cited")
    ]
    assert mentions_in(text, url="https://example.com/x")[0][1] == "go.com"


def test_mentions_are_memoized_on_the_document():
    doc = Document("He told CNN on Sunday.", url=None)
    first = find_mentions(doc)
    assert doc.memo["outlet_mentions"] is first
    assert find_mentions(doc) is first


def test_offsets_slice_the_text():
    text = "Ünïcode first — then, according to Reuters and told the BBC, more."
    for mention in find_mentions(Document(text)):
        assert text[mention.start : mention.end] == mention.text


def test_page_naming_itself_is_not_a_citation():
    doc = Document("The New York Times reported the vote.", url="https://www.nytimes.com/x")
    notes = OutletAnalyzer().analyze(doc)
    assert [(n.domain, n.role) for n in notes] == [("nytimes.com", "page")]
    assert [m.text for m in notes[0].mentions] == ["The New York Times"]


def test_a_paper_the_data_names_only_by_domain_is_called_as_the_text_writes_it():
    (note,) = OutletAnalyzer().analyze(Document("It was first reported by the Miami Herald."))
    assert (note.domain, note.name, note.role) == ("miamiherald.com", "Miami Herald", "cited")
    assert note.rating is not None and note.note.startswith("Miami Herald")


def test_invalid_page_url_still_finds_cited_outlets():
    notes = OutletAnalyzer().analyze(Document("He told CNN.", url="not a url"))
    assert [(n.domain, n.role) for n in notes] == [("cnn.com", "cited")]


# ---------------------------------------------------------------- the seed article


@pytest.fixture(scope="module")
def seed():
    expected = json.loads((SEED / "rostec-venezuela.expected.json").read_text(encoding="utf-8"))
    text = (SEED / "rostec-venezuela.txt").read_text(encoding="utf-8")
    return text, expected


def test_seed_article_outlets(seed):
    text, expected = seed
    notes = OutletAnalyzer().analyze(Document(text, url=expected["url"]))
    by_domain = {n.domain: n for n in notes}
    assert by_domain["spencerfernando.com"].role == "page"
    wsj = by_domain["wsj.com"]
    assert wsj.role == "cited"
    assert [(m.start, m.end, m.text) for m in wsj.mentions] == [(231, 250, "Wall Street Journal")]
    assert wsj.band == "reliable"
    youtube = by_domain["youtube.com"]
    assert youtube.role == "credit"
    assert [(m.start, m.end) for m in youtube.mentions] == [(3272, 3279)]
    assert youtube.rating is None
    assert set(by_domain) == {"spencerfernando.com", "wsj.com", "youtube.com"}


# ---------------------------------------------------------------- properties

_WORDS = st.sampled_from(
    [
        "the",
        "The",
        "Times",
        "Journal",
        "AP",
        "RT",
        "@user",
        "(AP)",
        "CNN",
        "Photo",
        "–",
        "told",
        "according",
        "to",
        "Reuters",
        "Wall",
        "Street",
        "Square",
        "of",
        ".",
        "\n",
        "é",
        "😀",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_mentions_always_slice_the_text_and_never_overlap(text):
    mentions = find_mentions(Document(text))
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.role in ("cited", "credit")
    spans = sorted((m.start, m.end) for m in mentions)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_lookup_answers_any_string_with_a_note_or_a_value_error(value):
    try:
        note = lookup(value)
    except ValueError as error:
        assert str(error)
    else:
        assert note.band in ("reliable", "mixed", "unreliable", "unknown")
        assert note.domain and note.site
