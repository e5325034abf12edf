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
from directory.models import Location, Schedule, ScheduleException, ScheduleRendering, Service
from directory.schedules import recurrence, rules
from directory.search.kept import change_count
from directory.search.schedules import MeetingQuery, select_schedules
from tests.support.factories import LocationFactory, ScheduleExceptionFactory, ScheduleFactory, ServiceFactory, snapshot
from tests.support.feedcheck import expand, ours
from tests.support.schedules import exception, make

LONDON = rules.zone("Europe/London")


def _window(days: int = 400) -> tuple[datetime, datetime]:
    today = clock.today_in("Europe/London")
    return datetime.combine(today, time.min, LONDON), datetime.combine(today + timedelta(days=days), time.min, LONDON)


def _sessions() -> list[Schedule]:
    """Every published session schedule (inside an app context)."""
    return db.session.scalars(
        select(Schedule).join(Schedule.service).where(Schedule.kind == "session", Service.status == "published")
    ).all()


def _uid(s) -> str:
    return f"schedule-{s.id}@localhost"


def _unfolded(ics: bytes) -> bytes:
    return ics.replace(b"\r\n ", b"")


def _events(ics: bytes) -> list:
    return [c for c in Calendar.from_ical(ics).walk("VEVENT")]


def _restart(app) -> None:
    """Forget the events kept in memory, as a new or restarted app server would."""
    with app.app_context():
        responses.events().clear()


def _writes(monkeypatch) -> list[int]:
    """The ids of the schedules whose events get written from now on."""
    written: list[int] = []
    original = ical.schedule_events
    monkeypatch.setattr(ical, "schedule_events", lambda sched, site: written.append(sched.id) or original(sched, site))
    return written


def test_every_demo_session_in_the_feed_is_where_our_pages_put_it(app, client):
    start, end = _window()
    response = client.get("/calendar.ics")
    with app.app_context():
        schedules = _sessions()
        assert len(schedules) >= 15
        theirs, mine = expand(response.data, start, end), ours(schedules, _uid, start, end)
        assert theirs == mine
        assert len({uid for uid, *_ in theirs}) == len({_uid(s) for s in schedules if recurrence.upcoming(s, start, 1)})


def test_an_evening_meeting_stays_at_its_local_time_across_both_clock_changes(app, client):
    start, end = _window()
    with app.app_context():
        weekly = snapshot(ScheduleFactory(opens_at=time(19), closes_at=time(20, 30)))
    occurrences = sorted(
        begin for uid, begin, _ in expand(client.get("/calendar.ics").data, start, end) if uid == _uid(weekly)
    )
    assert {t.time() for t in occurrences} == {weekly.opens_at}
    offsets = {datetime.combine(t.date(), t.time(), LONDON).utcoffset() for t in occurrences}
    assert offsets == {timedelta(0), timedelta(hours=1)}  # winter and summer both in the 400 days


def test_feed_is_one_recurring_event_per_schedule_with_timezone_and_exceptions(app, client):
    ics = client.get("/calendar.ics").data
    cal = Calendar.from_ical(ics)
    events = _events(ics)
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    with app.app_context():
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
def test_a_calendar_app_that_has_the_latest_version_gets_304(app, client, path):
    if path == "service":
        with app.app_context():
            path = f"/services/{ScheduleFactory().service.slug}.ics"
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


def test_editing_a_schedule_changes_etag_and_raises_sequence(app, client):
    with app.app_context():
        made = ScheduleFactory(opens_at=time(19))
        s, path = snapshot(made), f"/services/{made.service.slug}.ics"
    before = client.get(path)
    old_sequence = _master(before.data, s)["SEQUENCE"]
    with app.app_context():
        db.session.get(Schedule, s.id).opens_at = time(18, 15)
        db.session.commit()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    master = _master(after.data, s)
    assert master["SEQUENCE"] > old_sequence
    assert master.decoded("DTSTART").time() == time(18, 15)


def test_cancelling_one_session_reaches_the_feed_as_an_exdate(app, client):
    with app.app_context():
        made = ScheduleFactory()
        s, path = snapshot(made), f"/services/{made.service.slug}.ics"
    before = client.get(path)
    with app.app_context():
        sched = db.session.get(Schedule, s.id)
        nxt = recurrence.upcoming(sched, clock.now_in("Europe/London"), 1)[0]
        ScheduleExceptionFactory(schedule=sched, original_date=nxt.original_date, status="cancelled", note="No meeting on 24 Dec")
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    master = _master(after.data, s)
    assert master["SEQUENCE"] > _master(before.data, s)["SEQUENCE"]
    assert nxt.start in master.exdates
    assert "No meeting on 24 Dec" in str(master["DESCRIPTION"])


def _master(ics: bytes, s: Schedule):
    return next(e for e in _events(ics) if str(e["UID"]) == _uid(s) and "RECURRENCE-ID" not in e)


def test_text_with_commas_semicolons_newlines_and_emoji_survives(app, client):
    with app.app_context():
        made = ScheduleFactory()
        made.service.name = "Tea, talk; and 🌱 recovery"
        made.notes = "Line one\nLine two, with a comma; and a semicolon\\backslash"
        db.session.commit()
        s, slug = snapshot(made), made.service.slug
    ics = client.get(f"/services/{slug}.ics").data
    assert b"SUMMARY:Tea\\, talk\\; and \xf0\x9f\x8c\xb1 recovery" in ics
    master = _master(ics, s)
    assert str(master["SUMMARY"]) == "Tea, talk; and 🌱 recovery"
    assert s.notes in str(master["DESCRIPTION"])
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))


def test_a_venue_made_confidential_leaves_subscribed_calendars_with_the_town_only(app, client):
    with app.app_context():
        made = ScheduleFactory()
        s, venue = snapshot(made), snapshot(made.location)
    assert venue.latitude is not None
    before = client.get("/calendar.ics")
    with app.app_context():
        db.session.get(Location, venue.id).confidential = True
        db.session.commit()
    after = client.get("/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    master = _master(after.data, s)
    assert str(master["LOCATION"]) == venue.town
    assert "GEO" not in master
    assert master["SEQUENCE"] > _master(before.data, s)["SEQUENCE"]


def test_public_places_give_address_and_coordinates(app, client):
    with app.app_context():
        made = ScheduleFactory(attending_type="in-person")
        s, venue = snapshot(made), snapshot(made.location)
    assert not venue.confidential
    master = _master(client.get("/calendar.ics").data, s)
    assert venue.postcode in str(master["LOCATION"])
    assert master["GEO"].latitude == pytest.approx(venue.latitude)


def test_online_sessions_carry_the_joining_link(app, client):
    with app.app_context():
        s = snapshot(ScheduleFactory(online=True, online_url="https://meet.example/testham-tuesdays"))
    master = _master(client.get("/calendar.ics").data, s)
    assert str(master["CONFERENCE"]) == s.online_url
    assert s.online_url in str(master["DESCRIPTION"])


def test_moved_session_is_an_override_with_the_new_place_and_time(app, client):
    with app.app_context():
        sched = ScheduleFactory()
        day = recurrence.upcoming(sched, clock.now_in("Europe/London"), 2)[1].original_date
        exc = ScheduleExceptionFactory(
            schedule=sched, original_date=day, status="moved", new_date=day + timedelta(days=1), new_opens_at=time(18),
            new_closes_at=time(19, 30), new_location=LocationFactory(name="Testham Library", town="Nether Testham"),
            note="Wednesday this week, at the library",
        )
        s, exc, new_town = snapshot(sched), snapshot(exc), exc.new_location.town
        moved = recurrence.session_on(sched, exc.original_date)
    events = [e for e in _events(client.get("/calendar.ics").data) if str(e["UID"]) == _uid(s)]
    override = next(e for e in events if "RECURRENCE-ID" in e)
    assert override.decoded("RECURRENCE-ID") == datetime.combine(exc.original_date, s.opens_at, LONDON)
    assert override.decoded("DTSTART") == moved.start
    assert exc.note in str(override["DESCRIPTION"])
    assert new_town in str(override["LOCATION"])


def test_meetings_feed_uses_the_same_filters_as_the_page(app, client):
    ics = client.get("/meetings.ics?online=y").data
    uids = {str(e["UID"]) for e in _events(ics)}
    with app.app_context():
        remote = {_uid(s) for s in _sessions() if s.attending_type in ("online", "hybrid", "phone")}
    assert uids == remote and uids
    assert client.get("/meetings.ics?day=NOPE&time=never").status_code == 200


def test_service_feed_has_only_that_service(app, client):
    with app.app_context():
        service = ServiceFactory(group=True)
        ScheduleFactory(service=service, byday="TU")
        ScheduleFactory(service=service, byday="TH", opens_at=time(11), closes_at=time(12))
        ScheduleFactory(service=service, kind="opening", byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17))
        ScheduleFactory()  # another group's sessions
        slug, sessions = service.slug, {_uid(x) for x in service.schedules if x.kind == "session"}
    uids = {str(e["UID"]) for e in _events(client.get(f"/services/{slug}.ics").data)}
    assert uids == sessions


def test_unknown_service_feed_is_404(client):
    assert client.get("/services/no-such-group.ics").status_code == 404


def test_add_to_calendar_gives_one_session(app, client):
    with app.app_context():
        s = ScheduleFactory(count=None)
        nxt = recurrence.upcoming(s, clock.now_in("Europe/London"), 2)[-1]
        slug, s = s.service.slug, snapshot(s)
    response = client.get(f"/services/{slug}/sessions/{s.id}/{nxt.original_date.isoformat()}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = _events(response.data)
    assert "RRULE" not in event
    assert event.decoded("DTSTART") == nxt.start


@pytest.mark.parametrize("day", ["2026-02-31", "not-a-date", "1999-01-01"])
def test_add_to_calendar_for_a_day_without_a_session_is_404(app, client, day):
    with app.app_context():
        s = ScheduleFactory()
        slug, s = s.service.slug, snapshot(s)
    assert client.get(f"/services/{slug}/sessions/{s.id}/{day}.ics").status_code == 404


def test_add_to_calendar_for_another_services_schedule_is_404(app, client):
    with app.app_context():
        b, other = ScheduleFactory(), ScheduleFactory()
        day = recurrence.upcoming(other, clock.now_in("Europe/London"), 1)[0].original_date
        slug, other = b.service.slug, snapshot(other)
    assert client.get(f"/services/{slug}/sessions/{other.id}/{day}.ics").status_code == 404


def test_service_page_offers_subscribe_and_add_to_calendar(app, client):
    with app.app_context():
        slug = ScheduleFactory().service.slug
    html = client.get(f"/services/{slug}").get_data(as_text=True)
    assert f"webcal://localhost/services/{slug}.ics" in html
    assert f'href="/services/{slug}.ics"' in html
    assert "Add to calendar" in html


def test_service_page_strikes_through_a_cancelled_session_with_its_reason(app, client):
    now = clock.now_in("Europe/London")
    with app.app_context():
        made = ScheduleExceptionFactory(status="cancelled", note="No meeting: it's the hall's open day")
        sched = made.schedule
        assert made.original_date in [x.original_date for x in recurrence.merge_upcoming([sched], now, 5)]
        exc, s, slug = snapshot(made), snapshot(sched), sched.service.slug
    html = client.get(f"/services/{slug}").get_data(as_text=True)
    when = datetime.combine(exc.original_date, s.opens_at)
    assert 'class="cancelled-session"' in html and "Cancelled" in html
    assert exc.note.replace("'", "&#39;") in html
    assert words.format_date(when.date()) in html


def test_if_modified_since_in_the_past_gets_the_feed(client):
    long_ago = format_datetime(datetime(2000, 1, 1, tzinfo=LONDON), usegmt=False)
    assert client.get("/calendar.ics", headers={"If-Modified-Since": long_ago}).status_code == 200


def test_kept_events_give_the_same_feed_as_writing_every_event_afresh(client, app):
    client.get("/calendar.ics")  # fills the cache
    with app.app_context():
        _sessions()[0].notes = "Now in the small hall"
        db.session.commit()
    cached = client.get("/calendar.ics").data
    with app.test_request_context():
        everything = db.session.scalars(select_schedules(MeetingQuery())).unique()
        fresh = ical.feed(everything, responses.site(), "All group sessions – Dual Diagnosis Support Directory")
    assert cached == fresh
    assert b"Now in the small hall" in _unfolded(cached)


def test_after_one_edit_only_that_schedule_is_written_again(app, client, monkeypatch):
    client.get("/calendar.ics")
    with app.app_context():
        s = _sessions()[1]
        s.notes = "Bring a friend if you like"
        db.session.commit()
        edited = s.id
    written = _writes(monkeypatch)
    assert b"Bring a friend if you like" in _unfolded(client.get("/calendar.ics").data)
    assert written == [edited]


def test_the_next_sessions_on_each_group_page_are_the_ones_calendar_apps_show(app, client):
    now = clock.now_in("Europe/London")
    start, end = datetime.combine(now.date(), time.min, LONDON), now + timedelta(days=400)
    with app.app_context():
        slugs = {s.service.slug for s in _sessions()}
    for slug in slugs:
        html = client.get(f"/services/{slug}").get_data(as_text=True)
        occurrences = sorted(
            (begin, finish)
            for _, begin, finish in expand(client.get(f"/services/{slug}.ics").data, start, end)
            if (finish or begin) > now.replace(tzinfo=None)
        )
        in_feed = [
            f"{words.format_date(b.date())}, {words.format_time(b.time())}"
            + (f" to {words.format_time(f.time())}" if f else "")
            for b, f in occurrences
        ]
        if not in_feed:  # a course that has finished
            assert 'id="next-sessions"' not in html and "No more sessions are planned" in html, slug
            continue
        listed = html.split('id="next-sessions"', 1)[1].split("</ul>", 1)[0]
        shown = re.findall(r'<span class="">([^<]+)</span>', listed)
        assert shown, slug
        assert shown == in_feed[: len(shown)], slug


def test_a_newly_started_app_server_serves_the_feed_without_writing_every_event_again(app, client, monkeypatch):
    first = client.get("/calendar.ics").data
    _restart(app)  # what a new or restarted app server has in memory
    written = _writes(monkeypatch)
    assert client.get("/calendar.ics").data == first
    assert written == []

    with app.app_context():
        s = _sessions()[2]
        s.notes = "Meeting in the garden room from now on"
        db.session.commit()
        edited = s.id
    _restart(app)
    assert b"Meeting in the garden room from now on" in _unfolded(client.get("/calendar.ics").data)
    assert written == [edited], "a kept rendering of an older version is never served"


def test_a_release_that_writes_events_differently_never_serves_ones_kept_from_before(app, client, monkeypatch):
    before = client.get("/calendar.ics")
    with app.app_context():
        for kept in db.session.scalars(select(ScheduleRendering)):  # as an older release wrote them
            kept.body = kept.body.replace(b"More about this group", b"Written by an older release")
        db.session.commit()
    _restart(app)  # the new release's app servers start with nothing in memory
    monkeypatch.setattr(ical, "LAYOUT", ical.LAYOUT + "+next")
    written = _writes(monkeypatch)
    after = client.get("/calendar.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "calendar apps fetch the feed again"
    assert b"Written by an older release" not in _unfolded(after.data)
    assert after.data == before.data
    with app.app_context():
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


def test_after_feeds_warm_no_feed_request_writes_an_event(app, client, runner, monkeypatch):
    written_by_the_request = client.get("/calendar.ics").data
    with app.app_context():
        db.session.execute(delete(ScheduleRendering))
        db.session.commit()
        n = len(_sessions())
    _restart(app)
    result = runner.invoke(args=["feeds", "warm", "--url", "http://localhost/"])
    assert result.exit_code == 0, result.output
    assert f"Wrote the events of {n} of {n} published schedules for http://localhost/ in " in result.output
    written = _writes(monkeypatch)
    assert client.get("/calendar.ics").data == written_by_the_request
    assert written == []
    again = runner.invoke(args=["feeds", "warm", "--url", "http://localhost/"])
    assert f"Wrote the events of 0 of {n} published schedules" in again.output
    assert written == []


def test_a_feed_request_for_an_origin_nobody_warmed_writes_its_events_itself(app, client, runner):
    runner.invoke(args=["feeds", "warm", "--url", "https://directory.example.org/"])
    ics = client.get("/calendar.ics").data
    with app.app_context():
        assert len([e for e in _events(ics) if "RECURRENCE-ID" not in e]) == len(_sessions())
    assert b"URL:http://localhost/services/" in _unfolded(ics) and b"directory.example.org" not in ics


def _group_at_a_venue(app):
    """A weekly group's schedule and its venue (snapshots), made for the test."""
    with app.app_context():
        made = ScheduleFactory()
        return snapshot(made), snapshot(made.location)


def _near(venue) -> str:
    return f"/meetings.ics?near={venue.latitude},{venue.longitude}&radius=1"


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
def test_a_change_written_outside_the_app_reaches_calendar_apps(app, client, change):
    s, venue = _group_at_a_venue(app)
    path = _near(venue) if change == "venue moved away" else "/calendar.ics"
    before = client.get(path)
    again = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 304
    with app.app_context():
        db.session.execute(CHANGES_OUTSIDE_THE_APP[change](s))
        db.session.commit()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]



def test_each_transaction_reaches_calendar_apps_however_many_statements_it_runs(app, client):
    s, _ = _group_at_a_venue(app)
    etag = client.get("/calendar.ics").headers["ETag"]
    with app.app_context():
        counted_before = change_count()
    for batch in range(2):
        with app.app_context():
            for n in range(300):  # as an import does: one statement a row
                db.session.execute(update(Schedule).where(Schedule.id == s.id).values(notes=f"Batch {batch}, row {n}"))
            db.session.commit()
        response = client.get("/calendar.ics", headers={"If-None-Match": etag})
        assert response.status_code == 200 and response.headers["ETag"] != etag
        etag = response.headers["ETag"]
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # Counting each statement would make a big import slow down with the square of its size.
            assert change_count() - counted_before == 2
