"""Two app servers (gunicorn, the production settings) behind HAProxy, sharing PostgreSQL and
Redis: a visitor's and a facilitator's journey, each request answered by the other server from
the one before, with every step as on one server."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from directory import create_app
from directory.extensions import db
from directory.models import Schedule, Service
from tests.bench.servers import GunicornSettings, Server
from tests.support.balancer import HAPROXY, HAProxy
from tests.support.factories import PASSWORD, UserFactory, snapshot
from tests.support.forms import TOKEN
from tests.support.servers import RedisServer

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="several servers share PostgreSQL: TEST_DATABASE_URL is not set"),
    pytest.mark.skipif(HAPROXY is None, reason="haproxy is not installed (Debian's package: apt-get install haproxy)"),
    pytest.mark.parametrize("template", ["postgresql"], indirect=True),
]
SERVICE_LINK = re.compile(r'href="/services/([a-z0-9-]+)"')


class Browser:
    """A visitor's browser (its own cookies) through the balancer; every answer's server is noted in `served`."""

    def __init__(self, base: str, served: list[str]) -> None:
        self.base, self.served, self.http = base, served, requests.Session()

    def get(self, path: str, **headers: str) -> requests.Response:
        return self._noted(self.http.get(self.base + path, headers=headers, allow_redirects=False, timeout=30))

    def token(self, path: str) -> str:
        """The CSRF token on the page at path, as a browser would have it from the form."""
        match = TOKEN.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1) or match.group(2)

    def post(self, path: str, data: dict, token_from: str = "", token: str = "") -> requests.Response:
        """Post as a browser would, with the token given or the one page token_from gives (on the other server);
        with neither, no token (adding to the list needs none: it is checked as same-site instead)."""
        if token or token_from:
            data = {"csrf_token": token or self.token(token_from), **data}
        return self._noted(self.http.post(self.base + path, data=data, allow_redirects=False, timeout=30))

    def _noted(self, response: requests.Response) -> requests.Response:
        self.served.append(response.headers["X-Served-By"])
        return response


@pytest.fixture
def site(template, tmp_path):
    """The balancer's URL, the facilitator's email and their service (a snapshot); the list of which server answered."""
    url, remove = template.copy()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    with app.app_context():
        service = db.session.scalars(select(Service).join(Service.schedules).where(
            Service.status == "published", Schedule.kind == "session").order_by(Service.id)).first()
        email = UserFactory(email="facilitator@example.org", name="Ash", services=[service]).email
        service = snapshot(service)
        db.engine.dispose()
    with ExitStack() as stack:
        redis_url = stack.enter_context(RedisServer()).url if shutil.which("redis-server") else "redis://127.0.0.1:6379/0"
        # One secret key, database and Redis for both; the balancer's X-Forwarded-For trusted.
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": uuid.uuid4().hex,
               "DIRECTORY_PROXY_COUNT": "1", "DIRECTORY_MAIL_FILE_PATH": str(tmp_path / "outbox")}
        servers = [stack.enter_context(Server(name, "tests.support.pinned_app:create_app()", GunicornSettings(workers=1),
                                              env, tmp_path, ROOT)) for name in ("one", "two")]
        for server in servers:
            server.wait_ready("/healthz")
        balancer = stack.enter_context(HAProxy({s.name: s.port for s in servers}))
        yield balancer.url, email, service
    remove()


def test_a_visitor_and_a_facilitator_get_every_step_right_with_each_request_on_the_other_server(site):
    base, email, service = site
    served: list[str] = []
    visitor, facilitator = Browser(base, served), Browser(base, served)

    # Search, then add the first service found to the list, and share it.
    near = visitor.get("/search?near=Bolton&radius=10")
    assert near.status_code == 200 and SERVICE_LINK.search(near.text)
    words = visitor.get("/search?q=support")
    found = SERVICE_LINK.search(words.text).group(1)
    added = visitor.post("/list/add", {"service_id": str(service.id), "next": f"/services/{found}"})
    assert added.status_code == 303
    assert f"/services/{service.slug}" in visitor.get("/list").text, "the list made on one server is read on the other"
    shared = visitor.post("/list/share", {}, "/list")
    assert shared.status_code == 303
    assert f"/services/{service.slug}" in visitor.get(shared.headers["Location"]).text

    # A calendar app's feed: one ETag whichever server answers, and a 304 from either.
    feed = f"/services/{service.slug}.ics"
    first, second = visitor.get(feed), visitor.get(feed)
    assert first.status_code == second.status_code == 200 and first.headers["ETag"] == second.headers["ETag"]
    assert [visitor.get(feed, **{"If-None-Match": first.headers["ETag"]}).status_code for _ in range(2)] == [304, 304]

    # The facilitator signs in on one server and changes their listing on the other.
    signed_in = facilitator.post("/account/sign-in", {"email": email, "password": PASSWORD}, "/account/sign-in")
    assert signed_in.status_code == 302
    assert "Ash" in facilitator.get("/manage/").text
    manage = f"/manage/services/{service.id}"
    assert facilitator.post(f"{manage}/spaces", {"spaces": "full"}, manage).status_code == 302
    assert "Full at the moment" in visitor.get(f"/services/{service.slug}").text
    changed = [visitor.get(feed, **{"If-None-Match": first.headers["ETag"]}) for _ in range(2)]
    assert [r.status_code for r in changed] == [200, 200], "the change reaches calendar apps from both servers"
    assert changed[0].headers["ETag"] == changed[1].headers["ETag"] != first.headers["ETag"]

    # Sign-in guesses at one account, posted to each server in turn, are counted across both (in
    # Redis): the sixth is refused, where each server alone has seen only three.
    guessed, token = f"someone.{uuid.uuid4().hex[:8]}@example.org", visitor.token("/account/sign-in")
    tries = [visitor.post("/account/sign-in", {"email": guessed, "password": "a wrong guess"}, token=token)
             for _ in range(6)]
    assert [r.status_code for r in tries] == [200] * 5 + [429]
    assert {served[-6:][i] for i in (0, 2, 4)} != {served[-6:][i] for i in (1, 3, 5)}

    assert set(served) == {"one", "two"} and all(a != b for a, b in pairwise(served)), served
