"""The ``sidenote`` command, run as a user runs it."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from types import SimpleNamespace

import pytest

from server.cli import replace_when_large

TEXT = "The minister said the plan “will change everything for the better,” according to Reuters."


def sidenote(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_annotate_prints_the_response_for_a_file(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")

    result = sidenote("annotate", str(article), "--url", "https://example.com/x")

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["summary"]["words"] == 14
    assert body["outlets"][0]["role"] == "page"
    assert all(TEXT[q["start"] : q["end"]] == q["text"] for q in body["quotes"])


def test_annotate_jsonl_writes_one_line_per_record_and_keeps_going_past_bad_ones():
    lines = [
        json.dumps({"id": "a1", "text": TEXT}),
        "this is not json",
        json.dumps({"id": "a3", "text": "  "}),
        json.dumps({"id": "a4", "text": TEXT, "url": "https://example.org/p"}),
    ]

    result = sidenote("annotate", "--jsonl", "-", stdin="\n".join(lines) + "\n")

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a1", 2, "a3", "a4"]
    assert "summary" in records[0] and "summary" in records[3]
    assert "text" in records[2]["error"]
    assert result.returncode == 1
    assert "\r" not in result.stderr  # no progress bar when nobody watches


def test_annotate_jsonl_in_several_processes_gives_the_same_lines_in_input_order():
    texts = [TEXT, "not json", TEXT.replace("minister", "mayor"), "  ", TEXT.upper()] * 3
    lines = [
        t if t == "not json" else json.dumps({"id": f"r{k}", "text": t})
        for k, t in enumerate(texts)
    ]
    stdin = "\n".join(lines) + "\n"

    alone = sidenote("annotate", "--jsonl", "-", stdin=stdin)
    together = sidenote("annotate", "--jsonl", "-", "--jobs", "3", stdin=stdin)

    assert together.returncode == alone.returncode == 1
    assert together.stdout == alone.stdout
    assert len(together.stdout.splitlines()) == len(lines)


def test_annotate_rejects_an_empty_file_naming_the_field(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")

    result = sidenote("annotate", str(empty))

    assert result.returncode == 2
    assert "text" in json.loads(result.stderr)["error"]


def test_config_lists_every_setting():
    result = sidenote("config")

    assert "REDIS_URL" in result.stdout and "SIDENOTE_CACHE_TTL" in result.stdout


@pytest.mark.parametrize(("max_mb", "replaced"), [(1, True), (1_000_000, False)])
def test_a_worker_is_replaced_only_once_its_memory_passed_the_limit(max_mb, replaced):
    worker = SimpleNamespace(alive=True, pid=1, log=logging.getLogger("test"))

    replace_when_large(max_mb)(worker, None, {}, None)

    assert worker.alive is not replaced
