"""A one-off event (a family information evening) is one session on one date: on the page,
on /meetings and in the feeds, and gone from all of them after its date."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from directory import clock, words
from directory.extensions import db
from directory.models import Schedule
from tests.support.forms import post
from tests.support.people import approve_waiting, client_as


def test_a_one_off_family_evening_shows_once_everywhere(app, people):
    a = people.service_a
    facilitator = client_as(app, people, "facilitator_a")
    day = clock.today_in("Europe/London") + timedelta(days=3)
    response = post(facilitator, f"/manage/services/{a.id}/schedules/new", {
        "kind": "session", "freq": "ONCE", "interval": "1", "day": "MO", "position": "",
        "dtstart": [str(day.day), str(day.month), str(day.year)], "opens_at": "6pm", "closes_at": "8pm",
        "attending_type": "in-person", "notes": "Family information evening",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert approve_waiting(app, people, a.id) == 1
    with app.app_context():
        event = db.session.scalars(select(Schedule).where(Schedule.service_id == a.id).order_by(Schedule.id.desc())).first()
        assert (event.count, event.until, event.byday) == (1, None, ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()])
        event_id = event.id
    page = app.test_client().get(f"/services/{a.slug}").get_data(as_text=True)
    assert f"Once only: {words.format_date(day)}, 6pm to 8pm" in page
    feed = app.test_client().get(f"/services/{a.slug}.ics").get_data(as_text=True)
    assert f"schedule-{event_id}@" in feed and "COUNT=1" in feed
    meetings = app.test_client().get("/meetings", query_string={"near": "Testham"}).get_data(as_text=True)
    assert "6pm" in meetings, "the event is on /meetings at its own time"
    form = facilitator.get(f"/manage/services/{a.id}/schedules/{event_id}").get_data(as_text=True)
    assert 'value="ONCE" checked' in form or 'checked value="ONCE"' in form or "ONCE\" checked" in form
