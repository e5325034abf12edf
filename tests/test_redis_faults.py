"""Redis gone (stopped, a wrong address, or taking calls and never answering): pages still serve,
sign-in guesses are still limited, in this process's memory, and the log says so once."""

from __future__ import annotations

import logging
import shutil
import socket
import threading

import pytest
import redis

from directory import create_app
from directory.extensions import db
from tests.people import sign_in
from tests.servers import RedisServer, free_port

# Rate limits don't depend on the database: one backend is enough.
pytestmark = pytest.mark.parametrize("template", ["sqlite"], indirect=True)

FALLBACK = "falling back to in-memory storage"
PAGES = ("/", "/search?q=housing", "/meetings", "/account/sign-in")


@pytest.fixture
def app_on(template, caplog):
    """Make an app on a fresh database whose rate limits are kept at a given storage address."""
    caplog.set_level(logging.WARNING, logger="flask-limiter")
    made = []

    def make(storage_uri: str):
        url, remove = template.copy()
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "RATELIMIT_STORAGE_URI": storage_uri})
        made.append((app, remove))
        return app

    yield make
    for app, remove in made:
        with app.app_context():
            db.engine.dispose()
        remove()


def fallback_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "flask-limiter" and FALLBACK in r.getMessage()]


def assert_serving_and_limited(app, caplog) -> None:
    client = app.test_client()
    assert [client.get(path).status_code for path in PAGES] == [200] * len(PAGES)
    tries = [sign_in(client, "staff@example.org", "a wrong guess").status_code for _ in range(6)]
    assert tries == [200] * 5 + [429], "sign-in guesses must stay limited without Redis"
    assert [client.get(path).status_code for path in PAGES] == [200] * len(PAGES)
    assert len(fallback_warnings(caplog)) == 1, "one warning, not one a request"


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_a_stopped_redis_leaves_sign_in_limited_in_memory(app_on, caplog):
    with RedisServer() as server:
        app = app_on(server.url)
        assert sign_in(app.test_client(), "someone@example.org", "a wrong guess").status_code == 200
        assert redis.Redis.from_url(server.url).keys("LIMITS*"), "the count was kept in Redis while it ran"
        assert not fallback_warnings(caplog)
        server.stop()
        assert_serving_and_limited(app, caplog)


def test_a_wrong_redis_address_leaves_sign_in_limited_in_memory(app_on, caplog):
    assert_serving_and_limited(app_on(f"redis://127.0.0.1:{free_port()}/0"), caplog)


def test_a_redis_that_never_answers_does_not_hold_requests(app_on, caplog):
    """Something takes the connection and says nothing (a hung server, a wrong port): give up quickly."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        app = app_on(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        done: list[BaseException | None] = []

        def visit() -> None:
            try:
                assert_serving_and_limited(app, caplog)
            except BaseException as exc:  # noqa: BLE001  (handed to the test's own thread below)
                done.append(exc)
            else:
                done.append(None)

        worker = threading.Thread(target=visit, daemon=True)
        worker.start()
        worker.join(timeout=20)
    assert done, "requests were still waiting on Redis after 20 s"
    if done[0] is not None:
        raise done[0]
