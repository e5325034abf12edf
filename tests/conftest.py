"""Fixtures: an app on a fresh, seeded database per test, on SQLite and (when set) PostgreSQL."""

from __future__ import annotations

import pytest
from flask import g

from directory import create_app
from directory.extensions import db
from tests.clock import pinned, travel
from tests.databases import Template, backends


def pytest_configure(config) -> None:
    """Pin the clock for the whole run (templates and live servers too), before any fixture."""
    config._pinned_clock = travel()
    config._pinned_clock.start()


def pytest_unconfigure(config) -> None:
    if getattr(config, "_pinned_clock", None) is not None:
        config._pinned_clock.stop()


def pytest_report_header(config) -> str:
    return f"clock pinned to {pinned().isoformat()} (DIRECTORY_TEST_NOW)"


@pytest.fixture(autouse=True)
def _clock_at_pinned_instant():
    """Each test starts at the pinned instant, however long the tests before it took."""
    with travel():
        yield


@pytest.fixture(scope="session", params=backends())
def template(request, tmp_path_factory) -> Template:
    tmpl = Template(request.param, tmp_path_factory.mktemp(f"db-{request.param}"))
    tmpl.build()
    return tmpl


def _empty_g() -> None:
    vars(g._get_current_object()).clear()


@pytest.fixture
def app(template):
    url, remove = template.copy()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "test"})
    # The test holds one app context for direct database access; each request must
    # still start with an empty `g` (CSRF token, CSP nonce, signed-in user), as in production.
    app.before_request_funcs.setdefault(None, []).insert(0, _empty_g)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def pytest_terminal_summary(terminalreporter) -> None:
    """The role fuzzer's table: requests and refusals per route (tests/test_fuzz_roles.py)."""
    from tests.fuzz.tally import TALLY

    if TALLY.total():
        terminalreporter.section("role fuzzer: requests per route")
        for line in TALLY.table():
            terminalreporter.write_line(line)
