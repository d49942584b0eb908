"""Probes for load balancers and orchestrators: liveness, readiness."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app

from server.pipeline import nlp

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> tuple[dict[str, Any], int]:
    """Ready once the model is loaded; a failing cache degrades, it does not take us out."""
    if nlp.load.cache_info().currsize == 0:
        return {"status": "loading", "reason": "language model not loaded yet"}, 503
    cache = current_app.extensions["sidenote"].cache
    reason = cache.status()
    if reason:
        return {"status": "degraded", "reason": reason, "cache": cache.kind}, 200
    return {"status": "ready", "cache": cache.kind}, 200
