"""Fixtures: the app from its factory, against a real redis-server on a free loopback port.

``.ci/run`` starts one Redis for the whole run and exports ``SIDENOTE_TEST_REDIS_URL``; without
it (a developer's ``pytest``), the session starts its own. Tests that stop and start Redis get a
private server (``redis_process``) so they never disturb the shared one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.service import Redis, free_port
from server.app import create_app
from server.config import Config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_DIR = FIXTURES / "seed"
# The licensed evaluation data lies beside the CI checkout only; tests of it skip without it.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def shared_data(relative: str) -> Path:
    """A file of ``../shared/data``, or a skip naming it when this checkout has none beside it."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"needs the licensed evaluation data: {path} is not on this machine")
    return path


class RedisProcess(Redis):
    """A real redis-server on a free port that a test can stop and start again."""

    def __init__(self, password: str | None = None) -> None:
        super().__init__(free_port(), password)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis, shared by the session; each test uses its own key prefix."""
    url = os.environ.get("SIDENOTE_TEST_REDIS_URL")
    if url:
        yield url
        return
    server = RedisProcess()
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def redis_process() -> Iterator[RedisProcess]:
    server = RedisProcess()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def key_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}:"


def make_config(**overrides: object) -> Config:
    """A configuration independent of the environment the tests run in."""
    settings = {"rate_limit": "10000/minute", "redis_retry_interval": 0.2, **overrides}
    return Config.from_env({}, **settings)


@pytest.fixture
def config(redis_url: str, key_prefix: str) -> Config:
    return make_config(redis_url=redis_url, cache_prefix=key_prefix)


@pytest.fixture
def app(config: Config):
    return create_app(config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEED_DIR / "rostec-venezuela.txt").read_text(encoding="utf-8")
