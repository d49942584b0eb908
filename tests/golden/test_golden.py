"""Every analyzer's output on the golden texts is the committed one (see ``tests/golden``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.golden import REGENERATE, GoldenText, golden_texts, load, outputs, versions

CASES = [
    pytest.param(analyzer, item, id=f"{analyzer}-{item.name}")
    for analyzer in versions()
    for item in golden_texts()
]


def first_difference(got: list[Any], want: list[Any]) -> str:
    for index, (new, old) in enumerate(zip(got, want, strict=False)):
        if new != old:
            keys = (
                [key for key in new if new.get(key) != old.get(key)]
                if isinstance(new, dict)
                else []
            )
            return f"span {index} differs in {keys}:\n  now:    {new}\n  golden: {old}"
    return f"{len(got)} spans now, {len(want)} in the golden file"


@pytest.mark.parametrize(("analyzer", "item"), CASES)
def test_output_is_the_golden_one(analyzer: str, item: GoldenText):
    golden = load(analyzer, item)
    version = versions()[analyzer]
    regenerate = f"{REGENERATE} {analyzer}"
    assert golden is not None, f"no golden file for {item.name}: run `{regenerate}`"
    assert golden["text"]["sha256"] == item.digest, (
        f"the text {item.name} changed since its golden file was written: run `{regenerate}`"
    )
    got = outputs(item)[analyzer]
    if got != golden["output"]:
        why = (
            f"bump {analyzer}'s version (still {version!r}, so the cache would serve the old "
            f"output), then run `{regenerate}`"
            if golden["version"] == version
            else f"if the change is intended, run `{regenerate}`"
        )
        pytest.fail(
            f"{analyzer} output on {item.name} changed: {why}\n"
            + first_difference(got, golden["output"])
        )
    assert golden["version"] == version, (
        f"same output, but the golden file records {analyzer} version {golden['version']!r} "
        f"and the code says {version!r}: run `{regenerate}`"
    )
