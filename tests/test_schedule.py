"""Recurrence in words and in time: what a person reads on a service page and when they turn up."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from directory.schedules import recurrence, rules, wording
from tests.schedules import exception, make

LONDON = rules.zone("Europe/London")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({}, "Every Tuesday, 7pm to 8:30pm"),
        ({"interval": 2, "byday": "WE"}, "Every other Wednesday, 7pm to 8:30pm"),
        ({"freq": "MONTHLY", "byday": "2TH,4TH", "dtstart": date(2026, 1, 8)}, "2nd and 4th Thursday of the month, 7pm to 8:30pm"),
        ({"freq": "MONTHLY", "byday": "-1FR", "dtstart": date(2026, 1, 30)}, "Last Friday of the month, 7pm to 8:30pm"),
        ({"freq": "MONTHLY", "byday": "", "bymonthday": 15, "dtstart": date(2026, 1, 15)}, "On the 15th of the month, 7pm to 8:30pm"),
        ({"byday": "MO,TU,WE,TH,FR", "opens_at": time(9), "closes_at": time(17)}, "Monday to Friday, 9am to 5pm"),
        ({"count": 6, "opens_at": time(12), "closes_at": None}, "Every Tuesday, from midday (6 sessions from Tuesday 6 January 2026)"),
    ],
)
def test_schedules_in_words(fields, words):
    assert wording.describe(make(**fields)) == words


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"closes_at": time(18)}, "The end time must be after the start time"),
        ({"until": date(2025, 12, 1)}, "The end date must be on or after the start date"),
        ({"interval": 0}, "The gap between sessions must be at least 1"),
        ({"freq": "MONTHLY", "byday": "", "bymonthday": 31, "interval": 12, "dtstart": date(2026, 2, 1)},
         "There is no 31st of February, so this schedule never meets"),
        ({"freq": "MONTHLY", "byday": "", "bymonthday": 30, "interval": 24, "dtstart": date(2026, 2, 1)},
         "There is no 30th of February, so this schedule never meets"),
        ({"byday": "2TU"}, "A weekly schedule takes plain days (TU), not positions (2TU)"),
        ({"byday": "XX"}, "'XX' is not a day such as TU, 2TU or -1FR"),
        ({"timezone": "Mars/Olympus"}, "'Mars/Olympus' is not a time zone name such as Europe/London"),
        ({"count": 3, "until": date(2026, 6, 1)}, "Give an end date or a number of sessions, not both"),
    ],
)
def test_impossible_schedules_are_refused_with_a_clear_message(fields, message):
    with pytest.raises(rules.ScheduleError) as raised:
        rules.validate(make(**fields))
    assert str(raised.value) == message


def test_the_29th_of_february_is_allowed_because_leap_years_have_one():
    s = make(freq="MONTHLY", byday="", bymonthday=29, interval=12, dtstart=date(2028, 2, 1))
    rules.validate(s)
    assert [x.start.date() for x in recurrence.upcoming(s, at(2027, 6, 1), 2)] == [date(2028, 2, 29)]


def test_a_7pm_meeting_is_at_7pm_on_both_sides_of_the_clocks_changing():
    s = make(byday="SU", dtstart=date(2026, 1, 4))
    around_autumn = recurrence.sessions_between(s, at(2026, 10, 17), at(2026, 11, 2))
    around_spring = recurrence.sessions_between(s, at(2027, 3, 20), at(2027, 4, 5))
    for sessions in (around_autumn, around_spring):
        assert [x.start.time() for x in sessions] == [time(19)] * 3
        assert len({x.start.utcoffset() for x in sessions}) == 2


def test_next_sessions_skip_ended_ones_and_keep_one_in_progress():
    s = make()
    during = recurrence.upcoming(s, at(2026, 11, 24, 20), 2)
    assert [x.start for x in during] == [at(2026, 11, 24, 19), at(2026, 12, 1, 19)]
    after = recurrence.upcoming(s, at(2026, 11, 24, 20, 31), 1)
    assert [x.start for x in after] == [at(2026, 12, 1, 19)]


def test_cancelled_and_moved_sessions_are_listed_with_their_notes():
    s = make(exceptions=[
        exception(date(2026, 12, 22), note="No meeting over Christmas"),
        exception(date(2026, 12, 29), "moved", new_date=date(2026, 12, 30), new_opens_at=time(18), note="Wednesday this week"),
    ])
    found = recurrence.upcoming(s, at(2026, 12, 16), 3)
    assert [(x.start, x.status, x.note) for x in found] == [
        (at(2026, 12, 22, 19), "cancelled", "No meeting over Christmas"),
        (at(2026, 12, 30, 18), "moved", "Wednesday this week"),
        (at(2027, 1, 5, 19), "scheduled", ""),
    ]


def test_a_session_moved_earlier_than_the_one_before_it_is_listed_in_time_order():
    s = make(exceptions=[exception(date(2026, 12, 15), "moved", new_date=date(2026, 12, 7), note="Moved to the Monday before")])
    found = recurrence.upcoming(s, at(2026, 12, 2), 3)
    assert [x.start.date() for x in found] == [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 22)]


def test_a_course_ends_after_its_count():
    s = make(count=3, dtstart=date(2026, 12, 1))
    assert [x.start.date() for x in recurrence.upcoming(s, at(2026, 11, 1), 10)] == [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]


@pytest.mark.parametrize(
    "fields",
    [{}, {"interval": 3, "byday": "MO,TH"}, {"freq": "MONTHLY", "byday": "-1FR"}, {"freq": "MONTHLY", "byday": "", "bymonthday": 31, "interval": 5},
     {"until": date(2030, 6, 30)}],
)
def test_starting_late_in_a_long_rule_gives_the_same_sessions_as_walking_from_the_start(fields):
    s = make(dtstart=date(2019, 1, 1), **fields)
    now = at(2026, 11, 22, 12)
    walked = [d.replace(tzinfo=LONDON) for d in rules.build_rrule(s).between(now.replace(tzinfo=None), (now + timedelta(days=400)).replace(tzinfo=None))]
    assert [x.start for x in recurrence.sessions_between(s, now, now + timedelta(days=400))] == walked


def test_session_on_a_date_the_group_does_not_meet_is_none():
    assert recurrence.session_on(make(), date(2026, 12, 2)) is None
    assert recurrence.session_on(make(), date(2026, 12, 1)).start == at(2026, 12, 1, 19)


@pytest.mark.parametrize(
    ("now", "marker"),
    [((2026, 12, 1, 18, 30), "starting-soon"), ((2026, 12, 1, 19, 15), "in-progress"), ((2026, 12, 1, 12), ""), ((2026, 12, 1, 21), "")],
)
def test_starting_soon_and_in_progress(now, marker):
    x = recurrence.session_on(make(), date(2026, 12, 1))
    assert recurrence.progress(x, at(*now)) == marker


def test_a_cancelled_session_is_never_in_progress():
    s = make(exceptions=[exception(date(2026, 12, 1))])
    assert recurrence.progress(recurrence.session_on(s, date(2026, 12, 1)), at(2026, 12, 1, 19, 15)) == ""


def test_open_now_follows_opening_hours_and_their_time_zone():
    hours = make(kind="opening", byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17))
    assert recurrence.is_open([hours], at(2026, 11, 23, 10))
    assert not recurrence.is_open([hours], at(2026, 11, 23, 17))
    assert not recurrence.is_open([hours], at(2026, 11, 22, 10))  # a Sunday
    assert recurrence.is_open([hours], datetime(2026, 7, 6, 8, 30, tzinfo=rules.zone("UTC")))  # 9:30am BST


@pytest.mark.parametrize(("t", "name"), [(time(7), "morning"), (time(11, 59), "morning"), (time(12), "afternoon"), (time(17), "evening"), (time(23, 59), "evening")])
def test_time_of_day(t, name):
    assert recurrence.time_of_day(t) == name


def test_a_session_moved_earlier_the_same_day_is_found_before_its_usual_time():
    s = make(exceptions=[exception(date(2026, 12, 15), "moved", new_opens_at=time(10), new_closes_at=time(11, 30), note="Morning this week")])
    morning = recurrence.sessions_between(s, at(2026, 12, 15, 9), at(2026, 12, 15, 12))
    assert [(x.start, x.note) for x in morning] == [(at(2026, 12, 15, 10), "Morning this week")]
    assert recurrence.upcoming(s, at(2026, 12, 15, 10, 30), 1)[0].start == at(2026, 12, 15, 10)
