"""Nothing anyone types can take a page or a feed down: entry limits on the forms, and rows
already outside them (an import, hand-written SQL) left out of pages and feeds, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select, update

from directory import clock, words
from directory.extensions import db
from directory.models import Feedback, Schedule, ScheduleException, Service
from directory.schedules import limits, recurrence
from tests.support.factories import ServiceFactory, reload
from tests.support.forms import csrf_token
from tests.support.people import client_as


def _schedule_form(sched, **changes) -> dict[str, str]:
    first = sched.dtstart
    values = {
        "kind": "session", "freq": "WEEKLY", "interval": "1", "day": "TU", "position": "",
        "bymonthday": "", "dtstart": [str(first.day), str(first.month), str(first.year)], "until": ["", "", ""],
        "opens_at": "7pm", "closes_at": "8:30pm", "attending_type": "in-person",
        "online_url": "", "joining_details": "", "notes": "",
    }
    values.update(changes)
    return values


def _edit_url(people) -> str:
    return f"/manage/services/{people.service_a.id}/schedules/{people.schedule_a.id}"


def _latest_first_date() -> str:
    return words.format_day(limits.add_years(clock.today_in("Europe/London"), 2))


@pytest.mark.parametrize("year, message", [
    ("0001", "The first date must be between 1 January 1990 and {latest}"),
    ("9999", "The first date must be between 1 January 1990 and {latest}"),
    ("26", "Enter the year in full, for example 2026"),
])
def test_a_first_date_out_of_range_is_refused_with_a_message_and_nothing_changes(app, people, year, message):
    client = client_as(app, people, "facilitator_a")
    before = people.schedule_a.dtstart
    form = _schedule_form(people.schedule_a, dtstart=["1", "1", year])
    response = client.post(_edit_url(people), data={**form, "csrf_token": csrf_token(client, _edit_url(people))})
    assert response.status_code == 200
    assert message.format(latest=_latest_first_date()) in response.get_data(as_text=True)
    assert reload(app, people.schedule_a).dtstart == before


def test_a_last_date_before_the_first_or_ten_years_on_is_refused(app, people):
    client = client_as(app, people, "facilitator_a")
    first = people.schedule_a.dtstart
    for year, message in ((first.year - 1, "The last date must be the same as or after the first date"),
                          (first.year + 11, "The last date must be within 10 years of the first date")):
        form = _schedule_form(people.schedule_a, until=[str(first.day), str(first.month), str(year)])
        response = client.post(_edit_url(people), data={**form, "csrf_token": csrf_token(client, _edit_url(people))})
        assert message in response.get_data(as_text=True)
    assert reload(app, people.schedule_a).until is None


# Rows no form accepts, written behind the app's back, each on its own copy of a real group.
BAD_ROWS = {
    "first date in year 1": {"dtstart": date(1, 1, 1)},
    "first date in 9999": {"dtstart": date(9999, 1, 1)},
    "two-digit year": {"dtstart": date(26, 3, 1)},
    "last date in 9999": {"until": date(9999, 12, 31)},
    "last date before the first": {"until": date(1991, 1, 1)},
    "a million sessions": {"count": 1_000_000},
    "a gap of 0 weeks": {"interval": 0},
    "the 99th of the month": {"freq": "MONTHLY", "byday": "", "bymonthday": 99},
    "days nobody knows": {"byday": "XX"},
    "a time zone nobody knows": {"timezone": "Mars/Olympus_Mons"},
}


def _copy_with(original, changes: dict) -> int:
    """A new schedule row like `original` (a Schedule or a snapshot of one), written with plain SQL."""
    columns = ("service_id", "kind", "freq", "interval", "byday", "bymonthday", "dtstart", "until", "count",
               "opens_at", "closes_at", "timezone", "attending_type", "location_id", "sequence")
    values = {c: getattr(original, c) for c in columns} | {"until": None, "count": None} | changes
    values |= {"created_at": clock.utcnow(), "updated_at": clock.utcnow()}
    return db.session.execute(insert(Schedule).values(**values).returning(Schedule.id)).scalar_one()


def _public_paths(service: Service) -> list[str]:
    return ["/", "/search", "/search?q=recovery", f"/search?near={service.locations[0].town}" if service.locations else "/search",
            "/meetings", "/meetings?day=TU", "/meetings?online=y", "/calendar.ics", "/meetings.ics",
            f"/services/{service.slug}", f"/services/{service.slug}.ics", "/api/v1/services",
            f"/api/v1/services/{service.id}", "/stages/engagement"]


def test_rows_no_form_would_accept_never_take_a_page_or_feed_down(app, people, caplog):
    # The log names each row once per process; the same ids may have been named on the other database.
    recurrence._reported.clear()
    service, original = people.service_a, people.schedule_a
    session_day = people.next_session_day()
    with app.app_context():
        ids = {name: _copy_with(original, changes) for name, changes in BAD_ROWS.items()}
        ids["a session moved to 9999"] = _copy_with(original, {})
        db.session.execute(insert(ScheduleException).values(
            schedule_id=ids["a session moved to 9999"], original_date=date.fromisoformat(session_day),
            status="moved", new_date=date(9999, 12, 31), note="Typo", created_at=clock.utcnow()))
        db.session.commit()
        paths = _public_paths(db.session.get(Service, service.id))

    visitor = app.test_client()
    for path in paths:
        response = visitor.get(path)
        assert response.status_code == 200, (path, response.status_code)
    session_day = people.next_session_day()
    assert visitor.get(f"/services/{service.slug}/sessions/{ids['days nobody knows']}/{session_day}.ics").status_code in (200, 404)
    calendar = visitor.get(f"/services/{service.slug}.ics").get_data(as_text=True)
    assert f"schedule-{original.id}@" in calendar  # the good schedule is still there
    assert not any(f"schedule-{i}@" in calendar for i in ids.values())
    assert "left out of pages and feeds" in caplog.text and "Mars" in caplog.text

    staff = client_as(app, people, "staff")
    home = staff.get("/staff/").get_data(as_text=True)
    assert "Needs attention" in home
    for i in ids.values():
        assert f"/manage/services/{service.id}/schedules/{i}" in home
    for i in ids.values():  # staff can open each one to put it right
        assert staff.get(f"/manage/services/{service.id}/schedules/{i}").status_code == 200
    assert staff.get(f"/manage/services/{service.id}").status_code == 200


def test_a_fixed_row_comes_back_and_leaves_the_attention_list(app, people):
    with app.app_context():
        bad = _copy_with(people.schedule_a, {"dtstart": date(1, 1, 1)})
        db.session.commit()
    staff = client_as(app, people, "staff")
    assert f"/schedules/{bad}" in staff.get("/staff/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Schedule).where(Schedule.id == bad).values(dtstart=people.schedule_a.dtstart))
        db.session.commit()
    assert f"/schedules/{bad}" not in staff.get("/staff/").get_data(as_text=True)
    assert f"schedule-{bad}@" in app.test_client().get("/calendar.ics").get_data(as_text=True)


def test_refreshing_the_thank_you_page_does_not_send_a_report_again(app, client):
    with app.app_context():
        service = ServiceFactory()
        url = f"/services/{service.slug}/report-a-problem"
        count = db.session.scalar(select(func.count()).select_from(Feedback))
    response = client.post(url, data={"message": "The phone number is wrong", "csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200 and "Thank you for your report" in thanks.get_data(as_text=True)
    client.get(response.headers["Location"])  # a refresh is a GET now
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Feedback)) == count + 1


@pytest.mark.parametrize("path, data", [
    ("/account/forgot-password", {"email": "nobody@example.org"}),
    ("/account/facilitate", {"name": "Kim", "email": "kim@example.org", "group_name": "Tuesday group"}),
])
def test_account_requests_answer_with_a_redirect_to_their_confirmation(client, path, data):
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200


def test_staff_see_an_invitation_link_on_a_page_they_can_refresh(app, people):
    staff = client_as(app, people, "staff")
    response = staff.post("/staff/accounts", data={"email": "new.person@example.org", "name": "New", "role": "facilitator",
                                                   "service": "", "csrf_token": csrf_token(staff, "/staff/accounts")})
    assert response.status_code == 303
    first = staff.get(response.headers["Location"])
    again = staff.get(response.headers["Location"])
    assert first.status_code == again.status_code == 200
    assert "/account/set-password/" in again.get_data(as_text=True)


def test_a_time_outside_the_day_is_refused(app, people):
    client = client_as(app, people, "facilitator_a")
    before = people.schedule_a.opens_at
    for typed in ("25:61", "24:00", "13pm", "-1"):
        form = _schedule_form(people.schedule_a, opens_at=typed)
        response = client.post(_edit_url(people), data={**form, "csrf_token": csrf_token(client, _edit_url(people))})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Enter a time such as 7pm or 19:30" in html or "the hour must be between 1 and 12" in html
    assert reload(app, people.schedule_a).opens_at == before
