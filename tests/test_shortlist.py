"""A person's list: add, remove, reorder, note, share by link and QR, with nothing personal kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.clock import utcnow
from directory.extensions import db
from directory.models import Service, SharedList
from tests.support.factories import ScheduleFactory, ServiceFactory, snapshot
from tests.support.forms import post
from tests.support.people import client_as, sign_in

ITEM = re.compile(r'<span class="list-number">(\d+)\.</span> <a class="govuk-link" href="/services/([a-z0-9-]+)"')


def listed(client, path: str = "/list") -> list[str]:
    return [slug for _, slug in ITEM.findall(client.get(path).get_data(as_text=True))]


def some_services(app, n: int) -> list:
    """Any n services (snapshots): the list works the same whichever they are."""
    with app.app_context():
        return [snapshot(s) for s in db.session.scalars(select(Service).order_by(Service.name).limit(n))]


def add(client, service, **kwargs):
    return post(client, "/list/add", {"service_id": service.id, "next": f"/services/{service.slug}"}, **kwargs)


def test_add_from_a_service_page_and_see_the_count_everywhere(app, client):
    a, b = some_services(app, 2)
    response = add(client, a)
    assert response.status_code == 303 and response.location.endswith(f"/services/{a.slug}")
    page = client.get(f"/services/{a.slug}").get_data(as_text=True)
    assert "added to your list" in page and "On your list" in page
    add(client, b)
    assert '<span class="list-count" data-list-count>(2)</span>' in client.get("/search").get_data(as_text=True)
    assert listed(client) == [a.slug, b.slug]


def test_adding_twice_keeps_one(app, client):
    (a,) = some_services(app, 1)
    add(client, a)
    add(client, a)
    assert listed(client) == [a.slug]


def test_reorder_remove_and_note(app, client):
    a, b, c = some_services(app, 3)
    for s in (a, b, c):
        add(client, s)
    post(client, "/list/change", {"service_id": c.id, "action": "up"})
    assert listed(client) == [a.slug, c.slug, b.slug]
    post(client, "/list/change", {"service_id": a.id, "action": "up"})
    assert listed(client) == [a.slug, c.slug, b.slug], "the first stays first"
    post(client, "/list/change", {"service_id": c.id, "action": "remove"})
    assert listed(client) == [a.slug, b.slug]
    post(client, "/list/note", {"service_id": b.id, "note": "ask for Sam on Tuesdays; bring a letter"})
    assert "ask for Sam on Tuesdays; bring a letter" in client.get("/list").get_data(as_text=True)


def test_a_long_note_is_refused_with_a_message_and_nothing_lost(app, client):
    (a,) = some_services(app, 1)
    add(client, a)
    post(client, "/list/note", {"service_id": a.id, "note": "first note"})
    response = post(client, "/list/note", {"service_id": a.id, "note": "x" * 500}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "140 characters or fewer" in html and "first note" in html


def test_a_note_form_posted_without_its_note_clears_the_note(app, client):
    (a,) = some_services(app, 1)
    add(client, a)
    post(client, "/list/note", {"service_id": a.id, "note": "first note"})
    response = post(client, "/list/note", {"service_id": a.id}, follow_redirects=True)
    assert response.status_code == 200
    assert "Note saved" in response.get_data(as_text=True)
    assert "first note" not in response.get_data(as_text=True)


def test_an_id_too_big_for_the_database_is_refused_not_a_500(app, client):
    (a,) = some_services(app, 1)
    add(client, a)
    for service_id in (2**31, 2**63):
        response = post(client, "/list/add", {"service_id": service_id}, follow_redirects=True)
        assert response.status_code == 200
    assert listed(client) == [a.slug]


def test_changing_the_list_without_the_csrf_token_is_refused(app, client):
    """Only adding goes without the session token (tests/test_anonymous_pages.py); removing needs it."""
    (a,) = some_services(app, 1)
    add(client, a)
    response = client.post("/list/change", data={"service_id": a.id, "action": "remove"})
    assert response.status_code == 400
    assert listed(client) == [a.slug]


def test_share_link_holds_ids_and_notes_only_and_shows_a_qr_code(client, app):
    a, b = some_services(app, 2)
    add(client, a)
    add(client, b)
    post(client, "/list/note", {"service_id": a.id, "note": "ask for Sam"})
    response = post(client, "/list/share")
    assert response.status_code == 303
    token = response.location.rsplit("/", 1)[1]
    assert len(token) >= 32  # 24 random bytes: 192 bits
    with app.app_context():
        stored = snapshot(db.session.scalar(select(SharedList).where(SharedList.token == token)))
    assert stored.items == [{"id": a.id, "note": "ask for Sam"}, {"id": b.id, "note": ""}]
    assert stored.expires_at - stored.created_at == timedelta(days=90)

    other = app.test_client()
    page = other.get(f"/s/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert listed(other, f"/s/{token}") == [a.slug, b.slug]
    assert "ask for Sam" in html and "<svg" in html and "qr-code" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert page.headers["X-Robots-Tag"].startswith("noindex")
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_shared_calendar_has_the_listed_groups_only(app, client):
    with app.app_context():
        groups = [snapshot(ScheduleFactory(byday=day).service) for day in ("MO", "WE")]
    for g in groups:
        add(client, g)
    token = post(client, "/list/share").location.rsplit("/", 1)[1]
    feed = client.get(f"/s/{token}.ics")
    assert feed.status_code == 200 and feed.content_type.startswith("text/calendar")
    body = feed.get_data(as_text=True)
    for g in groups:
        assert f"/services/{g.slug}" in body.replace("\r\n ", "")
    assert body.count("BEGIN:VEVENT") >= len(groups)
    with app.app_context():
        others = db.session.scalars(
            select(Service.slug).where(Service.group_type.is_not(None), Service.id.not_in([g.id for g in groups]))
        ).all()
    unfolded = body.replace("\r\n ", "")
    assert not any(f"/services/{o}\r\n" in unfolded for o in others)


def test_expired_and_unknown_links_get_a_kind_page(app, client):
    (a,) = some_services(app, 1)
    add(client, a)
    token = post(client, "/list/share").location.rsplit("/", 1)[1]
    with app.app_context():
        shared = db.session.scalar(select(SharedList).where(SharedList.token == token))
        shared.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    for path in (f"/s/{token}", "/s/not-a-real-token"):
        response = client.get(path)
        assert response.status_code in (404, 410)
        html = response.get_data(as_text=True)
        assert "This list is no longer available" in html
        assert "Need help now?" in html
        assert a.name not in html


def test_one_list_reveals_nothing_about_another(app):
    first, second = app.test_client(), app.test_client()
    a, b = some_services(app, 2)
    add(first, a)
    add(second, b)
    token_a = post(first, "/list/share").location.rsplit("/", 1)[1]
    token_b = post(second, "/list/share").location.rsplit("/", 1)[1]
    assert token_a != token_b
    assert listed(first, f"/s/{token_a}") == [a.slug]
    assert listed(second) == [b.slug]


def test_stage_guide_adds_its_suggested_services(client):
    page = client.get("/stages/engagement").get_data(as_text=True)
    suggested = re.findall(r'<li><a class="govuk-link" href="/services/([a-z0-9-]+)">', page.split('id="suggested"')[1].split("</ul>")[0])
    assert suggested
    client.post("/list/add-stage/engagement", data={"next": "/list"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert listed(client) == suggested


def test_the_list_holds_at_most_twenty(app, client):
    services = some_services(app, 21)
    for s in services[:20]:
        add(client, s)
    response = add(client, services[20], follow_redirects=True)
    assert "Your list can hold up to 20 services" in response.get_data(as_text=True)
    assert len(listed(client)) == 20


def test_signposting_sheet_shows_staff_the_professional_only_details(app, people):
    with app.app_context():
        hidden = snapshot(ServiceFactory(
            professional_only=True, professional_details="Referrals from the crisis team go to the duty worker on 0115 496 0456.",
        ))
    for role in ("anonymous", "facilitator_a", "staff"):
        visitor = client_as(app, people, role)
        add(visitor, hidden)
        assert hidden.professional_details not in visitor.get("/list").get_data(as_text=True)
        token = post(visitor, "/list/share").location.rsplit("/", 1)[1]
        assert hidden.professional_details not in visitor.get(f"/s/{token}").get_data(as_text=True)
        sheet = visitor.get("/list/sheet")
        if role == "staff":
            assert sheet.status_code == 200
            assert hidden.professional_details in sheet.get_data(as_text=True)
        else:
            assert sheet.status_code in (302, 403)


def test_signing_in_keeps_the_list_and_list_pages_are_not_cached(app, people):
    worker = app.test_client()
    a, b = some_services(app, 2)
    add(worker, a)
    add(worker, b)
    assert sign_in(worker, people.users["staff"].email).status_code == 302
    assert listed(worker) == [a.slug, b.slug]
    assert listed(worker, "/list/sheet") == [a.slug, b.slug]
    for path in ("/list", "/list/sheet"):
        assert worker.get(path).headers["Cache-Control"] == "no-store"


def test_add_to_list_only_returns_to_pages_on_this_site(app, client):
    (a,) = some_services(app, 1)
    for target in ("/\t/evil.example", "//evil.example", "https://evil.example/"):
        response = post(client, "/list/add", {"service_id": a.id, "next": target})
        assert response.location.endswith("/list"), target


@pytest.mark.parametrize("note, found", [
    ("email jo.bloggs@example.com", "an email address"), ("call 07700 900123 after 3", "a phone number"),
    ("for Mrs Patel, Tuesday", "a name"), ("DOB 1/2/1980", "a date of birth"),
])
def test_a_note_that_looks_like_personal_details_is_not_saved(app, client, note, found):
    (a,) = some_services(app, 1)
    add(client, a)
    html = post(client, "/list/note", {"service_id": a.id, "note": note}, follow_redirects=True).get_data(as_text=True)
    assert "Notes are shared with the list: don&#39;t include personal details" in html
    assert f"looks like it has {found} in it, so it was not saved" in html
    assert note not in html
    fine = post(client, "/list/note", {"service_id": a.id, "note": "ask for Sam on Tuesdays"}, follow_redirects=True)
    assert "Note saved" in fine.get_data(as_text=True)


def test_adding_from_page_two_of_results_comes_back_to_the_same_card(client):
    html = client.get("/search?page=2").get_data(as_text=True)
    service_id, back = re.search(r'name="service_id" value="(\d+)">\s*<input type="hidden" name="next" value="([^"]+)"', html).groups()
    assert back == f"/search?page=2#service-{service_id}"
    response = post(client, "/list/add", {"service_id": service_id, "next": back})
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    banner = client.get(back.split("#")[0]).get_data(as_text=True)
    name = re.search(rf'<li class="service-card" id="service-{service_id}".*?<a class="govuk-link" href="/services/[^"]+">([^<]+)</a>', banner, re.S)[1]
    assert f"{name} added to your list." in banner and 'href="/list">View your list (1)</a>' in banner


def test_adding_with_script_answers_in_json_with_the_new_count(client):
    html = client.get("/search").get_data(as_text=True)
    ids = re.findall(r'name="service_id" value="(\d+)"', html)[:2]
    for count, service_id in enumerate(ids, start=1):
        answer = post(client, "/list/add", {"service_id": service_id}, headers={"Accept": "application/json"}).get_json()
        assert answer["ok"] and answer["count"] == count and "added to your list" in answer["message"]
    assert client.get("/list").get_data(as_text=True).count('class="shortlist__item"') == 2
