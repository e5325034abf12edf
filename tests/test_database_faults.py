"""The database restarted under load, or down: kind 503s meanwhile, pages again within seconds, nothing half-written.

Every server here is real and the test's own (tests/servers.py), on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import select, text

from directory import create_app
from directory.extensions import db
from directory.models import Feedback, Service
from tests.databases import build_database
from tests.forms import TOKEN
from tests.servers import PostgresServer, postgres_missing, serving

TROUBLE = "having trouble"
# A page, or a report sent (Post/Redirect/Get to its thank-you page).
ANSWERED = (200, 303)
RECOVERY_LIMIT = 5.0


@dataclass(frozen=True)
class Outcome:
    started: float
    ended: float
    status: int
    path: str
    body: str


def _request(base: str, method: str, path: str, body: str = "", headers: dict | None = None) -> tuple[int, str]:
    """Status and page; status 0 when the app server itself did not answer (that fails the test too)."""
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError as exc:
        return 0, repr(exc)
    finally:
        conn.close()


class Load:
    """A few visitors reading, and one sending reports, until told to stop: bounded in count and time."""

    MAX_PER_THREAD = 400
    MAX_SECONDS = 40.0

    def __init__(self, base: str, reads: list[str], slug: str) -> None:
        self.base, self.reads, self.slug = base, reads, slug
        self.outcomes: list[Outcome] = []
        self.writes: dict[str, int] = {}  # message -> status
        self.form = ("", "")  # CSRF token, session cookie
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._read, args=(path,)) for path in reads]
        self.threads.append(threading.Thread(target=self._write))

    def _record(self, started: float, status: int, path: str, body: str) -> None:
        with self.lock:
            self.outcomes.append(Outcome(started, time.monotonic(), status, path, body))

    def _loop(self):
        deadline = time.monotonic() + self.MAX_SECONDS
        for n in range(self.MAX_PER_THREAD):
            if self.stopping.is_set() or time.monotonic() > deadline:
                return
            yield n
            time.sleep(0.03)

    def _read(self, path: str) -> None:
        for _ in self._loop():
            started = time.monotonic()
            status, body = _request(self.base, "GET", path)
            self._record(started, status, path, body)

    def _write(self) -> None:
        """The public "report a problem" form, from a new address each time (so its rate limit stays out of it)."""
        path = f"/services/{self.slug}/report-a-problem"
        token, cookie = self.form
        for n in self._loop():
            message = f"fault test report number {n}: the phone number is out of date"
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                       "X-Forwarded-For": f"10.9.{n // 250}.{n % 250 + 1}"}
            started = time.monotonic()
            status, body = _request(self.base, "POST", path, urlencode({"csrf_token": token, "message": message}), headers)
            self.writes[message] = status
            self._record(started, status, path, body)

    def _form_token(self, path: str) -> tuple[str, str]:
        """The form's CSRF token and the session cookie it belongs with, as a browser keeps them."""
        conn = http.client.HTTPConnection(urlsplit(self.base).netloc, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            page = response.read().decode()
            cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
        finally:
            conn.close()
        match = TOKEN.search(page)
        assert response.status == 200 and match and cookie
        return match.group(1) or match.group(2), cookie

    def start(self) -> None:
        """Each page once (the first request of a page does one-off work), then everyone at once."""
        for path in self.reads:
            assert _request(self.base, "GET", path)[0] == 200
        self.form = self._form_token(f"/services/{self.slug}/report-a-problem")
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def first_ok_after(self, moment: float) -> Outcome | None:
        with self.lock:
            return min((o for o in self.outcomes if o.started >= moment and o.status in ANSWERED),
                       key=lambda o: o.ended, default=None)


@pytest.fixture(scope="module")
def postgres():
    reason = postgres_missing()
    if reason:
        pytest.skip(reason)
    with PostgresServer() as server:
        server.site_url = server.create_database("directory")
        build_database(server.site_url)
        yield server


@pytest.fixture
def site(postgres):
    """The app on the private server, with a published service's slug; the server is left running."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": postgres.site_url, "SECRET_KEY": "faults", "PROXY_COUNT": 1})
    with app.app_context():
        slug = db.session.scalars(select(Service.slug).where(Service.status == "published").order_by(Service.id)).first()
        db.session.remove()
    yield app, slug
    with app.app_context():
        db.engine.dispose()


def test_the_site_rides_out_a_database_restart_under_load(postgres, site):
    app, slug = site
    with serving(app) as base:
        load = Load(base, [f"/services/{slug}", "/search?q=housing", "/meetings"], slug)
        load.start()
        try:
            time.sleep(1.0)
            down = time.monotonic()
            postgres.stop()
            stopped = time.monotonic()
            time.sleep(1.5)
            starting = time.monotonic()
            postgres.start()
            up = time.monotonic()
            while load.first_ok_after(up) is None and time.monotonic() < up + RECOVERY_LIMIT + 1:
                time.sleep(0.05)
            time.sleep(1.5)
        finally:
            load.stop()
    with app.app_context():
        landed = db.session.scalars(select(Feedback.message).where(Feedback.message.like("fault test report%"))).all()
        db.session.remove()

    outcomes = sorted(load.outcomes, key=lambda o: o.started)
    first_ok = load.first_ok_after(up)
    during = [o for o in outcomes if stopped < o.started and o.ended < starting]
    print(f"\n{len(outcomes)} requests; outage {up - down:.1f} s: statuses {sorted({o.status for o in during})}; "
          f"answered 200 again {first_ok.ended - up if first_ok else float('nan'):.2f} s after the database came back; "
          f"{len(landed)} of {len(load.writes)} reports landed")

    assert all(o.status in ANSWERED for o in outcomes if o.ended < down), "not steady before the restart"
    assert during and all(o.status == 503 and TROUBLE in o.body for o in during), {o.status for o in during}
    assert not [o for o in outcomes if o.status not in (*ANSWERED, 503)], "a raw error, not the kind 503 page"
    assert first_ok is not None and first_ok.ended - up < RECOVERY_LIMIT
    stale = [(o.path, o.status) for o in outcomes if o.started > first_ok.ended and o.status not in ANSWERED]
    assert not stale, f"stale connections after recovery: {stale}"
    # Each report lands whole or not at all: every one thanked for is kept, once; none appears from nowhere.
    assert len(landed) == len(set(landed))
    assert {m for m, status in load.writes.items() if status == 303} <= set(landed) <= set(load.writes)


def test_after_a_restart_while_idle_the_first_visitors_get_their_pages(postgres, site):
    """The pool's connections died with the old server: each is checked before use (pool_pre_ping)."""
    app, slug = site
    client = app.test_client()
    paths = [f"/services/{slug}", "/search?q=housing", "/meetings", "/api/v1/services?category=housing"]
    assert [client.get(path).status_code for path in paths] == [200] * len(paths)
    postgres.stop()
    postgres.start()
    assert [client.get(path).status_code for path in paths] == [200] * len(paths)


def test_a_page_made_before_the_database_went_away_is_still_sent(postgres, site):
    """Closing the request's session rolls back on a connection the database has ended: that must not
    turn the finished page into a raw 500."""
    app, _ = site

    def made_then_lost() -> str:
        db.session.execute(text("SELECT 1"))
        postgres.stop()
        return "made before the database went away"

    app.add_url_rule("/faults/made-then-lost", view_func=made_then_lost)
    try:
        response = app.test_client().get("/faults/made-then-lost")
    finally:
        postgres.start()
    assert response.status_code == 200 and response.text == "made before the database went away"


def test_while_the_database_is_down_pages_and_the_api_say_so_kindly(postgres, site):
    app, slug = site
    client = app.test_client()
    postgres.stop()
    try:
        page, api, health = client.get(f"/services/{slug}"), client.get("/api/v1/services"), client.get("/healthz")
    finally:
        postgres.start()
    assert page.status_code == 503 and TROUBLE in page.text and "Exit this page" in page.text
    assert page.headers["Retry-After"] == "30"
    assert api.status_code == 503 and api.json["error"]["status"] == 503
    assert health.status_code == 503
