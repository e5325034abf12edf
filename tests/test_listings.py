"""Facilitators edit their listings and sessions; staff check, verify, archive and read reports."""

from __future__ import annotations

import re

from sqlalchemy import inspect, select

from directory import clock
from directory.extensions import db
from directory.models import AuditEvent, ChangeRequest, Feedback, Schedule, Service
from tests.support.factories import reload, snapshot
from tests.support.forms import csrf_token, form_on, post
from tests.support.people import approve_waiting, client_as


def details_form(client, service_id: int) -> dict[str, list[str]]:
    """The edit form's current values, as a browser would submit them unchanged."""
    return form_on(client, f"/manage/services/{service_id}/details")


def test_every_public_change_by_a_facilitator_waits_and_staff_see_a_word_level_diff(app, people):
    a = people.service_a
    old_name = a.name
    facilitator = client_as(app, people, "facilitator_a")
    form = details_form(facilitator, a.id)
    form.update(name="Tuesday Dual Recovery Circle", phone="0161 555 0199", stages=["engagement", "relapse-prevention"])
    page = facilitator.post(f"/manage/services/{a.id}/details", data=form, follow_redirects=True).get_data(as_text=True)
    assert "will show once staff have checked them" in page

    public = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
    assert "0161 555 0199" not in public and old_name.replace("'", "&#39;") in public
    assert "Tuesday Dual Recovery Circle" not in public

    staff = client_as(app, people, "staff")
    with app.app_context():
        change_id = db.session.scalar(select(ChangeRequest.id))
    diff = staff.get(f"/staff/changes/{change_id}").get_data(as_text=True)
    assert re.search(r'<ins class="diff-added"><span class="govuk-visually-hidden">added: </span>Tuesday</ins>', diff)
    assert re.search(r'<del class="diff-removed"><span class="govuk-visually-hidden">removed: </span>Oak Street</del>', diff)
    assert "Dual Recovery" in diff and "0161 555 0199" in diff
    assert "<ins class=\"diff-added\"><span class=\"govuk-visually-hidden\">added: </span>Engagement</ins>" in diff
    assert "engagement" not in diff.split('id="diff"')[1].split("</table>")[0], "labels, not codes"
    rejected = post(staff, f"/staff/changes/{change_id}", {"decision": "reject"}).get_data(as_text=True)
    assert "Say why the change is not approved" in rejected
    post(staff, f"/staff/changes/{change_id}", {"decision": "approve"})
    public = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
    assert "Tuesday Dual Recovery Circle" in public and "0161 555 0199" in public
    assert reload(app, a).last_verified_at == clock.today_in("Europe/London"), "approving counts as checking"

    log = staff.get("/staff/audit").get_data(as_text=True)
    assert "fac.a@example.org" in log and "0161 555 0199" in log and "pproved" in log


def test_a_rejected_change_tells_the_facilitator_why(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    form = details_form(facilitator, a.id)
    form.update(website="https://example.org/oak")
    facilitator.post(f"/manage/services/{a.id}/details", data=form)
    with app.app_context():
        change_id = db.session.scalar(select(ChangeRequest.id))
    staff = client_as(app, people, "staff")
    post(staff, f"/staff/changes/{change_id}", {"decision": "reject", "reason": "That site is not the group's own"})
    page = facilitator.get(f"/manage/services/{a.id}").get_data(as_text=True)
    assert "That site is not the group&#39;s own" in page and "Website" in page
    assert reload(app, a).website == ""


def test_facilitators_cannot_change_staff_only_fields(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    form = details_form(facilitator, a.id)
    assert "national" not in form and "organisation_id" not in form and "professional_details" not in form
    form.update(national="y", professional_details="Sneaky", summary="A new summary")
    facilitator.post(f"/manage/services/{a.id}/details", data=form)
    with app.app_context():
        req = db.session.scalar(select(ChangeRequest))
        assert set(req.changes) == {"summary"}


def test_a_second_editor_with_an_old_copy_sees_both_versions_and_nothing_is_overwritten(app, people):
    a = people.service_a
    first, second = client_as(app, people, "staff"), client_as(app, people, "admin")
    mine, theirs = details_form(first, a.id), details_form(second, a.id)
    mine["summary"] = "Summary saved first"
    assert first.post(f"/manage/services/{a.id}/details", data=mine).status_code == 302
    theirs["summary"] = "Summary from an old copy"
    page = second.post(f"/manage/services/{a.id}/details", data=theirs).get_data(as_text=True)
    assert "Someone changed this since you opened it" in page
    assert "Summary saved first" in page and "Summary from an old copy" in page
    assert reload(app, a).summary == "Summary saved first"
    # Saving again from the conflict page is a deliberate choice, and works.
    again = dict(theirs, version=re.search(r'name="version"[^>]*value="(\d+)"', page).group(1), csrf_token=theirs["csrf_token"])
    assert second.post(f"/manage/services/{a.id}/details", data=again).status_code == 302
    assert reload(app, a).summary == "Summary from an old copy"


def test_cancelling_one_session_shows_at_once_on_the_page_and_in_the_feed(app, people):
    a, sched = people.service_a, people.schedule_a
    day = people.next_session_day()
    sequence = sched.sequence
    facilitator = client_as(app, people, "facilitator_a")
    path = f"/manage/services/{a.id}/schedules/{sched.id}/sessions/{day}"
    response = post(facilitator, path, {"status": "cancelled", "note": "Venue closed for repairs"})
    assert response.status_code == 302
    public = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
    assert "Cancelled" in public and "Venue closed for repairs" in public
    feed = app.test_client().get(f"/services/{a.slug}.ics").get_data(as_text=True)
    assert "EXDATE" in feed and day.replace("-", "") in feed.split("EXDATE", 1)[1].split("\n", 1)[0]
    assert reload(app, sched).sequence > sequence
    with app.app_context():
        assert db.session.scalar(select(ChangeRequest.id).where(ChangeRequest.service_id == a.id)) is None, "instant: nothing waits"
    log = client_as(app, people, "staff").get("/staff/audit", query_string={"listing": a.id}).get_data(as_text=True)
    row = log.split('id="audit"')[1].split("</tr>")[1]
    assert "Cancelled a session" in row and "Session status" in row and "Cancelled" in row and "new_date" not in row
    post(facilitator, path + "/restore")
    assert "Venue closed for repairs" not in app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)


def test_moving_a_session_needs_a_new_date_or_time_and_bad_dates_are_form_errors(app, people):
    a, sched = people.service_a, people.schedule_a
    facilitator = client_as(app, people, "facilitator_a")
    path = f"/manage/services/{a.id}/schedules/{sched.id}/sessions/{people.next_session_day()}"
    html = post(facilitator, path, {"status": "moved"}).get_data(as_text=True)
    assert "Give the new date or the new start time" in html
    html = post(facilitator, path, {"status": "moved", "new_date": ["31", "2", "2030"], "new_opens_at": "25pm"}).get_data(as_text=True)
    assert "Enter a real date" in html and "the hour must be between 1 and 12" in html
    html = post(facilitator, path, {"status": "moved", "new_date": ["1", "1", "9999"], "note": "typo"}).get_data(as_text=True)
    assert "check the new date&#39;s year" in html
    assert app.test_client().get(f"/services/{a.slug}").status_code == 200
    assert app.test_client().get(f"/services/{a.slug}.ics").status_code == 200
    assert facilitator.get(f"/manage/services/{a.id}/schedules/{sched.id}/sessions/1999-01-01").status_code == 404
    assert facilitator.get(f"/manage/services/{a.id}/schedules/{sched.id}/sessions/not-a-date").status_code == 404


def test_an_impossible_schedule_is_explained_on_the_form(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    html = post(facilitator, f"/manage/services/{a.id}/schedules/new", {
        "kind": "session", "freq": "MONTHLY", "interval": "12", "day": "TU", "position": "", "bymonthday": "31",
        "dtstart": ["1", "2", str(clock.today_in("Europe/London").year + 1)], "opens_at": "7pm", "closes_at": "6pm", "attending_type": "in-person",
    }).get_data(as_text=True)
    assert "There is no 31st of February, so this schedule never meets" in html
    created = post(facilitator, f"/manage/services/{a.id}/schedules/new", {
        "kind": "session", "freq": "MONTHLY", "interval": "1", "day": "TU", "position": "2",
        "dtstart": ["1", "2", str(clock.today_in("Europe/London").year + 1)], "opens_at": "7pm", "closes_at": "8:30pm", "attending_type": "online",
        "online_url": "https://meet.example.org/group",
    })
    assert created.status_code == 302
    assert approve_waiting(app, people, a.id) == 1, "a facilitator's new schedule waits for staff"
    with app.app_context():
        new = db.session.scalars(select(Schedule).where(Schedule.service_id == a.id).order_by(Schedule.id.desc())).first()
        assert new.byday == "2TU" and new.timezone == "Europe/London"


def test_a_new_group_waits_for_staff_then_is_published(app, people):
    facilitator = client_as(app, people, "facilitator_b")
    response = post(facilitator, "/manage/new", {"name": "Family Recovery Café", "summary": "A weekly café for families",
                                                  "town": "Wigan", "postcode": "WN1 1AA", "free": "y",
                                                  "categories": "peer-support"})
    assert response.status_code == 302
    with app.app_context():
        new = snapshot(db.session.scalar(select(Service).where(Service.name == "Family Recovery Café")))
        change_id = db.session.scalar(select(ChangeRequest.id).where(ChangeRequest.service_id == new.id))
    assert new.status == "pending"
    assert app.test_client().get(f"/services/{new.slug}").status_code == 404
    assert "Family Recovery Café" in facilitator.get("/manage/").get_data(as_text=True)
    staff = client_as(app, people, "staff")
    assert "A weekly café for families" in staff.get(f"/staff/changes/{change_id}").get_data(as_text=True)
    post(staff, f"/staff/changes/{change_id}", {"decision": "approve"})
    assert app.test_client().get(f"/services/{new.slug}").status_code == 200


def test_a_new_group_is_placed_when_saved_and_found_near_its_town(app, people):
    facilitator = client_as(app, people, "facilitator_b")
    post(facilitator, "/manage/new", {"name": "Wigan Pier Recovery Walk", "summary": "A Saturday walk and chat",
                                      "town": "Wigan", "postcode": "WN1 1AA", "free": "y",
                                                  "categories": "peer-support"})
    with app.app_context():
        new = db.session.scalar(select(Service).where(Service.name == "Wigan Pier Recovery Walk"))
        assert new.locations[0].latitude is not None, "placed from the gazetteer when saved, not left for later"
        change_id = db.session.scalar(select(ChangeRequest.id).where(ChangeRequest.service_id == new.id))
        slug = new.slug
    staff = client_as(app, people, "staff")
    post(staff, f"/staff/changes/{change_id}", {"decision": "approve"})
    page = app.test_client().get("/search", query_string={"near": "Wigan", "radius": "3"}).get_data(as_text=True)
    assert f"/services/{slug}" in page


def test_verifying_and_the_six_month_list(app, people):
    a = people.service_a
    staff = client_as(app, people, "staff")
    stale = staff.get("/staff/unverified?page=1").get_data(as_text=True)
    with app.app_context():
        never = db.session.scalar(select(Service).where(Service.status == "published", Service.last_verified_at.is_(None)))
        if never is not None:
            assert never.name.replace("'", "&#39;") in stale
    post(staff, f"/staff/services/{a.id}/verify")
    assert reload(app, a).last_verified_at == clock.today_in("Europe/London")
    assert f"/manage/services/{a.id}\"" not in staff.get("/staff/unverified").get_data(as_text=True)
    assert "Details last checked" in app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)


def test_archiving_takes_a_listing_out_of_search_and_feeds_without_deleting_it(app, people):
    a = people.service_a
    staff = client_as(app, people, "staff")
    assert a.slug in app.test_client().get("/calendar.ics").get_data(as_text=True)
    post(staff, f"/staff/services/{a.id}/status", {"status": "archived"})
    public = app.test_client()
    assert public.get(f"/services/{a.slug}").status_code == 404
    assert public.get(f"/services/{a.slug}.ics").status_code == 404
    assert a.slug not in public.get("/calendar.ics").get_data(as_text=True)
    assert a.name.replace("'", "&#39;") not in public.get(f"/search?q={a.name.split()[0]}").get_data(as_text=True)
    assert reload(app, a).status == "archived"
    assert post(staff, f"/staff/services/{a.id}/status", {"status": "deleted"}).status_code == 400


def test_report_a_problem_reaches_staff_without_keeping_who_sent_it(app, people):
    a = people.service_a
    visitor = app.test_client()
    assert "Report a problem with this listing" in visitor.get(f"/services/{a.slug}").get_data(as_text=True)
    path = f"/services/{a.slug}/report-a-problem"
    sent = visitor.post(path, data={"csrf_token": csrf_token(visitor, path), "message": "This group now meets on Wednesdays"},
                        environ_base={"REMOTE_ADDR": "203.0.113.9"}, follow_redirects=True)
    assert "Thank you for your report" in sent.get_data(as_text=True)
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("feedback")}
        assert not any("ip" in c.split("_") or "addr" in c for c in columns)
        assert "203.0.113.9" not in str([(f.message, f.status) for f in db.session.scalars(select(Feedback))])
        item_id = db.session.scalar(select(Feedback.id))
    staff = client_as(app, people, "staff")
    queue = staff.get("/staff/feedback").get_data(as_text=True)
    assert "This group now meets on Wednesdays" in queue
    post(staff, f"/staff/feedback/{item_id}/resolve")
    assert "This group now meets on Wednesdays" not in staff.get("/staff/feedback").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "feedback-resolved")) is not None


def test_the_honeypot_drops_bot_reports_and_reports_are_rate_limited(app, people):
    a = people.service_a
    bot = app.test_client()
    path = f"/services/{a.slug}/report-a-problem"
    token = csrf_token(bot, path)
    for n in range(5):
        response = bot.post(path, data={"csrf_token": token, "message": f"spam {n}", "website": "http://spam.example"},
                            follow_redirects=True)
        assert "Thank you for your report" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Feedback)) is None
    assert bot.post(path, data={"csrf_token": token, "message": "one more"}).status_code == 429


def test_too_long_input_is_a_form_error(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    form = details_form(facilitator, a.id)
    form["name"] = "x" * 201
    html = facilitator.post(f"/manage/services/{a.id}/details", data=form).get_data(as_text=True)
    assert "Name must be 200 characters or fewer" in html and "govuk-error-summary" in html
    too_big = facilitator.post(f"/manage/services/{a.id}/details", data=dict(form, description="x" * 2_000_000))
    assert too_big.status_code == 413


def test_a_new_address_for_a_shared_confidential_venue_stays_confidential(app, people):
    a, b = people.service_a, people.service_b
    with app.app_context():
        venue = db.session.get(Service, a.id).locations[0]
        venue.confidential = True
        shared = db.session.get(Service, b.id)
        shared.locations = [venue, *shared.locations]
        db.session.commit()
        venue = snapshot(venue)
    facilitator = client_as(app, people, "facilitator_a")
    form = details_form(facilitator, a.id)
    form.update(address="12 Quiet Lane")
    facilitator.post(f"/manage/services/{a.id}/details", data=form)
    staff = client_as(app, people, "staff")
    with app.app_context():
        changes = db.session.scalars(select(ChangeRequest.id).where(ChangeRequest.service_id == a.id)).all()
    for change_id in changes:
        post(staff, f"/staff/changes/{change_id}", {"decision": "approve"})
    with app.app_context():
        moved = db.session.get(Service, a.id).locations[0]
        assert moved.id != venue.id and moved.confidential
    assert "12 Quiet Lane" not in app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
