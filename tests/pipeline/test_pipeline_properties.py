"""The whole pipeline on hostile text: never an exception, offsets in bounds and consistent."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.pipeline import annotate, without_lone_surrogates

SPAN_LISTS = ("opinions", "quotes")


def spans(body: dict) -> list[dict]:
    """Every offset-bearing span in a response: opinions, quotes with speakers and cues,
    outlet mentions."""
    found = [*body["opinions"]]
    for quote in body["quotes"]:
        found.append(quote)
        for part in ("speaker", "cue"):
            if quote[part]:
                found.append(
                    {**quote[part], "text": quote[part].get("text", quote[part].get("mention"))}
                )
    for outlet in body["outlets"]:
        found.extend(outlet["mentions"])
    return found


def check_offsets(raw: str) -> None:
    codepoint = annotate(raw, url="https://example.com/a")
    utf16 = annotate(raw, url="https://example.com/a", offset_unit="utf16")
    text = without_lone_surrogates(raw)  # what annotate() reads; no offset moves
    units = text.encode("utf-16-le", "surrogatepass")

    for span in spans(codepoint):
        assert 0 <= span["start"] <= span["end"] <= len(text)
        assert text[span["start"] : span["end"]] == span["text"]
    for span in spans(utf16):
        sliced = units[2 * span["start"] : 2 * span["end"]].decode("utf-16-le", "surrogatepass")
        assert sliced == span["text"]
    for quote in codepoint["quotes"]:
        for start, end in quote["fragments"]:
            assert quote["start"] <= start <= end <= quote["end"]
    assert annotate(raw, url="https://example.com/a") == codepoint, "output must be deterministic"


# News-like pieces, so generated texts reach the quote and cue logic, not only odd characters.
NEWSY = st.lists(
    st.sampled_from(
        [
            *"abcdefghij KLMNOP.,;:!?'\"“”‘’«»—–-\n()",
            " said ",
            " he ",
            " told CNN ",
            " according to the Times ",
            " appears to be ",
            " disaster ",
            "\n\n",
        ]
    ),
    max_size=80,
).map("".join)


@given(text=st.one_of(st.text(max_size=300), NEWSY))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_gives_spans_within_bounds_in_both_units(text):
    check_offsets(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("He said “" + "😀" * 50 + " shocking news” today.", id="emoji"),
        pytest.param("e\u0301 \u0301\u0301 “cafe\u0301 disaster,” she said.", id="combining_marks"),
        pytest.param(
            "قال الوزير “هذا كارثي” amid a \u202eshocking\u202c crisis.", id="right_to_left"
        ),
        pytest.param(
            "It\u200b appears\u200d to\ufeff be “a dis\u200baster,” he said.", id="zero_width"
        ),
        pytest.param(
            "Tabs\tand\x00nulls\x07 “and \x1b[31m escapes” said\x7f he.", id="control_chars"
        ),
        pytest.param(
            "A \ud800 lone “high \udfff and low” surrogate, he said.", id="lone_surrogates"
        ),
        pytest.param("a" * 200_000, id="one_character_200k"),
        pytest.param('"' * 5000, id="thousands_of_straight_quotes"),
        pytest.param("“" * 3000 + "”" * 3000, id="thousands_of_curly_quotes"),
        pytest.param("“He said, " * 2000, id="unclosed_quotes_repeated"),
        pytest.param("word," * 20_000, id="no_spaces"),
        pytest.param("\n" * 10_000, id="only_newlines"),
    ],
)
def test_pathological_texts(text):
    check_offsets(text)
