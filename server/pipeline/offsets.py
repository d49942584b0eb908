"""Code point offsets to UTF-16 units, for clients whose strings are JavaScript strings."""

from __future__ import annotations

from itertools import accumulate
from typing import Any

_OFFSET_KEYS = ("start", "end")


def utf16_table(text: str) -> list[int]:
    """``table[i]`` is the UTF-16 length of ``text[:i]``."""
    return [0, *accumulate(2 if ord(ch) > 0xFFFF else 1 for ch in text)]


def to_utf16(body: Any, text: str) -> None:
    """Rewrite every ``start``/``end``/``fragments`` offset in the body in place."""
    if text.isascii() or all(ord(ch) <= 0xFFFF for ch in text):
        return
    table = utf16_table(text)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _OFFSET_KEYS and isinstance(value, int):
                    node[key] = table[value]
                elif key == "fragments" and isinstance(value, list):
                    node[key] = [[table[s], table[e]] for s, e in value]
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for name in ("opinions", "quotes", "outlets"):
        walk(body.get(name, []))
