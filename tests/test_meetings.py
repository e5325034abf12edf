"""/meetings: upcoming group sessions by day, filtered as a person would ask, and "open now" on /search."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from sqlalchemy import select

from directory import clock
from directory.extensions import db
from directory.models import Schedule, ScheduleException, Service
from directory.schedules import recurrence, rules
from tests.support.factories import ScheduleFactory, ServiceFactory

LONDON = rules.zone("Europe/London")
DAY_HEADING = re.compile(r'<h2 class="govuk-heading-m meeting-day">(.*?)</h2>', re.S)
SESSION_TIME = re.compile(r'<p class="govuk-body govuk-!-margin-bottom-1 session-time">(.*?)</p>', re.S)
GROUP_LINK = re.compile(r'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">\s*<a class="govuk-link" href="/services/([^"]+)">')


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _start_times(html: str) -> list[str]:
    return [re.search(r"\d+(:\d\d)?(am|pm)|midday|midnight", _text(p)).group(0) for p in SESSION_TIME.findall(html)]


def _hour(text: str) -> float:
    if text in ("midday", "midnight"):
        return 12 if text == "midday" else 0
    number, suffix = text[:-2], text[-2:]
    hour, _, minute = number.partition(":")
    return int(hour) % 12 + (12 if suffix == "pm" else 0) + int(minute or 0) / 60


def test_meetings_are_listed_by_day_in_time_order(client):
    html = client.get("/meetings").get_data(as_text=True)
    headings = [_text(h) for h in DAY_HEADING.findall(html)]
    assert len(headings) >= 5
    assert headings[0].startswith(("Today", "Tomorrow"))
    for day in html.split('meeting-day">')[1:]:
        hours = [_hour(t) for t in _start_times(day)]
        assert hours == sorted(hours)
    assert "Group meetings" in html and 'href="/meetings"' in html  # in the header navigation


def test_filter_by_day_shows_only_that_day(client):
    html = client.get("/meetings?day=TU").get_data(as_text=True)
    headings = [_text(h) for h in DAY_HEADING.findall(html)]
    assert headings and all("Tuesday" in h for h in headings)


def test_filter_by_time_of_day(client):
    evening = [_hour(t) for t in _start_times(client.get("/meetings?time=evening").get_data(as_text=True))]
    morning = [_hour(t) for t in _start_times(client.get("/meetings?time=morning").get_data(as_text=True))]
    assert evening and all(h >= 17 for h in evening)
    assert morning and all(h < 12 for h in morning)


def test_filter_by_group_type(app, client):
    html = client.get("/meetings?type=family").get_data(as_text=True)
    slugs = set(GROUP_LINK.findall(html))
    with app.app_context():
        family = set(db.session.scalars(select(Service.slug).where(Service.group_type == "family")))
    assert slugs and slugs <= family


def test_join_from_home_shows_online_hybrid_and_phone_groups(app, client):
    html = client.get("/meetings?online=y").get_data(as_text=True)
    slugs = set(GROUP_LINK.findall(html))
    with app.app_context():
        remote = set(db.session.scalars(
            select(Service.slug).join(Service.schedules).where(Schedule.attending_type.in_(("online", "hybrid", "phone")))
        ))
    assert slugs and slugs <= remote
    assert "webcal://localhost/meetings.ics?online=y" in html


def test_unknown_choices_are_explained_not_an_error(client):
    response = client.get("/meetings?day=Funday&time=teatime&type=nope&online=maybe")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Some of your choices could not be used" in html
    assert DAY_HEADING.search(html)  # the unknown choices are left out, the rest still works


def test_a_cancelled_session_is_struck_through_with_its_reason(app, client):
    from directory.search import meetings
    from directory.search.schedules import MeetingQuery

    with app.app_context():
        now = clock.now_in("Europe/London")
        listed = [x for d in meetings.by_day(MeetingQuery(), now) for x in d.sessions
                  if x.start > now and x.schedule.freq == "WEEKLY" and not x.cancelled]
        chosen = listed[-1]  # the last one the list shows: the far edge of the window
        chosen.schedule.exceptions.append(ScheduleException(
            original_date=chosen.original_date, status="cancelled", note="No meeting: the hall is closed for repairs"))
        db.session.commit()
    html = client.get("/meetings").get_data(as_text=True)
    assert 'class="cancelled-session"' in html
    assert "No meeting: the hall is closed for repairs" in html


def test_every_weekly_group_is_listed_whatever_the_hour(app, client):
    with app.app_context():
        today = clock.today_in("Europe/London")
        weekly = db.session.scalars(
            select(Schedule).join(Service)
            .where(Schedule.kind == "session", Schedule.freq == "WEEKLY", Schedule.interval == 1,
                   Schedule.until.is_(None), Schedule.count.is_(None), Schedule.dtstart <= today,
                   Service.status == "published")
        ).all()
        uninterrupted = {s.service.slug for s in weekly if not s.exceptions}
    html = client.get("/meetings").get_data(as_text=True)
    slugs = set(GROUP_LINK.findall(html))
    assert uninterrupted <= slugs


def test_a_meeting_starting_within_the_hour_is_marked(app, client):
    now = clock.now_in("Europe/London")
    soon = (now + timedelta(minutes=30)).replace(second=0, microsecond=0)
    going = (now - timedelta(minutes=10)).replace(second=0, microsecond=0)
    with app.app_context():
        service = ServiceFactory(group=True)
        for start in (soon, going):  # each on its own weekday, so either side of midnight works
            ScheduleFactory(
                service=service, byday=rules.DAY_CODES[start.weekday()],
                dtstart=start.date() - timedelta(days=7), opens_at=start.time(),
                closes_at=(start + timedelta(minutes=50)).time() if start.hour < 23 else time(23, 59),
            )
    html = client.get("/meetings").get_data(as_text=True)
    assert "Starting soon" in html and "In progress" in html


def test_open_now_filter_on_search_matches_the_open_now_marker(app, client):
    now = clock.now_in("Europe/London")
    listed: set[str] = set()
    page, html = 1, client.get("/search?open_now=y").get_data(as_text=True)
    shown = int(re.search(r"(\d+) services?", _text(html)).group(1))
    while True:  # every page of results, however many are open at this hour
        found = set(re.findall(r'href="/services/([^"]+)"', html)) - listed
        if not found:
            break
        listed |= found
        page += 1
        html = client.get(f"/search?open_now=y&page={page}").get_data(as_text=True)
    with app.app_context():
        opening = db.session.scalars(select(Schedule).where(Schedule.kind == "opening")).all()
        open_now = {s.service.slug for s in opening if recurrence.is_open([s], now) and s.service.status == "published"}
    assert open_now <= listed
    assert shown == len(open_now)


def test_near_a_town_lists_groups_there_and_ones_you_join_from_anywhere(app, client):
    html = client.get("/meetings?near=Bolton&radius=5").get_data(as_text=True)
    assert "sessions near Bolton, within 5 miles, soonest first" in html
    slugs = set(GROUP_LINK.findall(html))
    with app.app_context():
        services = db.session.scalars(select(Service).where(Service.slug.in_(slugs))).all()
        assert any(not s.national for s in services)
        assert all(s.national or any(loc.town == "Bolton" for loc in s.locations) for s in services)
    assert "near=Bolton" in html and "meetings.ics?near=Bolton" in html


def test_a_place_we_cannot_find_is_explained_on_the_form(client):
    response = client.get("/meetings?near=Nowhereville")
    assert response.status_code == 200
    assert "We couldn&#39;t find “Nowhereville”" in response.get_data(as_text=True)


def test_a_group_that_meets_on_a_date_of_the_month_is_found_on_the_weekday_it_falls(database):
    from directory.search import meetings
    from directory.search.schedules import MeetingQuery

    now = clock.now_in("Europe/London")
    group = ScheduleFactory(freq="MONTHLY", byday="", bymonthday=15, dtstart=date(now.year - 1, 1, 15))
    nxt = recurrence.upcoming(group, now, 1)[0]
    day = rules.DAY_CODES[nxt.start.weekday()]
    other = rules.DAY_CODES[(nxt.start.weekday() + 1) % 7]
    listed = meetings.by_day(MeetingQuery(days=(day,)), now, days=40)
    assert any(x.schedule.id == group.id and x.start == nxt.start for d in listed for x in d.sessions)
    listed_other = meetings.by_day(MeetingQuery(days=(other,)), now, days=40)
    assert all(rules.DAY_CODES[x.start.weekday()] == other for d in listed_other for x in d.sessions)
