"""iCal feeds as calendar apps see them: the same sessions as our pages, at the same local times."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, time, timedelta
from email.utils import format_datetime
from types import SimpleNamespace

import pytest
from icalendar import Calendar
from sqlalchemy import delete, insert, select, update

from directory import clock, words
from directory.extensions import db
from directory.feeds import ical, responses
from directory.feeds.versions import change_count
from directory.models import Location, Schedule, ScheduleException, ScheduleRendering, Service
from directory.schedules import recurrence, rules
from directory.search.schedules import MeetingQuery, select_schedules
from tests.feedcheck import expand, ours
from tests.schedules import exception, make

LONDON = rules.zone("Europe/London")


def _window(days: int = 400) -> tuple[datetime, datetime]:
    today = clock.today_in("Europe/London")
    return datetime.combine(today, time.min, LONDON), datetime.combine(today + timedelta(days=days), time.min, LONDON)


def _sessions() -> list[Schedule]:
    return db.session.scalars(
        select(Schedule).join(Schedule.service).where(Schedule.kind == "session", Service.status == "published")
    ).all()


def _uid(s: Schedule) -> str:
    return f"schedule-{s.id}@localhost"


def _unfolded(ics: bytes) -> bytes:
    return ics.replace(b"\r\n ", b"")


def _events(ics: bytes) -> list:
    return [c for c in Calendar.from_ical(ics).walk("VEVENT")]


def _writes(monkeypatch) -> list[int]:
    """The ids of the schedules whose events get written from now on."""
    written: list[int] = []
    original = ical.schedule_events
    monkeypatch.setattr(ical, "schedule_events", lambda sched, site: written.append(sched.id) or original(sched, site))
    return written


def test_every_demo_session_in_the_feed_is_where_our_pages_put_it(client):
    start, end = _window()
    response = client.get("/calendar.ics")
    schedules = _sessions()
    assert len(schedules) >= 15
    theirs, mine = expand(response.data, start, end), ours(schedules, _uid, start, end)
    assert theirs == mine
    assert len({uid for uid, *_ in theirs}) == len({_uid(s) for s in schedules if recurrence.upcoming(s, start, 1)})


def test_an_evening_meeting_stays_at_its_local_time_across_both_clock_changes(client):
    start, end = _window()
    weekly = next(s for s in _sessions() if s.freq == "WEEKLY" and s.interval == 1 and not s.count and not s.until)
    occurrences = sorted(
        begin for uid, begin, _ in expand(client.get("/calendar.ics").data, start, end) if uid == _uid(weekly)
    )
    assert {t.time() for t in occurrences} == {weekly.opens_at}
    offsets = {datetime.combine(t.date(), t.time(), LONDON).utcoffset() for t in occurrences}
    assert offsets == {timedelta(0), timedelta(hours=1)}  # winter and summer both in the 400 days


def test_feed_is_one_recurring_event_per_schedule_with_timezone_and_exceptions(client):
    ics = client.get("/calendar.ics").data
    cal = Calendar.from_ical(ics)
    events = _events(ics)
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    assert len(masters) == len(_sessions())
    assert all("RRULE" in e and e["DTSTART"].params["TZID"] == "Europe/London" for e in masters)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert sum(len(e.exdates) for e in masters) >= 3
    assert any("RECURRENCE-ID" in e for e in events)
    for e in masters:
        for name in ("UID", "DTSTAMP", "SEQUENCE", "LAST-MODIFIED", "SUMMARY", "DESCRIPTION", "URL"):
            assert name in e, name
    assert cal["X-WR-CALNAME"] and cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert b"X-PUBLISHED-TTL:PT6H" in ics


def test_feed_headers(client):
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "max-age" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/calendar.ics", "/meetings.ics?day=TU&online=y", "service"])
def test_a_calendar_app_that_has_the_latest_version_gets_304(client, path):
    if path == "service":
        path = f"/services/{_sessions()[0].service.slug}.ics"
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    stale = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_feeds_for_different_filters_have_different_etags(client):
    assert client.get("/meetings.ics?day=TU").headers["ETag"] != client.get("/meetings.ics?day=WE").headers["ETag"]


def test_editing_a_schedule_changes_etag_and_raises_sequence(client):
    s = _sessions()[0]
    path = f"/services/{s.service.slug}.ics"
    before = client.get(path)
    old_sequence = _master(before.data, s)["SEQUENCE"]
    s.opens_at = time(18, 15)
    db.session.commit()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    master = _master(after.data, s)
    assert master["SEQUENCE"] > old_sequence
    assert master.decoded("DTSTART").time() == time(18, 15)


def test_cancelling_one_session_reaches_the_feed_as_an_exdate(client):
    s = next(s for s in _sessions() if not s.exceptions)
    path = f"/services/{s.service.slug}.ics"
    before = client.get(path)
    nxt = recurrence.upcoming(s, clock.now_in("Europe/London"), 1)[0]
    s.exceptions.append(ScheduleException(original_date=nxt.original_date, status="cancelled", note="No meeting on 24 Dec"))
    db.session.commit()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    master = _master(after.data, s)
    assert master["SEQUENCE"] > _master(before.data, s)["SEQUENCE"]
    assert nxt.start in master.exdates
    assert "No meeting on 24 Dec" in str(master["DESCRIPTION"])


def _master(ics: bytes, s: Schedule):
    return next(e for e in _events(ics) if str(e["UID"]) == _uid(s) and "RECURRENCE-ID" not in e)


def test_text_with_commas_semicolons_newlines_and_emoji_survives(client):
    s = _sessions()[0]
    s.service.name = "Tea, talk; and 🌱 recovery"
    s.notes = "Line one\nLine two, with a comma; and a semicolon\\backslash"
    db.session.commit()
    ics = client.get(f"/services/{s.service.slug}.ics").data
    assert b"SUMMARY:Tea\\, talk\\; and \xf0\x9f\x8c\xb1 recovery" in ics
    master = _master(ics, s)
    assert str(master["SUMMARY"]) == "Tea, talk; and 🌱 recovery"
    assert s.notes in str(master["DESCRIPTION"])
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))


def test_a_venue_made_confidential_leaves_subscribed_calendars_with_the_town_only(client):
    s = next(s for s in _sessions() if s.location and s.location.latitude is not None)
    before = client.get("/calendar.ics")
    s.location.confidential = True
    db.session.commit()
    after = client.get("/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    master = _master(after.data, s)
    assert str(master["LOCATION"]) == s.location.town
    assert "GEO" not in master
    assert master["SEQUENCE"] > _master(before.data, s)["SEQUENCE"]


def test_public_places_give_address_and_coordinates(client):
    s = next(s for s in _sessions() if s.location and not s.location.confidential and s.attending_type == "in-person")
    master = _master(client.get("/calendar.ics").data, s)
    assert s.location.postcode in str(master["LOCATION"])
    assert master["GEO"].latitude == pytest.approx(s.location.latitude)


def test_online_sessions_carry_the_joining_link(client):
    s = next(s for s in _sessions() if s.online_url)
    master = _master(client.get("/calendar.ics").data, s)
    assert str(master["CONFERENCE"]) == s.online_url
    assert s.online_url in str(master["DESCRIPTION"])


def test_moved_session_is_an_override_with_the_new_place_and_time(client):
    exc = db.session.scalars(select(ScheduleException).where(ScheduleException.status == "moved")).first()
    s = exc.schedule
    events = [e for e in _events(client.get("/calendar.ics").data) if str(e["UID"]) == _uid(s)]
    override = next(e for e in events if "RECURRENCE-ID" in e)
    assert override.decoded("RECURRENCE-ID") == datetime.combine(exc.original_date, s.opens_at, LONDON)
    moved = recurrence.session_on(s, exc.original_date)
    assert override.decoded("DTSTART") == moved.start
    assert exc.note in str(override["DESCRIPTION"])
    if exc.new_location:
        assert exc.new_location.town in str(override["LOCATION"])


def test_meetings_feed_uses_the_same_filters_as_the_page(client):
    ics = client.get("/meetings.ics?online=y").data
    uids = {str(e["UID"]) for e in _events(ics)}
    remote = {_uid(s) for s in _sessions() if s.attending_type in ("online", "hybrid", "phone")}
    assert uids == remote and uids
    assert client.get("/meetings.ics?day=NOPE&time=never").status_code == 200


def test_service_feed_has_only_that_service(client):
    s = _sessions()[0]
    uids = {str(e["UID"]) for e in _events(client.get(f"/services/{s.service.slug}.ics").data)}
    assert uids == {_uid(x) for x in s.service.schedules if x.kind == "session"}


def test_unknown_service_feed_is_404(client):
    assert client.get("/services/no-such-group.ics").status_code == 404


def test_add_to_calendar_gives_one_session(client):
    s = next(s for s in _sessions() if not s.count)
    nxt = recurrence.upcoming(s, clock.now_in("Europe/London"), 2)[-1]
    response = client.get(f"/services/{s.service.slug}/sessions/{s.id}/{nxt.original_date.isoformat()}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = _events(response.data)
    assert "RRULE" not in event
    assert event.decoded("DTSTART") == nxt.start


@pytest.mark.parametrize("day", ["2026-02-31", "not-a-date", "1999-01-01"])
def test_add_to_calendar_for_a_day_without_a_session_is_404(client, day):
    s = _sessions()[0]
    assert client.get(f"/services/{s.service.slug}/sessions/{s.id}/{day}.ics").status_code == 404


def test_add_to_calendar_for_another_services_schedule_is_404(client):
    a, b = (s for s in _sessions() if s.service_id != _sessions()[0].service_id), _sessions()[0]
    other = next(a)
    day = recurrence.upcoming(other, clock.now_in("Europe/London"), 1)[0].original_date
    assert client.get(f"/services/{b.service.slug}/sessions/{other.id}/{day}.ics").status_code == 404


def test_service_page_offers_subscribe_and_add_to_calendar(client):
    s = _sessions()[0]
    html = client.get(f"/services/{s.service.slug}").get_data(as_text=True)
    assert f"webcal://localhost/services/{s.service.slug}.ics" in html
    assert f'href="/services/{s.service.slug}.ics"' in html
    assert "Add to calendar" in html


def test_service_page_strikes_through_a_cancelled_session_with_its_reason(client):
    now = clock.now_in("Europe/London")
    exc = next(
        e for e in db.session.scalars(select(ScheduleException).where(ScheduleException.status == "cancelled"))
        if e.original_date in [
            x.original_date
            for x in recurrence.merge_upcoming([x for x in e.schedule.service.schedules if x.kind == "session"], now, 5)
        ]
    )
    s = exc.schedule
    html = client.get(f"/services/{s.service.slug}").get_data(as_text=True)
    when = datetime.combine(exc.original_date, s.opens_at)
    assert 'class="cancelled-session"' in html and "Cancelled" in html
    assert exc.note.replace("'", "&#39;") in html
    assert words.format_date(when.date()) in html


def test_if_modified_since_in_the_past_gets_the_feed(client):
    long_ago = format_datetime(datetime(2000, 1, 1, tzinfo=LONDON), usegmt=False)
    assert client.get("/calendar.ics", headers={"If-Modified-Since": long_ago}).status_code == 200


def test_kept_events_give_the_same_feed_as_writing_every_event_afresh(client, app):
    client.get("/calendar.ics")  # fills the cache
    s = _sessions()[0]
    s.notes = "Now in the small hall"
    db.session.commit()
    cached = client.get("/calendar.ics").data
    with app.test_request_context():
        everything = db.session.scalars(select_schedules(MeetingQuery())).unique()
        fresh = ical.feed(everything, responses.site(), "All group sessions – Dual Diagnosis Support Directory")
    assert cached == fresh
    assert b"Now in the small hall" in _unfolded(cached)


def test_after_one_edit_only_that_schedule_is_written_again(client, monkeypatch):
    client.get("/calendar.ics")
    s = _sessions()[1]
    s.notes = "Bring a friend if you like"
    db.session.commit()
    written = _writes(monkeypatch)
    assert b"Bring a friend if you like" in _unfolded(client.get("/calendar.ics").data)
    assert written == [s.id]


def test_the_next_sessions_on_each_group_page_are_the_ones_calendar_apps_show(client):
    now = clock.now_in("Europe/London")
    start, end = datetime.combine(now.date(), time.min, LONDON), now + timedelta(days=400)
    services = {s.service for s in _sessions()}
    for service in services:
        html = client.get(f"/services/{service.slug}").get_data(as_text=True)
        occurrences = sorted(
            (begin, finish)
            for _, begin, finish in expand(client.get(f"/services/{service.slug}.ics").data, start, end)
            if (finish or begin) > now.replace(tzinfo=None)
        )
        in_feed = [
            f"{words.format_date(b.date())}, {words.format_time(b.time())}"
            + (f" to {words.format_time(f.time())}" if f else "")
            for b, f in occurrences
        ]
        if not in_feed:  # a course that has finished
            assert 'id="next-sessions"' not in html and "No more sessions are planned" in html, service.slug
            continue
        listed = html.split('id="next-sessions"', 1)[1].split("</ul>", 1)[0]
        shown = re.findall(r'<span class="">([^<]+)</span>', listed)
        assert shown, service.slug
        assert shown == in_feed[: len(shown)], service.slug


def test_a_newly_started_app_server_serves_the_feed_without_writing_every_event_again(client, monkeypatch):
    first = client.get("/calendar.ics").data
    responses.events().clear()  # what a new or restarted app server has in memory
    written = _writes(monkeypatch)
    assert client.get("/calendar.ics").data == first
    assert written == []

    s = _sessions()[2]
    s.notes = "Meeting in the garden room from now on"
    db.session.commit()
    responses.events().clear()
    assert b"Meeting in the garden room from now on" in _unfolded(client.get("/calendar.ics").data)
    assert written == [s.id], "a kept rendering of an older version is never served"


def test_a_release_that_writes_events_differently_never_serves_ones_kept_from_before(client, monkeypatch):
    before = client.get("/calendar.ics")
    for kept in db.session.scalars(select(ScheduleRendering)):  # as an older release wrote them
        kept.body = kept.body.replace(b"More about this group", b"Written by an older release")
    db.session.commit()
    responses.events().clear()  # the new release's app servers start with nothing in memory
    monkeypatch.setattr(ical, "LAYOUT", ical.LAYOUT + "+next")
    written = _writes(monkeypatch)
    after = client.get("/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "calendar apps fetch the feed again"
    assert b"Written by an older release" not in _unfolded(after.data)
    assert after.data == before.data
    assert sorted(written) == sorted(s.id for s in _sessions())


# The bytes written for two fixed groups, by layout. A change to how events are written
# (ical.py, or the wording it takes from recurrence.py and vocab.py) must raise
# ical.FEED_FORMAT, so that kept events are written again and calendar apps fetch them,
# and be recorded here.
WRITTEN = {"1/icalendar-7.3.0": "ffeeb61e258ff2771aa1b20e1a7672fefec7c39889cbf38f413a59d09b848a78"}


def test_events_are_written_as_the_feed_format_says():
    venue = SimpleNamespace(public_address="Oak Street Hall, 1 Oak Street, Salford M6 5AA", confidential=False,
                            latitude=53.48, longitude=-2.29, town="Salford")
    weekly = make(location=venue, attending_type="hybrid", online_url="https://meet.example/oak", notes="Tea; biscuits.",
                  exceptions=[exception(date(2026, 1, 13), note="Hall closed"),
                              exception(date(2026, 1, 20), "moved", new_date=date(2026, 1, 21), new_opens_at=time(18),
                                        new_closes_at=time(19, 30), note="Wednesday this week")])
    monthly = make(id=2, freq="MONTHLY", byday="2TU", count=6, attending_type="online", online_url="https://meet.example/m")
    site = ical.Site(host="example.org", service_url=lambda service: f"https://example.org/services/{service.slug}")
    written = ical.feed([weekly, monthly], site, "Fixed groups")
    assert WRITTEN.get(ical.LAYOUT) == hashlib.sha256(written).hexdigest(), (
        "events are written differently now: raise ical.FEED_FORMAT and record the new digest in WRITTEN"
    )


def test_after_feeds_warm_no_feed_request_writes_an_event(client, runner, monkeypatch):
    written_by_the_request = client.get("/calendar.ics").data
    db.session.execute(delete(ScheduleRendering))
    db.session.commit()
    responses.events().clear()
    n = len(_sessions())
    result = runner.invoke(args=["feeds", "warm", "--url", "http://localhost/"])
    assert result.exit_code == 0, result.output
    assert f"Wrote the events of {n} of {n} published schedules for http://localhost/ in " in result.output
    written = _writes(monkeypatch)
    assert client.get("/calendar.ics").data == written_by_the_request
    assert written == []
    again = runner.invoke(args=["feeds", "warm", "--url", "http://localhost/"])
    assert f"Wrote the events of 0 of {n} published schedules" in again.output
    assert written == []


def test_a_feed_request_for_an_origin_nobody_warmed_writes_its_events_itself(client, runner):
    runner.invoke(args=["feeds", "warm", "--url", "https://directory.example.org/"])
    ics = client.get("/calendar.ics").data
    assert len([e for e in _events(ics) if "RECURRENCE-ID" not in e]) == len(_sessions())
    assert b"URL:http://localhost/services/" in _unfolded(ics) and b"directory.example.org" not in ics


def _first_session() -> Schedule:
    return next(s for s in _sessions() if s.location and s.location.latitude is not None and not s.service.national)


def _near(s: Schedule) -> str:
    return f"/meetings.ics?near={s.location.latitude},{s.location.longitude}&radius=1"


# Writes made behind the app's back (an import, a hand-written fix): no ORM events run.
CHANGES_OUTSIDE_THE_APP = {
    "schedule edited": lambda s: update(Schedule).where(Schedule.id == s.id).values(notes="Moved upstairs"),
    "session cancelled": lambda s: insert(ScheduleException).values(
        schedule_id=s.id, original_date=clock.today_in("Europe/London") + timedelta(days=3650), status="cancelled", note="Closed"
    ),
    "service archived": lambda s: update(Service).where(Service.id == s.service_id).values(status="archived"),
    "schedule deleted": lambda s: delete(Schedule).where(Schedule.id == s.id),
    "venue moved away": lambda s: update(Location).where(Location.id == s.location_id).values(latitude=0, longitude=0),
}


@pytest.mark.parametrize("change", CHANGES_OUTSIDE_THE_APP)
def test_a_change_written_outside_the_app_reaches_calendar_apps(client, change):
    s = _first_session()
    path = _near(s) if change == "venue moved away" else "/calendar.ics"
    before = client.get(path)
    again = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 304
    db.session.execute(CHANGES_OUTSIDE_THE_APP[change](s))
    db.session.commit()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]



def test_each_transaction_reaches_calendar_apps_however_many_statements_it_runs(client):
    s = _first_session()
    etag = client.get("/calendar.ics").headers["ETag"]
    counted_before = change_count()
    for batch in range(2):
        for n in range(300):  # as an import does: one statement a row
            db.session.execute(update(Schedule).where(Schedule.id == s.id).values(notes=f"Batch {batch}, row {n}"))
        db.session.commit()
        response = client.get("/calendar.ics", headers={"If-None-Match": etag})
        assert response.status_code == 200 and response.headers["ETag"] != etag
        etag = response.headers["ETag"]
    if db.engine.dialect.name == "postgresql":
        # Counting each statement would make a big import slow down with the square of its size.
        assert change_count() - counted_before == 2
