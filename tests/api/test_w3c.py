"""The W3C Web Annotation export: content negotiation, the data model's terms as a JSON-LD
processor reads them (offline, with the shipped context), and selectors that re-anchor."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from pyld import jsonld

from server.api import w3c
from tests.conftest import SEED_DIR

W3C = {"Accept": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'}
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
SN = "urn:sidenote:terms:"
SEED_TEXT = (SEED_DIR / "rostec-venezuela.txt").read_text(encoding="utf-8")
SEED_URL = json.loads((SEED_DIR / "rostec-venezuela.expected.json").read_text())["url"]


@pytest.fixture(scope="module")
def seed_export():
    from server.app import create_app
    from tests.conftest import make_config

    client = create_app(make_config()).test_client()
    response = client.post("/v1/annotate", json={"text": SEED_TEXT, "url": SEED_URL}, headers=W3C)
    assert response.status_code == 200
    return response


def expand(document):
    return jsonld.expand(document, {"documentLoader": w3c.document_loader})


def test_the_export_is_sent_only_when_asked_for(client):
    plain = client.post("/v1/annotate", json={"text": "They said it was fine."})
    assert plain.content_type == "application/json"
    assert "items" not in plain.json
    exported = client.post("/v1/annotate", json={"text": "They said it was fine."}, headers=W3C)
    assert exported.content_type == W3C["Accept"]
    assert exported.json["type"] == "AnnotationPage"
    assert "Accept" in plain.headers["Vary"] and "Accept" in exported.headers["Vary"]


def test_a_repeated_request_asking_for_the_export_is_not_answered_as_json(client):
    body = {"text": "The mayor said the plan was a disaster."}
    for _ in range(3):  # the third identical JSON request is the shortcut's to answer
        assert client.post("/v1/annotate", json=body).json["cached"] in (False, True)
    exported = client.post("/v1/annotate", json=body, headers=W3C)
    assert exported.json["type"] == "AnnotationPage"


def test_every_annotation_reads_as_the_web_annotation_model(seed_export):
    page = seed_export.json
    expanded = expand(page)
    (expanded_page,) = expanded
    assert expanded_page["@type"] == [AS + "OrderedCollectionPage"]
    items = expanded_page[AS + "items"]
    annotations = items[0]["@list"]
    assert len(annotations) == len(page["items"]) > 10
    motivations = set()
    for annotation in annotations:
        assert annotation["@type"] == [OA + "Annotation"]
        assert annotation["@id"].startswith("urn:uuid:")
        (motivation,) = annotation[OA + "motivatedBy"]
        motivations.add(motivation["@id"])
        (body,) = annotation[OA + "hasBody"]
        assert body["@type"] == [OA + "TextualBody"]
        assert body["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"][0]["@value"]
        (generator,) = annotation[AS + "generator"]
        assert generator["http://xmlns.com/foaf/0.1/name"][0]["@value"].startswith("Sidenote ")
        for target in annotation[OA + "hasTarget"]:
            if "@type" not in target:  # the page's own outlet: the whole page
                assert target["@id"] == SEED_URL
                continue
            assert target[OA + "hasSource"] == [{"@id": SEED_URL}]
            kinds = {selector["@type"][0] for selector in target[OA + "hasSelector"]}
            assert kinds == {OA + "TextQuoteSelector", OA + "TextPositionSelector"}
    assert motivations == {OA + "highlighting", OA + "describing", OA + "assessing"}


def test_no_term_is_lost_to_a_json_ld_processor(seed_export):
    """Compacting the expanded export with its own context gives it back: every key is a term."""
    page = seed_export.json
    compacted = jsonld.compact(
        expand(page), {"@context": page["@context"]}, {"documentLoader": w3c.document_loader}
    )
    compacted.pop("@context")
    assert compacted == {key: value for key, value in page.items() if key != "@context"}


def test_sidenote_terms_expand_into_their_namespace(seed_export):
    (expanded_page,) = expand(seed_export.json)
    flat = json.dumps(expanded_page)
    for term in ("category", "voice", "speaker", "cue", "viaOutlet", "band", "pipelineVersion"):
        assert f'"{SN}{term}"' in flat, term


def test_every_quote_selector_reanchors_where_its_position_selector_points(seed_export):
    for annotation in seed_export.json["items"]:
        targets = annotation["target"]
        for target in targets if isinstance(targets, list) else [targets]:
            if isinstance(target, str):
                continue
            quote, position = target["selector"]
            assert quote_offset(SEED_TEXT, quote) == position["start"]
            assert position["end"] - position["start"] == len(quote["exact"])
            assert len(quote["prefix"]) <= w3c.CONTEXT_CHARS >= len(quote["suffix"])


def quote_offset(text: str, quote: dict[str, str]) -> int:
    """Where a TextQuoteSelector lands: the one place its prefix, exact and suffix all match."""
    whole = quote["prefix"] + quote["exact"] + quote["suffix"]
    found = [i for i in range(len(text)) if text.startswith(whole, i)]
    assert len(found) == 1, quote
    return found[0] + len(quote["prefix"])


def test_positions_are_code_points_even_when_utf16_was_asked(client):
    text = "🎉🎉 Officials said the results were a disaster."
    body = {"text": text, "offset_unit": "utf16"}
    page = client.post("/v1/annotate", json=body, headers=W3C).json
    quotes = [a for a in page["items"] if a["motivation"] == "describing"]
    assert quotes
    quote, position = quotes[0]["target"]["selector"]
    assert text[position["start"] : position["end"]] == quote["exact"]


def test_a_text_without_url_is_named_by_its_hash(client):
    text = "Critics said the deal was a giveaway."
    page = client.post("/v1/annotate", json={"text": text}, headers=W3C).json
    source = "urn:sha256:" + hashlib.sha256(text.encode()).hexdigest()
    assert page["items"]
    assert all(a["target"]["source"] == source for a in page["items"])


def test_the_openapi_document_describes_the_export(client):
    spec = client.get("/v1/openapi.json").json
    content = spec["paths"]["/v1/annotate"]["post"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", W3C["Accept"]}


def test_the_command_line_exports_jsonl_pages_named_by_their_input(tmp_path):
    lines = tmp_path / "in.jsonl"
    lines.write_text(
        json.dumps({"id": "a-1", "text": "The mayor said the plan was a disaster."}) + "\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "server", "annotate", "--jsonl", str(lines), "--format", "w3c"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (page,) = [json.loads(line) for line in out.splitlines()]
    assert list(page)[:2] == ["@context", "inputId"] and page["inputId"] == "a-1"
    assert page["type"] == "AnnotationPage" and page["items"]
    assert expand(page)[0][SN + "inputId"] == [{"@value": "a-1"}]
