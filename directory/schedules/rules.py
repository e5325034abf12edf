"""Schedule rules: the days a rule names, its time zone, and whether it can happen at all.

Pure (no Flask). dateutil's rrule is the reference here: it judges whether a rule meets
at all, and the arithmetic in `occurrences` is checked against it.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule

from directory import words

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(zip(DAY_CODES, calendar.day_name, strict=True))
_WEEKDAYS = dict(zip(DAY_CODES, (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU), strict=True))
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_MONTH_DAYS = {m: calendar.monthrange(2024, m)[1] for m in range(1, 13)}  # a leap year: 29 February can happen


class ScheduleError(ValueError):
    """A schedule that cannot happen; the message is written for the person editing it,
    and `field` names the form field it belongs to, when it belongs to one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def parse_byday(text: str) -> list[tuple[int | None, str]]:
    """'2TU,4TU' -> [(2, 'TU'), (4, 'TU')]; raises ScheduleError on anything else."""
    days = []
    for part in filter(None, (p.strip().upper() for p in (text or "").split(","))):
        match = _BYDAY.match(part)
        if not match:
            raise ScheduleError(f"'{part}' is not a day such as TU, 2TU or -1FR")
        days.append((int(match.group(1)) if match.group(1) else None, match.group(2)))
    return days


def days_known(text: str) -> bool:
    try:
        parse_byday(text)
    except ScheduleError:
        return False
    return True


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"'{name}' is not a time zone name such as Europe/London") from exc


def _months_visited(s: Any) -> set[int]:
    """The calendar months a monthly rule can land in (every 12 months: only one)."""
    step = math.gcd(s.interval, 12)
    return {(s.dtstart.month - 1 + k * step) % 12 + 1 for k in range(12 // step)}


def validate(s: Any) -> None:
    """Raise ScheduleError with a clear message when a schedule cannot produce sessions."""
    if s.dtstart is None:
        raise ScheduleError("Give the date of the first session")
    if s.opens_at is None:
        raise ScheduleError("Give the time sessions start")
    if s.freq not in ("WEEKLY", "MONTHLY"):
        raise ScheduleError("Choose weekly or monthly")
    if not s.interval or s.interval < 1:
        raise ScheduleError("The gap between sessions must be at least 1")
    if s.interval > 52:
        raise ScheduleError("The gap between sessions must be 52 or fewer")
    days = parse_byday(s.byday)
    if s.freq == "WEEKLY":
        if not days:
            raise ScheduleError("Choose the day of the week the group meets")
        if any(n is not None for n, _ in days):
            raise ScheduleError("A weekly schedule takes plain days (TU), not positions (2TU)")
    if s.freq == "MONTHLY":
        if bool(days) == bool(s.bymonthday):
            raise ScheduleError("A monthly schedule needs either a day such as 2nd Tuesday or a date such as the 15th")
        if s.bymonthday is not None and not 1 <= s.bymonthday <= 31:
            raise ScheduleError("The day of the month must be between 1 and 31")
        if any(n is None for n, _ in days):
            raise ScheduleError("A monthly schedule needs a position such as 2nd Tuesday (2TU) or last Friday (-1FR)")
        if s.bymonthday and max(_MONTH_DAYS[m] for m in _months_visited(s)) < s.bymonthday:
            months = words.join([calendar.month_name[m] for m in sorted(_months_visited(s))])
            raise ScheduleError(f"There is no {words.ordinal(s.bymonthday)} of {months}, so this schedule never meets")
    if s.closes_at is not None and s.closes_at <= s.opens_at:
        raise ScheduleError("The end time must be after the start time")
    if s.until is not None and s.until < s.dtstart:
        raise ScheduleError("The end date must be on or after the start date")
    if s.count is not None and s.count < 1:
        raise ScheduleError("The number of sessions must be at least 1")
    if s.until is not None and s.count is not None:
        raise ScheduleError("Give an end date or a number of sessions, not both")
    zone(s.timezone)
    if first_date(s) is None:
        raise ScheduleError("This schedule has no sessions: check the days and dates")


def build_rrule(s: Any) -> rrule.rrule:
    """The dateutil rule in naive local wall time: the reference the arithmetic in
    `occurrences` is checked against, and the judge of whether a rule meets at all."""
    days = parse_byday(s.byday)
    weekdays = [_WEEKDAYS[d] if n is None else _WEEKDAYS[d](n) for n, d in days] or None
    return rrule.rrule(
        rrule.WEEKLY if s.freq == "WEEKLY" else rrule.MONTHLY,
        interval=s.interval or 1,
        dtstart=datetime.combine(s.dtstart, s.opens_at),
        byweekday=weekdays,
        bymonthday=s.bymonthday if not weekdays else None,
        until=datetime.combine(s.until, time.max) if s.until else None,
        count=s.count,
        cache=False,
    )


def first_date(s: Any) -> date | None:
    first = build_rrule(s).after(datetime.combine(s.dtstart, time.min), inc=True)
    return first.date() if first else None
