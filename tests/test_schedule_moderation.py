"""A facilitator's new, changed or deleted schedule waits for staff like every public field;
staff read it in words, and approving never silently overwrites a listing that changed since."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from directory import clock
from directory.extensions import db
from directory.models import ChangeRequest, Schedule
from tests.support.factories import reload
from tests.support.forms import form_on, post
from tests.support.people import client_as


def _waiting_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ChangeRequest.id).where(ChangeRequest.status == "pending").order_by(ChangeRequest.id.desc()))


def _move_to_thursday_evening(client, service_id: int, schedule_id: int):
    path = f"/manage/services/{service_id}/schedules/{schedule_id}"
    form = form_on(client, path)
    form.update(day=["TH"], opens_at=["6pm"], closes_at=["7:30pm"])
    return post(client, path, form, follow_redirects=True)


def test_a_schedule_change_waits_is_read_in_words_and_the_reason_reaches_the_facilitator(app, people):
    a, sched = people.service_a, people.schedule_a
    facilitator = client_as(app, people, "facilitator_a")
    page = _move_to_thursday_evening(facilitator, a.id, sched.id).get_data(as_text=True)
    assert "will change once staff have checked it" in page
    assert "Changed schedule: Every Thursday, 6pm to 7:30pm" in page.split('id="pending-changes"')[1]
    feed = app.test_client().get(f"/services/{a.slug}.ics").get_data(as_text=True)
    assert "BYDAY=TU" in feed and "BYDAY=TH" not in feed, "calendars keep the live schedule until staff approve"
    assert "7pm to 8:30pm" in app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)

    staff = client_as(app, people, "staff")
    change_id = _waiting_id(app)
    assert "Changed schedule: Every Thursday" in staff.get("/staff/changes").get_data(as_text=True)
    diff = staff.get(f"/staff/changes/{change_id}").get_data(as_text=True).split('id="diff"')[1].split("</table>")[0]
    assert "When" in diff and "Testham Community Hall" in diff
    assert '<span class="govuk-visually-hidden">removed: </span>Tuesday,' in diff
    assert '<span class="govuk-visually-hidden">added: </span>Thursday,' in diff
    assert "byday" not in diff and "opens_at" not in diff, "labels and words, not keys"
    post(staff, f"/staff/changes/{change_id}", {"decision": "reject", "reason": "Thursday clashes with the hall's booking"})
    mine = facilitator.get(f"/manage/services/{a.id}").get_data(as_text=True).split('id="rejected-changes"')[1]
    assert "Changed schedule: Every Thursday" in mine and "clashes with the hall" in mine
    assert reload(app, sched).byday == "TU"

    _move_to_thursday_evening(facilitator, a.id, sched.id)
    form_page = facilitator.get(f"/manage/services/{a.id}/schedules/{sched.id}").get_data(as_text=True)
    assert "Already waiting for staff to check: Changed schedule: Every Thursday" in form_page
    post(staff, f"/staff/changes/{_waiting_id(app)}", {"decision": "approve"})
    assert 'id="schedule-waiting"' not in facilitator.get(f"/manage/services/{a.id}/schedules/{sched.id}").get_data(as_text=True)
    feed = app.test_client().get(f"/services/{a.slug}.ics").get_data(as_text=True)
    assert "BYDAY=TH" in feed and "SEQUENCE:0" not in feed, "calendars see the change once approved"
    log = staff.get("/staff/audit", query_string={"listing": a.id}).get_data(as_text=True).split('id="audit"')[1]
    assert "Every Thursday, 6pm to 7:30pm" in log and "Every Tuesday, 7pm to 8:30pm" in log
    assert "byday" not in log.lower() and "Opens at" not in log


def test_a_new_and_a_deleted_schedule_wait_and_staff_still_edit_at_once(app, people):
    a, sched = people.service_a, people.schedule_a
    facilitator = client_as(app, people, "facilitator_a")
    new = form_on(facilitator, f"/manage/services/{a.id}/schedules/new")
    start = clock.today_in("Europe/London") + timedelta(days=7)
    new.update(kind=["session"], freq=["WEEKLY"], interval=["1"], day=["FR"], opens_at=["10am"], closes_at=["11am"],
               dtstart=[str(start.day), str(start.month), str(start.year)],
               attending_type=["online"], online_url=["https://meet.example.org/friday"])
    assert post(facilitator, f"/manage/services/{a.id}/schedules/new", new).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Schedule.id).where(Schedule.service_id == a.id, Schedule.byday == "FR")) is None
    staff = client_as(app, people, "staff")
    assert "New schedule: Every Friday" in staff.get(f"/staff/changes/{_waiting_id(app)}").get_data(as_text=True)
    post(staff, f"/staff/changes/{_waiting_id(app)}", {"decision": "approve"})
    with app.app_context():
        assert db.session.scalar(select(Schedule.online_url).where(Schedule.service_id == a.id, Schedule.byday == "FR")) == "https://meet.example.org/friday"

    page = _move_to_thursday_evening(staff, a.id, sched.id).get_data(as_text=True)
    assert "The schedule is saved and live now." in page and reload(app, sched).byday == "TH"


def test_approving_over_a_change_made_since_shows_the_conflict_first(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    form = form_on(facilitator, f"/manage/services/{a.id}/details")
    form.update(phone=["0161 555 0101"])
    post(facilitator, f"/manage/services/{a.id}/details", form)
    staff = client_as(app, people, "staff")
    change_id = _waiting_id(app)
    assert 'id="conflict"' not in staff.get(f"/staff/changes/{change_id}").get_data(as_text=True)

    mine = form_on(staff, f"/manage/services/{a.id}/details")
    mine.update(phone=["0161 555 0202"])
    post(staff, f"/manage/services/{a.id}/details", mine)
    page = staff.get(f"/staff/changes/{change_id}").get_data(as_text=True)
    conflicts = page.split('id="conflicts"')[1].split("</table>")[0]
    assert "Phone" in conflicts and "0161 555 0202" in conflicts
    refused = post(staff, f"/staff/changes/{change_id}", {"decision": "approve"}).get_data(as_text=True)
    assert "The listing has changed since this was asked for" in refused
    assert reload(app, a).phone == "0161 555 0202", "nothing overwritten without staff choosing to"
    post(staff, f"/staff/changes/{change_id}", {"decision": "approve", "overwrite": "y"})
    assert reload(app, a).phone == "0161 555 0101"


def test_a_schedule_deleted_since_it_was_changed_cannot_be_approved(app, people):
    a, sched = people.service_a, people.schedule_a
    facilitator = client_as(app, people, "facilitator_a")
    _move_to_thursday_evening(facilitator, a.id, sched.id)
    staff = client_as(app, people, "staff")
    post(staff, f"/manage/services/{a.id}/schedules/{sched.id}/delete", {"confirm": "yes"})
    change_id = _waiting_id(app)
    assert "The schedule has been deleted since" in staff.get(f"/staff/changes/{change_id}").get_data(as_text=True)
    refused = post(staff, f"/staff/changes/{change_id}", {"decision": "approve", "overwrite": "y"}).get_data(as_text=True)
    assert "do not approve it, and say why" in refused
    with app.app_context():
        assert db.session.scalar(select(Schedule).where(Schedule.service_id == a.id)) is None
