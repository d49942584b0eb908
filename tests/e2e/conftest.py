"""End-to-end fixtures over the harness (harness.py): the real service on the session's
Redis, the local news-page server, and one headless Chromium with the extension for the run."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import (
    SCREENSHOT_DIR,
    Browser,
    PageServer,
    launched_browser,
    running_page_server,
    running_service,
)


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    with running_page_server() as server:
        yield server


@pytest.fixture(scope="session")
def service_key_prefix() -> str:
    """The service's Redis key prefix: where the tests find what it stored (feedback)."""
    return f"e2e-{uuid.uuid4().hex[:8]}:"


@pytest.fixture(scope="session")
def service_url(
    redis_url: str, service_key_prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("service") / "service.log"
    try:
        with running_service(redis_url, log_path, service_key_prefix) as url:
            yield url
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser(service_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with launched_browser(service_url, tmp_path_factory.mktemp("chromium-profile")) as handle:
        yield handle


@pytest.fixture
def page(browser: Browser) -> Iterator[Any]:
    page = browser.context.new_page()
    yield page
    page.close()


def screenshot_path(tmp_path: Path, name: str) -> Path:
    folder = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)[:4000]
