"""A visitor who has not used their list gets no cookie, and the add-to-list buttons still work."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Service
from tests.support.factories import snapshot


def a_service(app):
    with app.app_context():
        return snapshot(db.session.scalars(select(Service).order_by(Service.name).limit(1)).one())


def public_pages(app) -> list[str]:
    service = a_service(app)
    return ["/", "/search?near=Bolton&radius=10&category=peer-support", "/search?q=support", f"/services/{service.slug}",
            "/meetings", "/stages", "/stages/engagement", "/glossary"]


def test_a_new_visitor_gets_no_cookie_on_public_pages(app):
    for path in public_pages(app):
        response = app.test_client().get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path


def the_list(client) -> str:
    return client.get("/list").get_data(as_text=True)


def test_the_add_button_works_without_a_token_from_the_page_and_from_script(app):
    service = a_service(app)
    page = app.test_client().get(f"/services/{service.slug}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/list/add".*?</form>', page, re.S)[0]
    assert "csrf_token" not in form
    plain, script = app.test_client(), app.test_client()
    # A browser without script posts the form and is sent back to the card.
    response = plain.post("/list/add", data={"service_id": service.id, "next": f"/services/{service.slug}"},
                          headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"})
    assert response.status_code == 303 and response.location.endswith(f"/services/{service.slug}")
    assert "Set-Cookie" in response.headers
    assert f'href="/services/{service.slug}"' in the_list(plain)
    # static/js/list.mjs posts the same form with fetch and asks for JSON.
    answer = script.post("/list/add", data={"service_id": service.id},
                         headers={"Accept": "application/json", "Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 200 and answer.json["ok"] and answer.json["count"] == 1


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
    {"Referer": "https://evil.example/page"},
], ids=["fetch-cross-site", "fetch-same-site", "origin", "referer"])
def test_a_post_from_another_site_is_refused_and_changes_nothing(app, headers):
    service = a_service(app)
    visitor = app.test_client()
    response = visitor.post("/list/add", data={"service_id": service.id}, headers=headers)
    assert response.status_code == 403
    assert "That button only works on this site&#39;s own pages" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert visitor.post("/list/add-stage/engagement", headers=headers).status_code == 403
    answer = visitor.post("/list/add", data={"service_id": service.id}, headers={"Accept": "application/json", **headers})
    assert answer.status_code == 403 and not answer.json["ok"]
    assert "Your list is empty" in the_list(visitor)


def test_public_pages_may_be_kept_a_minute_and_revalidate_with_a_304(app):
    for path in public_pages(app):
        first, again = app.test_client().get(path), app.test_client().get(path)
        assert first.headers["Cache-Control"] == "public, max-age=60", path
        assert "Cookie" in first.headers["Vary"], path
        assert first.headers["ETag"].startswith('W/"') and first.headers["ETag"] == again.headers["ETag"], path
        assert first.headers["Content-Security-Policy"] != again.headers["Content-Security-Policy"]  # fresh nonces
        kept = app.test_client().get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert kept.status_code == 304 and kept.get_data() == b"", path
        # The kept page keeps the policy it came with: a new nonce would block its script.
        assert "Content-Security-Policy" not in kept.headers, path


def test_pages_for_a_visitor_with_a_list_are_not_kept(app):
    service = a_service(app)
    visitor = app.test_client()
    visitor.post("/list/add", data={"service_id": service.id}, headers={"Sec-Fetch-Site": "same-origin"})
    for path in public_pages(app):
        response = visitor.get(path)
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert "Cookie" in response.headers["Vary"] and "ETag" not in response.headers, path
