"""The demo page at ``/``: paste an article, see the extension's highlights and panel.

The page runs the extension's own modules (served from ``extension/`` as they are, not
copied) against this service, so reviewers can try Sidenote without installing anything.
Everything is same-origin static files, as the service's Content-Security-Policy requires.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory

bp = Blueprint("demo", __name__)

EXTENSION_DIR = Path(__file__).resolve().parent.parent / "extension"

# Only what the page loads: the extension's options, background and manifest stay private.
SHARED_FILES = frozenset(
    {
        "content/anchoring.js",
        "content/annotations.js",
        "content/highlighter.js",
        "content/panel.js",
        "content/session.js",
        "content/highlight.css",
        "content/panel.css",
        "icons/icon-32.png",
    }
)


@bp.get("/")
def index() -> Response:
    return current_app.send_static_file("demo.html")


@bp.get("/extension/<path:name>")
def extension_file(name: str) -> Response:
    """One of the extension's page modules; 404 for anything else."""
    if name not in SHARED_FILES or not (EXTENSION_DIR / name).is_file():
        abort(404)
    return send_from_directory(EXTENSION_DIR, name, max_age=300)
