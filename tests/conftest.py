"""Fixtures shared by the API and browser tests: an app, a client, a live server and Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.chromium import ARGS as CHROMIUM_ARGS
from tests.chromium import find_chromium

AXE_PATH = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def require_tool(available: bool, what: str) -> None:
    """Skip when a system tool is missing on a developer machine; fail under CI."""
    if available:
        return
    message = f"{what} is not installed (run `bash tools/ensure_test_tools.sh` as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def app(tmp_path: Path):
    return create_app({"TESTING": True, "UPLOAD_FOLDER": str(tmp_path / "uploads")})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on a free loopback port for the browser tests; yields its base URL."""
    uploads = tmp_path_factory.mktemp("live-uploads")
    server = make_server("127.0.0.1", 0, create_app({"UPLOAD_FOLDER": str(uploads)}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def playwright_session():
    """The one Playwright driver of the test session (the sync API allows one at a time in a thread)."""
    require_tool(find_chromium() is not None, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    browser = playwright_session.chromium.launch(executable_path=find_chromium(), args=list(CHROMIUM_ARGS))
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    require_tool(AXE_PATH.exists(), "axe-core (npm ci)")
    return AXE_PATH.read_text()
