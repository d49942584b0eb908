"""The seed article through the API: every ``must`` item of its hand-made expectations."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_DIR

EXPECTED = json.loads((SEED_DIR / "rostec-venezuela.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_response(seed_text, redis_url):
    from server.app import create_app
    from tests.conftest import make_config

    client = create_app(make_config(redis_url=redis_url, cache_prefix="seed-test:")).test_client()
    response = client.post("/v1/annotate", json={"text": seed_text, "url": EXPECTED["url"]})
    assert response.status_code == 200
    return response.json


def overlaps(span: dict, start: int, end: int) -> bool:
    return span["start"] < end and start < span["end"]


@pytest.mark.parametrize(
    "expected", EXPECTED["quotes"]["must"], ids=lambda e: e["content"]["text"][:30]
)
def test_must_quotes_are_found_with_their_speaker(seed_response, expected):
    content = expected["content"]
    matches = [q for q in seed_response["quotes"] if overlaps(q, content["start"], content["end"])]

    def meets(quote: dict) -> bool:
        speaker = quote["speaker"] or {}
        names = {speaker.get("name"), speaker.get("mention")}
        cue_ok = "cue_any_of" not in expected or (
            quote["cue"] is not None and quote["cue"]["text"] in expected["cue_any_of"]
        )
        return (
            quote["kind"] == expected["kind"]
            and bool(names & set(expected["speaker_any_of"]))
            and cue_ok
        )

    assert matches, f"no quote overlaps {content['text']!r}"
    assert any(meets(q) for q in matches), [(q["kind"], q["speaker"], q["cue"]) for q in matches]


def test_the_wall_street_journal_quote_comes_via_wsj(seed_response):
    first = EXPECTED["quotes"]["must"][0]["content"]
    quote = next(q for q in seed_response["quotes"] if overlaps(q, first["start"], first["end"]))

    assert quote["via"] == "wsj.com"


@pytest.mark.parametrize("expected", EXPECTED["outlets"]["must"], ids=lambda e: e["domain"])
def test_must_outlets_are_noted_in_their_role(seed_response, expected):
    notes = [o for o in seed_response["outlets"] if o["domain"] == expected["domain"]]

    assert notes, f"no note for {expected['domain']}"
    assert notes[0]["role"] == expected["role"]
    if "mention" in expected:
        mention = expected["mention"]
        spans = [(m["start"], m["end"], m["text"]) for m in notes[0]["mentions"]]
        assert (mention["start"], mention["end"], mention["text"]) in spans


def test_enough_opinion_candidates_are_flagged_in_the_author_voice(seed_response):
    author = [o for o in seed_response["opinions"] if o["voice"] == "author"]
    hits = [
        c
        for c in EXPECTED["opinions"]["candidates"]
        if any(overlaps(o, c["start"], c["end"]) for o in author)
    ]

    assert len(hits) >= EXPECTED["opinions"]["must_hit_at_least"], [h["text"] for h in hits]


@pytest.mark.parametrize(
    "phrase", EXPECTED["opinions"]["should_not_flag_as_author_opinion"], ids=lambda p: p["text"]
)
def test_quoted_words_are_never_the_authors_opinion(seed_response, phrase):
    flagged = [o for o in seed_response["opinions"] if overlaps(o, phrase["start"], phrase["end"])]

    assert all(o["voice"] == "quoted" for o in flagged)
