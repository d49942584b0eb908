"""The values the extension writes out by hand are the ones the API's OpenAPI document publishes.

The extension (``extension/content/annotations.js``) names opinion categories, the cue types that
are not speech, and the speaker types it treats specially; a value the service renames or adds
must not leave the extension drawing the wrong highlight without a failing test.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from server.pipeline.types import CueType

ROOT = Path(__file__).resolve().parents[2]
ANNOTATIONS = ROOT / "extension" / "content" / "annotations.js"
EXPORTED = (
    "const a = require('./extension/content/annotations.js');"
    "console.log(JSON.stringify({categories: a.OPINION_CATEGORIES,"
    " nonSpeechCues: [...a.NON_SPEECH_CUES]}))"
)


def published(client) -> dict[str, list[str]]:
    schemas = client.get("/v1/openapi.json").json["components"]["schemas"]
    return {
        "category": schemas["Opinion"]["properties"]["category"]["enum"],
        "cue": schemas["Cue"]["properties"]["type"]["enum"],
        "speaker": schemas["Speaker"]["properties"]["type"]["enum"],
    }


def extension_lists() -> dict[str, list[str]]:
    run = subprocess.run(
        ["node", "-e", EXPORTED], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


def test_the_extension_lists_every_published_opinion_category(client):
    """The panel groups opinions by its own list: a category missing there is never shown."""
    categories = extension_lists()["categories"]
    assert len(categories) == len(set(categories))
    assert set(categories) == set(published(client)["category"])


def test_every_published_cue_type_is_speech_or_one_the_extension_shows_apart(client):
    """A new cue type fails here until the extension decides which highlight it gets."""
    non_speech = extension_lists()["nonSpeechCues"]
    cue_types = published(client)["cue"]
    assert set(non_speech) <= set(cue_types)
    assert set(cue_types) - set(non_speech) == {CueType.SPEECH, CueType.WRITING}


def test_the_speaker_types_the_extension_names_are_published(client):
    source = ANNOTATIONS.read_text(encoding="utf-8")
    compared = re.findall(r'speaker\.type\s*[!=]==\s*"([^"]+)"', source)
    fallback = re.findall(r'speakerType:[^\n]*:\s*"([^"]+)"', source)
    named = set(compared + fallback)
    assert named >= {"anonymous", "unknown"}  # the scan still finds what the extension names
    assert named <= set(published(client)["speaker"])
