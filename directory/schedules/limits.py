"""What a schedule may hold: the ranges a person may enter, and the rows pages and feeds can show.

Pure (no Flask). Entry limits are strict and measured from today, so a typo such as
0001 or 9999 is refused with a message. Rows that got in some other way (an import,
hand-written SQL, an older release) are judged by the wider `showable` envelope: a
row outside it is left out of pages and feeds and listed for staff, never a 500.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import ColumnElement, and_, or_

from directory import words

EARLIEST_FIRST_DATE = date(1990, 1, 1)
YEARS_AHEAD = 2  # a first date at most this far ahead of today
YEARS_SPAN = 10  # a last date at most this far after the first
MAX_SESSIONS = 520  # ten years of weekly sessions
MAX_INTERVAL = 52
MAX_AGE = 120
# Far enough for any real move; a mistyped year would otherwise put a session in 9999.
MAX_MOVE_DAYS = 60
# The envelope for stored rows: wide enough for any real schedule, narrow enough that
# every date sum and every VTIMEZONE stays far inside what Python and icalendar can hold.
SHOWABLE_FIRST = (EARLIEST_FIRST_DATE, date(2100, 12, 31))
SHOWABLE_LAST = date(2110, 12, 31)

def add_years(day: date, years: int) -> date:
    """The same date `years` on; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_date_problem(first: date, today: date) -> str | None:
    latest = add_years(today, YEARS_AHEAD)
    if not EARLIEST_FIRST_DATE <= first <= latest:
        return (f"The first date must be between {words.format_day(EARLIEST_FIRST_DATE)} "
                f"and {words.format_day(latest)}")
    return None


def last_date_problem(first: date | None, last: date) -> str | None:
    if first is None:
        return None
    if last < first:
        return "The last date must be the same as or after the first date"
    if last > add_years(first, YEARS_SPAN):
        return f"The last date must be within {YEARS_SPAN} years of the first date: {words.format_day(add_years(first, YEARS_SPAN))} at the latest"
    return None


def count_problem(count: int) -> str | None:
    if not 1 <= count <= MAX_SESSIONS:
        return f"The number of sessions must be between 1 and {MAX_SESSIONS}"
    return None


def entry_problems(s: Any, today: date) -> dict[str, str]:
    """Every entry limit a schedule's values break, by field name (empty when it may be saved)."""
    found = {}
    if s.dtstart is not None and (message := first_date_problem(s.dtstart, today)):
        found["dtstart"] = message
    if s.until is not None and (message := last_date_problem(s.dtstart, s.until)):
        found["until"] = message
    if s.count is not None and (message := count_problem(s.count)):
        found["count"] = message
    return found


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def unshowable(s: Any) -> str | None:
    """Why a stored schedule's dates and numbers cannot be shown, in words for staff; None
    when they can (schedule.showable adds the checks that need the recurrence rules)."""
    first, last = s.dtstart, s.until
    if first is None or not SHOWABLE_FIRST[0] <= first <= SHOWABLE_FIRST[1]:
        return f"its first date ({first}) is outside {SHOWABLE_FIRST[0].year}–{SHOWABLE_FIRST[1].year}"
    if last is not None and not first <= last <= SHOWABLE_LAST:
        return f"its last date ({last}) is before its first date or after {SHOWABLE_LAST.year}"
    if s.count is not None and not 1 <= s.count <= MAX_SESSIONS:
        return f"it has {s.count} sessions (at most {MAX_SESSIONS})"
    if not s.interval or not 1 <= s.interval <= MAX_INTERVAL:
        return f"its gap between sessions ({s.interval}) is outside 1–{MAX_INTERVAL}"
    if s.bymonthday is not None and not 1 <= s.bymonthday <= 31:
        return f"its day of the month ({s.bymonthday}) is outside 1–31"
    if s.opens_at is None:
        return "it has no start time"
    if s.timezone not in known_zones():
        return f"its time zone ({s.timezone}) is not one we know"
    return None


def moved_too_far(exceptions: Any) -> str | None:
    """Why a schedule's one-off moves cannot be shown (a move of years is a typo), or None."""
    for e in exceptions or ():
        if e.status == "moved" and e.new_date is not None and abs((e.new_date - e.original_date).days) > MAX_MOVE_DAYS:
            return f"the session of {e.original_date} is moved to {e.new_date}, more than {MAX_MOVE_DAYS} days away"
    return None


def showable_clause(table: Any) -> ColumnElement[bool]:
    """`unshowable(s) is None` as SQL, so feeds leave such rows out before loading anything."""
    return and_(
        table.dtstart.between(*SHOWABLE_FIRST),
        or_(table.until.is_(None), and_(table.until >= table.dtstart, table.until <= SHOWABLE_LAST)),
        or_(table.count.is_(None), table.count.between(1, MAX_SESSIONS)),
        table.interval.between(1, MAX_INTERVAL),
        or_(table.bymonthday.is_(None), table.bymonthday.between(1, 31)),
        table.opens_at.is_not(None),
        table.timezone.in_(sorted(known_zones())),
    )
