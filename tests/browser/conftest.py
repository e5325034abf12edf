"""Real headless Chromium (Debian's package) driven by Playwright, against a live local server.

Every request that is not to this machine is refused, so a page that needs the
internet fails here as it would for a person on a bad connection.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from directory import create_app
from directory.extensions import db
from directory.mail import sending
from tests.support.databases import Template

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"browser tests need Debian's chromium at {CHROMIUM}; it is not installed")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@contextmanager
def served(tmp_path_factory, name: str, prepare=None):
    """A live site on its own fresh seeded database; `prepare(app)` runs first, inside an app context."""
    template = Template("sqlite", tmp_path_factory.mktemp(name))
    template.build()
    url, remove = template.copy()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "browser-tests"})
    extra = None
    if prepare is not None:
        with app.app_context():
            extra = prepare(app)
            db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", extra
    finally:
        server.shutdown()
        sending.wait_for_senders()
        remove()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    with served(tmp_path_factory, "browser-db") as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _local_only(route):
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    context.route("**/*", _local_only)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    context.route("**/*", _local_only)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
