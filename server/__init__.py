"""Sidenote: annotates news articles with opinion phrases, quotes and outlet notes."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported lazily so `sidenote serve` can configure prometheus_client's multiprocess mode
    # before anything imports it.
    if name == "create_app":
        from server.app import create_app

        return create_app
    raise AttributeError(name)
