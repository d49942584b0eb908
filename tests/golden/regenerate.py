"""Rewrite the golden outputs of the named analyzers (all when none is named).

    .venv/bin/python -m tests.golden.regenerate [quotes] [opinions] [outlets]

Refuses, and writes nothing, when an analyzer's output changed while its ``version`` did
not: the Redis cache would keep serving the old output under the same key for its TTL.
"""

from __future__ import annotations

import sys

from tests.golden import (
    GOLDEN_DIR,
    golden_path,
    golden_texts,
    load,
    outputs,
    record,
    serialize,
    versions,
)


def stale_versions(analyzer: str) -> list[str]:
    """The texts whose output changed under the version their golden file records."""
    stale = []
    for item in golden_texts():
        golden = load(analyzer, item)
        if (
            golden is not None
            and golden["version"] == versions()[analyzer]
            and golden["text"]["sha256"] == item.digest
            and golden["output"] != outputs(item)[analyzer]
        ):
            stale.append(item.name)
    return stale


def regenerate(analyzer: str) -> int:
    """Write every golden file of ``analyzer``; returns how many changed."""
    folder = GOLDEN_DIR / analyzer
    folder.mkdir(exist_ok=True)
    wanted = {golden_path(analyzer, item) for item in golden_texts()}
    for path in folder.glob("*.json"):
        if path not in wanted:  # a text that is no longer in the set
            path.unlink()
    changed = 0
    for item in golden_texts():
        path = golden_path(analyzer, item)
        content = serialize(record(analyzer, item))
        if not path.exists() or path.read_text("utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changed += 1
    return changed


def main(names: list[str]) -> int:
    known = versions()
    unknown = [name for name in names if name not in known]
    if unknown:
        print(f"unknown analyzer(s) {', '.join(unknown)}; known: {', '.join(known)}")
        return 2
    names = names or list(known)
    refused = {name: stale for name in names if (stale := stale_versions(name))}
    for name, stale in refused.items():
        print(
            f"{name}: output changed on {len(stale)} text(s) ({', '.join(stale[:5])}) but its "
            f"version is still {known[name]!r}; bump the analyzer's version first"
        )
    if refused:
        return 1
    for name in names:
        changed = regenerate(name)
        print(f"{name} (version {known[name]}): {changed} of {len(golden_texts())} files written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
