"""The application factory: configuration, cache, limits, metrics, API, in that order."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass

from flask import Flask, Response, g, request
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from server import demo, limits, metrics, ops
from server.api import blp as api_blueprint
from server.cache import Cache, create_cache
from server.config import Config
from server.errors import SidenoteApi, handle_unexpected
from server.pipeline import PIPELINE_VERSION, nlp

log = logging.getLogger("sidenote.access")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass
class Services:
    """What views share across requests; reached through ``app.extensions["sidenote"]``."""

    config: Config
    cache: Cache


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    logging.basicConfig(
        level=config.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        API_TITLE="Sidenote",
        API_VERSION=PIPELINE_VERSION,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/v1",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
    )
    if config.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.trusted_proxies)  # type: ignore[method-assign]
    app.extensions["sidenote"] = Services(config=config, cache=create_cache(config))
    _log_requests(app)  # first, so its after_request hook runs last and sees the final headers

    if config.cors_origins:
        CORS(app, resources={r"/v1/*": {"origins": list(config.cors_origins)}})
    metrics.init_app(app)
    api = SidenoteApi(app)
    api.register_blueprint(api_blueprint)
    app.register_blueprint(ops.bp)
    app.register_blueprint(demo.bp)
    limits.init_app(app, config, exempt=(ops.bp.name, demo.bp.name, "metrics"))
    app.register_error_handler(Exception, handle_unexpected)
    if config.preload_model:
        nlp.load()
    return app


def _log_requests(app: Flask) -> None:
    """One line per request: id, endpoint, status, sizes, time; never the text or the URL."""

    @app.before_request
    def assign_request_id() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        valid = incoming.isascii() and incoming.replace("-", "").isalnum() and len(incoming) <= 64
        g.request_id = incoming if valid else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        if response.status_code not in (429, 503):  # Flask-Limiter sets it on every response
            response.headers.pop("Retry-After", None)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        log.info(
            "request_id=%s method=%s endpoint=%s status=%d in=%s out=%s ms=%.1f",
            g.get("request_id"),
            request.method,
            request.endpoint,
            response.status_code,
            request.content_length or 0,
            response.content_length or 0,
            elapsed,
        )
        return response
