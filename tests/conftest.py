"""Fixtures: an app on a fresh, seeded database per test, on SQLite and (when set) PostgreSQL.

App contexts are pushed narrowly: the app fixture pushes none, so every request and command
runs in its own, as in production; a test pushes one only around the lines that work on rows.
"""

from __future__ import annotations

import pytest
from flask import g, request

from directory import create_app
from directory.extensions import db
from directory.mail import sending
from tests.support import factories
from tests.support.clock import pinned, travel
from tests.support.commands import CommandRunner
from tests.support.databases import Template, backends

# Fixtures that live with their helpers, registered once for every test.
pytest_plugins = ["tests.support.people", "tests.support.mailbox"]


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


@pytest.fixture(autouse=True)
def _rows_numbered_from_zero():
    factories.reset_sequences()


@pytest.fixture
def app(template, tmp_path):
    """An app on a private copy of the seeded database, with no app context pushed: each
    request and CLI command pushes its own, as in production. A test that reads or writes
    rows itself does so inside `with app.app_context():`, or asks for `database`."""
    url, remove = template.copy()
    # No mail server: messages are written as files in the test's own folder, never in instance/.
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "test",
                      "MAIL_FILE_PATH": str(tmp_path / "outbox")})
    # As in production, each request starts with an empty `g` (CSRF token, CSP nonce,
    # signed-in user), even inside an app context a test pushed.
    app.before_request_funcs.setdefault(None, []).insert(0, _empty_g)
    yield app
    sending.wait_for_senders()  # mail a request began sending, before its database goes
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    remove()


@pytest.fixture
def database(app):
    """`db.session`, in an app context held for the whole test: for tests that work on rows and
    call domain functions, and make no requests (a request would share the test's context and
    session, which no request does in production; such a test fails here)."""
    requested: list[str] = []
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: requested.append(request.path))
    with app.app_context():
        yield db.session
    assert not requested, (f"requests made while the test held `database`: {requested}; work on rows in "
                           "`with app.app_context():` blocks between requests instead")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return CommandRunner(app)


def pytest_terminal_summary(terminalreporter) -> None:
    """The role fuzzer's table: requests and refusals per route (tests/test_fuzz_roles.py)."""
    from tests.fuzz.tally import TALLY

    if TALLY.total():
        terminalreporter.section("role fuzzer: requests per route")
        for line in TALLY.table():
            terminalreporter.write_line(line)
