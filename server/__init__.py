"""Sidenote: annotates news articles with opinion phrases, quotes and outlet notes."""

from server.app import create_app

__all__ = ["create_app"]
