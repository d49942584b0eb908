"""The demo page at ``/`` (placeholder until the extension's modules serve it; issue 6)."""

from flask import Blueprint

bp = Blueprint("demo", __name__)


@bp.get("/")
def index() -> tuple[str, int, dict[str, str]]:
    return "<!doctype html><title>Sidenote</title><p>Sidenote annotation service.</p>", 200, {
        "Content-Type": "text/html; charset=utf-8"
    }
