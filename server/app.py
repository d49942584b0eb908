"""The application factory: configuration, cache, limits, metrics, API, in that order, and in
front of them the shortcut for repeated requests."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import Flask, Response, g, request
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from server import demo, limits, metrics, ops
from server.access import SECURITY_HEADERS, log_request, request_id
from server.api import blp as api_blueprint
from server.cache import Cache, create_cache
from server.config import Config
from server.errors import SidenoteApi, handle_unexpected
from server.feedback import FeedbackStore, create_store
from server.pipeline import PIPELINE_VERSION, nlp
from server.shortcut import RepeatRequests


@dataclass
class Services:
    """What views share across requests; reached through ``app.extensions["sidenote"]``."""

    config: Config
    cache: Cache
    feedback: FeedbackStore | None  # None: feedback is off


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
    cache = create_cache(config)
    app.extensions["sidenote"] = Services(
        config=config, cache=cache, feedback=create_store(config)
    )
    _log_requests(app)  # first, so its after_request hook runs last and sees the final headers

    if config.cors_origins:
        CORS(app, resources={r"/v1/*": {"origins": list(config.cors_origins)}})
    metrics.init_app(app)
    api = SidenoteApi(app)
    api.register_blueprint(api_blueprint)
    app.register_blueprint(ops.bp)
    app.register_blueprint(demo.bp)
    limiter = limits.init_app(app, config, exempt=(ops.bp.name, demo.bp.name, "metrics"))
    app.register_error_handler(Exception, handle_unexpected)
    app.wsgi_app = RepeatRequests(  # type: ignore[method-assign]
        app.wsgi_app, config=config, cache=cache, rate_limiter=lambda: limiter.limiter
    )
    if config.trusted_proxies:  # outermost, so everything behind it sees the client's address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.trusted_proxies)  # type: ignore[method-assign]
    if config.preload_model:
        nlp.load()
    return app


def _log_requests(app: Flask) -> None:
    """One line per request: id, endpoint, status, sizes, time; never the text or the URL."""

    @app.before_request
    def assign_request_id() -> None:
        g.request_id = request_id(request.headers.get("X-Request-Id", ""))
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        log_request(
            g.get("request_id", ""),
            request.method,
            str(request.endpoint),
            response.status_code,
            request.content_length or 0,
            response.content_length or 0,
            elapsed,
        )
        return response
