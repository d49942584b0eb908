"""No analyzer's time grows faster than the text: texts built to make a careless analyzer
quadratic (runs of quotation marks, dashes, colons, capitalised words, "said", one sentence
without punctuation, nested parentheses, paragraphs of quotations) at 10,000, 50,000 and
200,000 characters.

Ratios, not times, are asserted, so a slow or busy machine does not fail the test: each size is
4 to 5 times the one before, and a time may grow at most LINEAR_SLACK times as much as the text
(a quadratic step grows 16 to 25 times; the worst step measured here, 1.5 times). Times are the
process's CPU time, which other processes on the machine barely move; a time under
FLOOR_SECONDS counts as FLOOR_SECONDS, below which timer and cache noise is larger than any
trend. ``python -m tests.pipeline.test_linear_time`` prints the figures (docs/security.md).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from itertools import pairwise

import pytest

from server.pipeline import ANALYZERS, nlp
from server.pipeline.document import Document

SIZES = (10_000, 50_000, 200_000)
LINEAR_SLACK = 2.0
FLOOR_SECONDS = 0.03


def repeated(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def nested_parentheses(size: int) -> str:
    depth = size // 4
    return ("(a " * depth + ")" * depth)[:size]


FAMILIES: dict[str, Callable[[int], str]] = {
    "straight quote runs": repeated('"' * 7 + " "),
    "curly quotes": repeated("“Yes,” “no "),
    "single quotes": repeated("'a' '"),
    "dashes": repeated("— a — "),
    "double-hyphen asides": repeated("Bob -- a man -- said -- "),
    "colons": repeated("Word: "),
    "colon lines": repeated("Here's what he said:\n"),
    "capitalised words": repeated("Senator John Smith Jones "),
    "said": repeated("said "),
    "quote, he said": repeated('"Yes," he said, '),
    "unattributed quotations": repeated('"We will not back down now." '),
    "quoted paragraphs": repeated('"We will not back down," Smith said.\n"And we never will." '),
    "one long sentence": repeated("the senator argued that the plan would hurt workers and "),
    "nested parentheses": nested_parentheses,
}


def analysis_seconds(text: str) -> dict[str, float]:
    """Each analyzer's CPU seconds on one document, run as the pipeline runs them."""
    doc = Document(text)
    seconds = {}
    for analyzer in ANALYZERS:
        # Without the collector: its full passes cost what the whole process holds (the model,
        # other tests' data), not what the analyzer does.
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            doc.memo[f"found:{analyzer.name}"] = analyzer.analyze(doc)
            seconds[analyzer.name] = time.process_time() - started
        finally:
            gc.enable()
    return seconds


def growth(make_text: Callable[[int], str]) -> dict[str, list[float]]:
    """Per analyzer, its seconds at each size."""
    by_size = [analysis_seconds(make_text(size)) for size in SIZES]
    return {name: [at[name] for at in by_size] for name in by_size[0]}


def ratios(seconds: list[float]) -> list[float]:
    """How many times the time grew from each size to the next."""
    return [max(b, FLOOR_SECONDS) / max(a, FLOOR_SECONDS) for a, b in pairwise(seconds)]


def super_linear_steps(seconds: list[float]) -> list[str]:
    """The steps between sizes where the time grew more than LINEAR_SLACK times the text."""
    return [
        f"{small}->{large} chars: {t_small:.3f}s -> {t_large:.3f}s (x{ratio:.1f})"
        for (small, large), (t_small, t_large), ratio in zip(
            pairwise(SIZES), pairwise(seconds), ratios(seconds), strict=True
        )
        if ratio > LINEAR_SLACK * large / small
    ]


def super_linear_analyzers(make_text: Callable[[int], str]) -> dict[str, list[str]]:
    return {
        name: steps
        for name, times in growth(make_text).items()
        if (steps := super_linear_steps(times))
    }


@pytest.fixture(scope="module", autouse=True)
def model_loaded() -> None:
    nlp.load()


@pytest.mark.parametrize("family", FAMILIES)
def test_analysis_time_grows_at_most_linearly_with_the_text(family):
    faster_than_text = super_linear_analyzers(FAMILIES[family])
    if faster_than_text:  # a busy moment can slow one measurement: a real trend shows twice
        faster_than_text = super_linear_analyzers(FAMILIES[family])

    assert faster_than_text == {}


def test_the_slack_would_catch_a_quadratic_step():
    quadratic = [FLOOR_SECONDS * (size / SIZES[0]) ** 2 for size in SIZES]
    linear = [FLOOR_SECONDS * size / SIZES[0] for size in SIZES]

    assert super_linear_steps(quadratic) and not super_linear_steps(linear)


if __name__ == "__main__":
    nlp.load()
    print(f"{'family':22} {'analyzer':9} " + " ".join(f"{s:>9,}" for s in SIZES) + "  ratios")
    for family, make_text in FAMILIES.items():
        for name, times in growth(make_text).items():
            cells = " ".join(f"{t:8.3f}s" for t in times)
            steps = " ".join(f"x{r:.1f}" for r in ratios(times))
            print(f"{family:22} {name:9} {cells}  {steps}")
