"""/meetings.json, the Meeting Guide feed: the spec's fields, weekly groups only, confidential
venues approximate, and found from /meetings and the home page."""

from __future__ import annotations

import re
from datetime import timedelta

from directory import clock
from tests.support.factories import LocationFactory, ScheduleFactory

SLUG = re.compile(r"^[a-z0-9-]{1,64}$")


def _feed(client) -> list[dict]:
    response = client.get("/meetings.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def _by_name(client) -> dict[str, dict]:
    return {m["name"]: m for m in _feed(client)}


def test_every_meeting_has_the_fields_the_spec_requires(client):
    meetings = _feed(client)
    assert meetings
    assert len({m["slug"] for m in meetings}) == len(meetings)
    for m in meetings:
        assert SLUG.match(m["slug"]) and len(m["name"]) <= 255
        days = m["day"] if isinstance(m["day"], list) else [m["day"]]
        assert days and all(0 <= d <= 6 for d in days)
        assert re.match(r"^\d\d:\d\d$", m["time"]) and m["timezone"] == "Europe/London"
        assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", m["updated"])
        assert m["url"].startswith("http://localhost/services/")
        assert m["types"] is not None
        assert m.get("approximate") in (None, "yes", "no")
        assert ("latitude" in m) == (m.get("approximate") == "no" and m.get("latitude") is not None)


def test_a_weekly_group_is_given_with_its_day_time_place_and_types(app, client):
    with app.app_context():
        group = ScheduleFactory(byday="TU,TH")
        name, venue = group.service.name, group.location
        where = (venue.address, venue.postcode, venue.town)
    m = _by_name(client)[name]
    assert m["day"] == [2, 4] and m["time"] == "19:00" and m["end_time"] == "20:30"
    assert (m["address"], m["postal_code"], m["city"]) == where and m["region"] == "Testham"
    assert m["approximate"] == "no" and "DD" in m["types"] and "O" in m["types"]


def test_groups_that_do_not_meet_every_week_are_left_out(app, client):
    """The format is weekly only: a fortnightly or monthly group shown as weekly would send people
    on weeks with no meeting (README, "Meeting Guide feed")."""
    with app.app_context():
        fortnightly = ScheduleFactory(interval=2).service.name
        monthly = ScheduleFactory(freq="MONTHLY", byday="2TU").service.name
        by_date = ScheduleFactory(freq="MONTHLY", byday="", bymonthday=15).service.name
        weekly = ScheduleFactory().service.name
    names = set(_by_name(client))
    assert weekly in names
    assert not names & {fortnightly, monthly, by_date}


def test_a_course_is_given_until_its_last_session_with_its_dates_in_the_notes(app, client):
    with app.app_context():
        today = clock.today_in("Europe/London")
        course = ScheduleFactory(until=today + timedelta(weeks=3)).service.name
        over = ScheduleFactory(dtstart=today - timedelta(weeks=10), until=today - timedelta(weeks=1)).service.name
    found = _by_name(client)
    assert "until" in found[course]["notes"]
    assert over not in found


def test_a_confidential_venue_gives_its_town_only_and_is_approximate(app, client):
    with app.app_context():
        venue = LocationFactory(name="Refuge House", address="9 Secret Row", postcode="TE9 9ZZ", confidential=True)
        name = ScheduleFactory(location=venue, service__locations=[venue]).service.name
    m = _by_name(client)[name]
    assert m["approximate"] == "yes" and m["city"] == "Testham" and m["region"] == "Testham"
    text = str(m)
    assert not {"latitude", "longitude", "address", "postal_code", "location"} & set(m)
    assert "Secret Row" not in text and "TE9" not in text and "Refuge House" not in text


def test_an_online_group_has_its_link_and_the_online_type(app, client):
    with app.app_context():
        name = ScheduleFactory(online=True, joining_details="Password: serenity").service.name
    m = _by_name(client)[name]
    assert m["conference_url"] == "https://meet.example/testham"
    assert m["conference_url_notes"] == "Password: serenity"
    assert "ONL" in m["types"] and m["region"] == "Online" and "address" not in m


def test_meetings_and_home_pages_link_to_the_feed(client):
    for path in ("/", "/meetings"):
        html = client.get(path).get_data(as_text=True)
        assert ('<link rel="alternate" type="application/json" title="Meetings Feed" '
                'href="http://localhost/meetings.json">') in html
