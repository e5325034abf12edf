"""Running behind a load balancer, with several workers: what an operator relies on."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from directory import create_app
from directory.extensions import db
from directory.models import Schedule, Service
from tests.support.clock import pinned, travel
from tests.support.factories import snapshot
from tests.support.forms import post


def test_workers_without_a_secret_key_setting_share_one_kept_key(template, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    url, remove = template.copy()
    first = create_app({"SQLALCHEMY_DATABASE_URI": url})
    second = create_app({"SQLALCHEMY_DATABASE_URI": url})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 64
    remove()


def test_behind_a_proxy_visitors_get_https_links_and_hsts(template):
    url, remove = template.copy()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PROXY_COUNT": 1, "SECRET_KEY": "test"})
    response = app.test_client().get(
        "/services/does-not-matter.ics", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert "Strict-Transport-Security" in response.headers
    page = app.test_client().get("/calendar.ics", headers={"X-Forwarded-Proto": "https"})
    assert b"URL:https://" in page.data.replace(b"\r\n ", b"")
    remove()


def test_a_change_made_through_one_app_server_reaches_calendar_apps_revalidating_at_another(template):
    url, remove = template.copy()
    first, second = (create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"}) for _ in range(2))
    before = first.test_client().get("/calendar.ics")
    assert first.test_client().get("/calendar.ics", headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    with second.app_context():
        s = db.session.scalars(
            select(Schedule).join(Schedule.service).where(Schedule.kind == "session", Service.status == "published")
        ).first()
        s.notes = "Now on the first floor"
        db.session.commit()
        db.engine.dispose()
    after = first.test_client().get("/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and b"Now on the first floor" in after.data.replace(b"\r\n ", b"")
    with first.app_context():
        db.engine.dispose()
    remove()


def test_a_list_made_on_a_server_whose_clock_is_ahead_is_still_there_on_the_next_page_from_another(template):
    """Machines' clocks differ a little: a session cookie "from the future" must not be dropped."""
    url, remove = template.copy()
    ahead, behind = (create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"}) for _ in range(2))
    with ahead.app_context():
        service = snapshot(db.session.scalars(select(Service).where(Service.status == "published")).first())
    made_on, read_on = ahead.test_client(), behind.test_client()
    with travel(pinned() + timedelta(seconds=5)):
        post(made_on, "/list/add", {"service_id": service.id, "next": "/list"})
    read_on.set_cookie("session", made_on.get_cookie("session").value)
    assert f"/services/{service.slug}" in read_on.get("/list").get_data(as_text=True)
    for app in (ahead, behind):
        with app.app_context():
            db.engine.dispose()
    remove()
