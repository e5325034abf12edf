"""Property tests: for any valid schedule a calendar app expands our feed to exactly our sessions,
and impossible schedules are refused with a message a facilitator can act on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from directory.feeds import ical
from directory.schedules import recurrence, rules
from tests.feedcheck import expand, ours
from tests.schedules import exception, make

ZONES = ["Europe/London", "Europe/Dublin", "America/New_York", "Australia/Sydney", "UTC"]
SITE = ical.Site(host="test.example", service_url=lambda service: f"https://test.example/services/{service.slug}")
POSITIONS = [1, 2, 3, 4, -1]

times = st.builds(time, st.integers(0, 22), st.sampled_from([0, 15, 30, 45]))
starts = st.dates(date(2024, 1, 1), date(2027, 12, 31))


@st.composite
def rule_fields(draw) -> dict:
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(rules.DAY_CODES), min_size=1, max_size=3, unique=True))
        return {"freq": "WEEKLY", "interval": draw(st.integers(1, 4)), "byday": ",".join(days), "bymonthday": None}
    rule = {"freq": "MONTHLY", "interval": draw(st.integers(1, 3))}
    if draw(st.booleans()):
        picks = draw(st.lists(st.tuples(st.sampled_from(POSITIONS), st.sampled_from(rules.DAY_CODES)), min_size=1, max_size=2, unique=True))
        return {**rule, "byday": ",".join(f"{n}{d}" for n, d in picks), "bymonthday": None}
    return {**rule, "byday": "", "bymonthday": draw(st.integers(1, 31))}


@st.composite
def valid_schedules(draw, first_is_a_session: bool = True):
    """People type any first date; the feed tests start from the first real session."""
    opens = draw(times)
    closes = draw(st.one_of(st.none(), st.builds(time, st.integers(opens.hour + 1, 23), st.sampled_from([0, 30]))))
    dtstart = draw(starts)
    end = draw(st.sampled_from(["open", "until", "count"]))
    s = make(
        **draw(rule_fields()), dtstart=dtstart, opens_at=opens, closes_at=closes, timezone=draw(st.sampled_from(ZONES)),
        until=dtstart + timedelta(days=draw(st.integers(0, 1500))) if end == "until" else None,
        count=draw(st.integers(1, 60)) if end == "count" else None,
    )
    try:
        rules.validate(s)
    except rules.ScheduleError:
        assume(False)
    if first_is_a_session:
        s.dtstart = rules.first_date(s)
    return s


def _window(s) -> tuple[datetime, datetime]:
    tz = rules.zone(s.timezone)
    return datetime.combine(s.dtstart, time.min, tz), datetime.combine(s.dtstart + timedelta(days=400), time.min, tz)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(valid_schedules(), st.data())
def test_a_calendar_app_expands_our_feed_to_our_sessions(s, data):
    start, end = _window(s)
    sessions = recurrence.sessions_between(s, start, end)
    for x in data.draw(st.lists(st.sampled_from(sessions), max_size=3, unique_by=lambda x: x.original_date)) if sessions else []:
        if data.draw(st.booleans()):
            s.exceptions.append(exception(x.original_date, note="No meeting; sorry, folks 🙏"))
        else:
            hour = data.draw(st.integers(6, 20))
            s.exceptions.append(exception(x.original_date, "moved", new_opens_at=time(hour), new_closes_at=time(hour + 2) if s.closes_at else None,
                                          new_date=x.original_date + timedelta(days=data.draw(st.integers(-2, 2))), note="Moved, this week only"))
    s.exceptions.sort(key=lambda e: e.original_date)
    ics = ical.feed([s], SITE, "Test")
    uid = lambda sched: ical.uid(sched, SITE.host)  # noqa: E731
    theirs = expand(ics, start, end)
    assert theirs == ours([s], uid, start, end)
    assert theirs or all(x.cancelled for x in recurrence.sessions_between(s, start, end))


@given(valid_schedules(), st.integers(0, 120), st.integers(1, 5))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
def test_next_sessions_are_the_first_ones_after_now(s, days_in, limit):
    now = _window(s)[0] + timedelta(days=days_in, hours=13)
    later = [x for x in recurrence.sessions_between(s, now - timedelta(days=1), now + timedelta(days=400)) if (x.end or x.start) > now]
    assert recurrence.upcoming(s, now, limit) == later[:limit]


@given(valid_schedules(first_is_a_session=False), st.integers(-60, 2000), st.integers(1, 500))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
def test_sessions_years_into_a_rule_are_the_ones_dateutil_walks_to(s, days_in, days_long):
    start = datetime.combine(s.dtstart + timedelta(days=days_in), time(12), rules.zone(s.timezone))
    end = start + timedelta(days=days_long)
    naive_end = end.replace(tzinfo=None)
    walked = [t for t in rules.build_rrule(s).between(start.replace(tzinfo=None), naive_end, inc=True) if t < naive_end]
    assert [x.start.replace(tzinfo=None) for x in recurrence.sessions_between(s, start, end)] == walked


impossible = st.one_of(
    st.builds(lambda t: ({"opens_at": t, "closes_at": t}, "The end time must be after the start time"), times),
    st.builds(lambda d: ({"until": date(2026, 1, 6) - timedelta(days=d)}, "The end date must be on or after the start date"), st.integers(1, 900)),
    st.builds(lambda day, years: ({"freq": "MONTHLY", "byday": "", "bymonthday": day, "interval": 12 * years, "dtstart": date(2026, 2, 1)},
                                  f"There is no {day}{'th' if day == 30 else 'st'} of February, so this schedule never meets"),
              st.sampled_from([30, 31]), st.integers(1, 4)),
    st.builds(lambda n: ({"interval": n}, "The gap between sessions must be at least 1"), st.integers(-5, 0)),
)


@given(impossible)
def test_impossible_schedules_are_refused_with_a_clear_message(case):
    fields, message = case
    try:
        rules.validate(make(**fields))
    except rules.ScheduleError as exc:
        assert str(exc) == message
    else:
        raise AssertionError(f"accepted {fields}")
