"""Staff describe a whole listing in the browser, organisations get pages of their own, and
bad input is a message on the form."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from directory import clock
from directory.extensions import db
from directory.models import AuditEvent, ChangeRequest, Organisation, Schedule, Service
from directory.views.templating import long_date
from tests.support.factories import OrganisationFactory, ServiceFactory, reload, snapshot
from tests.support.forms import form_on, post
from tests.support.people import approve_waiting, client_as

HOUSING = {
    "name": "Testham Safe Homes", "summary": "Supported housing for people in recovery",
    "description": "Rooms with support workers on site.", "categories": ["housing", "case-management"],
    "stages": ["engagement", "active-treatment"], "audiences": ["dual-diagnosis"], "delivery_modes": ["in-person"],
    "venue_name": "Refuge House", "address": "9 Quiet Lane", "town": "Testham", "postcode": "TE1 1AA",
    "confidential": "y", "phone": "0115 496 0456", "free": "y", "co_occurring": "y", "min_age": "18",
    "wait": "weeks", "referral_routes": ["self", "professional"], "languages": ["English", "Polish"],
    "other_languages": "Tigrinya", "professional_details": "Referral form from the duty worker",
    "professional_only": "y",
}


def _new_listing(app, staff, **extra) -> Service:
    org_id = extra.pop("organisation_id", "")
    response = post(staff, "/manage/new", {**HOUSING, "organisation_id": str(org_id), **extra})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        return snapshot(db.session.scalar(select(Service).where(Service.name == HOUSING["name"])))


def test_staff_add_a_housing_service_check_it_and_publish_it(app, people):
    staff = client_as(app, people, "staff")
    post(staff, "/staff/organisations/new", {"name": "Testham Housing Trust", "phone": "0115 496 0999"})
    with app.app_context():
        org = snapshot(db.session.scalar(select(Organisation).where(Organisation.name == "Testham Housing Trust")))
    new = _new_listing(app, staff, organisation_id=org.id)
    assert new.status == "draft" and new.organisation_id == org.id
    assert app.test_client().get(f"/services/{new.slug}").status_code == 404

    check = staff.get(f"/manage/services/{new.id}/check").get_data(as_text=True)
    for words in ("Housing", "Case management and advocacy", "Engagement", "Active treatment", "Usually a few weeks",
                  "English, Polish, Tigrinya", "Testham Housing Trust", "Needs a referral from a professional"):
        assert words in check, words
    post(staff, f"/staff/services/{new.id}/publish")
    published = reload(app, new)
    assert published.status == "published" and published.last_verified_at == clock.today_in("Europe/London")

    page = app.test_client().get(f"/services/{new.slug}").get_data(as_text=True)
    assert "9 Quiet Lane" not in page, "a confidential venue shows its town only"
    assert "Referral form from the duty worker" not in page, "professional-only details stay with staff"
    assert f'href="/organisations/{org.slug}"' in page
    found = app.test_client().get("/search", query_string={"category": "housing", "stage": "engagement"})
    assert f"/services/{new.slug}" in found.get_data(as_text=True)
    org_page = app.test_client().get(f"/organisations/{org.slug}").get_data(as_text=True)
    assert "Testham Safe Homes" in org_page and "0115 496 0999" in org_page


def test_the_organisation_page_lists_only_published_services(app, people):
    with app.app_context():
        org = OrganisationFactory(name="Testham Recovery Collective")
        ServiceFactory(name="Open Door Café", organisation=org)
        ServiceFactory(name="Not Yet Open", organisation=org, status="draft")
        slug = org.slug
    page = app.test_client().get(f"/organisations/{slug}").get_data(as_text=True)
    assert "Open Door Café" in page and "Not Yet Open" not in page
    assert app.test_client().get("/organisations/no-such-organisation").status_code == 404


def test_staff_change_an_organisation_and_its_slug_stays(app, people):
    staff = client_as(app, people, "staff")
    with app.app_context():
        org = snapshot(OrganisationFactory(name="Old Name Trust"))
    post(staff, f"/staff/organisations/{org.id}", {"name": "New Name Trust", "website": "https://example.org"})
    changed = reload(app, org)
    assert changed.name == "New Name Trust" and changed.slug == org.slug
    bad = post(staff, f"/staff/organisations/{org.id}", {"name": "", "website": "example.org"}).get_data(as_text=True)
    assert "Enter the organisation&#39;s name" in bad and "Web addresses start with https://" in bad


def test_bad_answers_are_messages_on_the_form(app, people):
    staff = client_as(app, people, "staff")
    page = post(staff, "/manage/new", {**HOUSING, "categories": [], "min_age": "eighteen"}).get_data(as_text=True)
    assert "Choose at least one type of support" in page and "Enter an age in years, such as 18" in page
    assert "govuk-error-summary" in page
    page = post(staff, "/manage/new", {**HOUSING, "min_age": "30", "max_age": "25"}).get_data(as_text=True)
    assert "The oldest age must be the same as or more than the youngest age" in page
    page = post(staff, "/manage/new", {**HOUSING, "stages": ["not-a-stage"]}).get_data(as_text=True)
    assert "govuk-error-summary" in page
    with app.app_context():
        assert db.session.scalar(select(Service).where(Service.name == HOUSING["name"])) is None


def test_mark_as_checked_returns_to_the_list_and_the_next_check_is_shown(app, people):
    a = people.service_a
    today = clock.today_in("Europe/London")
    last_of_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    with app.app_context():
        ServiceFactory(name="Due On The Last Day", last_verified_at=last_of_month - timedelta(days=183))
        ServiceFactory(name="Due Next Month", last_verified_at=last_of_month + timedelta(days=1) - timedelta(days=183))
    staff = client_as(app, people, "staff")
    due = staff.get("/staff/unverified").get_data(as_text=True).split('id="due-this-month"')[-1]
    assert "Due On The Last Day" in due and "Due Next Month" not in due
    response = post(staff, f"/staff/services/{a.id}/verify", {"next": "/staff/unverified?page=1"}, token_from="/staff/unverified")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/unverified?page=1")
    service_page = staff.get(f"/manage/services/{a.id}").get_data(as_text=True)
    assert f"Next check due {long_date(today + timedelta(days=183))}" in service_page
    public = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
    assert f"next check due {long_date(today + timedelta(days=183))}" in public


def test_deleting_a_schedule_asks_first_and_the_log_keeps_it(app, people):
    a, sched = people.service_a, people.schedule_a
    facilitator = client_as(app, people, "facilitator_a")
    path = f"/manage/services/{a.id}/schedules/{sched.id}/delete"
    assert "Are you sure you want to delete this schedule?" in facilitator.get(path).get_data(as_text=True)
    assert "Choose yes to delete" in post(facilitator, path, {}).get_data(as_text=True)
    post(facilitator, path, {"confirm": "no"})
    assert "BEGIN:VEVENT" in app.test_client().get(f"/services/{a.slug}.ics").get_data(as_text=True)
    response = post(facilitator, path, {"confirm": "yes"}, follow_redirects=True)
    assert "will be deleted once staff have checked it" in response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in app.test_client().get(f"/services/{a.slug}.ics").get_data(as_text=True), "not before staff approve"
    assert approve_waiting(app, people, a.id) == 1
    with app.app_context():
        assert db.session.get(Schedule, sched.id) is None
        logged = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "schedule-deleted"))
        assert logged.before["byday"] == "TU" and logged.entity_id == a.id
    assert "BEGIN:VEVENT" not in app.test_client().get(f"/services/{a.slug}.ics").get_data(as_text=True)
    assert facilitator.get(path).status_code == 404


def test_the_audit_log_reads_in_words_with_london_time_and_filters(app, people):
    a, b = people.service_a, people.service_b
    staff = client_as(app, people, "staff")
    post(staff, f"/staff/services/{a.id}/verify")
    post(staff, f"/staff/services/{b.id}/verify")
    page = staff.get("/staff/audit").get_data(as_text=True)
    assert "Marked as checked" in page and a.name.replace("'", "&#39;") in page and "Last checked" in page
    assert "verify service" not in page
    assert " GMT" in page or " BST" in page
    only_a = staff.get("/staff/audit", query_string={"listing": a.id}).get_data(as_text=True)
    table = only_a.split('id="audit"')[1]
    assert a.name.replace("'", "&#39;") in table and b.name not in table
    nobody = staff.get("/staff/audit", query_string={"person": people.users["facilitator_b"].id}).get_data(as_text=True)
    assert "Nothing matches these filters" in nobody
    kind = staff.get("/staff/audit", query_string={"kind": "schedule-deleted"}).get_data(as_text=True)
    assert "Nothing matches these filters" in kind
    assert staff.get("/staff/audit", query_string={"listing": "not-a-number", "kind": "<script>"}).status_code == 200


def test_staff_see_a_new_listing_as_its_proposer_last_left_it(app, people):
    facilitator = client_as(app, people, "facilitator_b")
    post(facilitator, "/manage/new", {"name": "Family Recovery Café", "categories": ["families-carers"],
                                      "town": "Wigan", "postcode": "WN1 1AA"})
    with app.app_context():
        new = snapshot(db.session.scalar(select(Service).where(Service.name == "Family Recovery Café")))
        change_id = db.session.scalar(select(ChangeRequest.id).where(ChangeRequest.service_id == new.id))
    form = form_on(facilitator, f"/manage/services/{new.id}/details")
    form.update(summary="Tea, cake and a chat for families", stages=["engagement"])
    assert facilitator.post(f"/manage/services/{new.id}/details", data=form).status_code == 302
    page = client_as(app, people, "staff").get(f"/staff/changes/{change_id}").get_data(as_text=True)
    assert "Tea, cake and a chat for families" in page and "Families and carers" in page and "Engagement" in page


def test_staff_search_reads_words_as_the_public_search_does_and_finds_drafts_too(app, people):
    with app.app_context():
        ServiceFactory(name="Riverside Project", status="draft", description="Help with alcohol at the old tannery, one to one.")
        ServiceFactory(name="Canal Side Rooms", status="archived", summary="Supported housing for people in recovery.")
        db.session.commit()
    staff = client_as(app, people, "staff")
    found = staff.get("/staff/services", query_string={"q": "booze tannery"}).get_data(as_text=True)
    assert "Riverside Project" in found, "slang read as the public search reads it, in a draft's description"
    assert "Canal Side Rooms" not in found
    housing = staff.get("/staff/services", query_string={"q": "supported housing", "status": "archived"}).get_data(as_text=True)
    assert "Canal Side Rooms" in housing and "Riverside Project" not in housing
    drafts = staff.get("/staff/services", query_string={"status": "draft"}).get_data(as_text=True)
    assert "Riverside Project" in drafts and "Canal Side Rooms" not in drafts


def test_staff_search_words_too_long_say_so_and_list_every_listing(app, people):
    staff = client_as(app, people, "staff")
    page = staff.get("/staff/services", query_string={"q": "x" * 201, "status": "nonsense"}).get_data(as_text=True)
    assert "govuk-error-message" in page and "200" in page
    assert 'id="staff-services"' in page and "<li>" in page.split('id="staff-services"')[1]
