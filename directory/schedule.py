"""Recurrence: expanding schedules into sessions, and saying them in words.

Pure functions over anything shaped like models.Schedule (no Flask). Sessions are
expanded in local wall time, then given the schedule's zone, so a 7pm meeting is
at 7pm on both sides of a clock change.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any, Iterable, Iterator, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(zip(DAY_CODES, calendar.day_name))
_WEEKDAYS = dict(zip(DAY_CODES, (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)))
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_MONTH_DAYS = {m: calendar.monthrange(2024, m)[1] for m in range(1, 13)}  # a leap year: 29 February can happen
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last", -2: "second to last"}


class ScheduleError(ValueError):
    """A schedule that cannot happen; the message is written for the person editing it."""


@dataclass(frozen=True)
class Session:
    """One session as people see it: when, where, and whether it is on."""

    schedule: Any
    original_date: date
    start: datetime
    end: datetime | None
    status: str = "scheduled"  # scheduled / cancelled / moved
    note: str = ""
    location: Any = None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


def parse_byday(text: str) -> list[tuple[int | None, str]]:
    """'2TU,4TU' -> [(2, 'TU'), (4, 'TU')]; raises ScheduleError on anything else."""
    days = []
    for part in filter(None, (p.strip().upper() for p in (text or "").split(","))):
        match = _BYDAY.match(part)
        if not match:
            raise ScheduleError(f"'{part}' is not a day such as TU, 2TU or -1FR")
        days.append((int(match.group(1)) if match.group(1) else None, match.group(2)))
    return days


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
            months = _join([calendar.month_name[m] for m in sorted(_months_visited(s))])
            raise ScheduleError(f"There is no {_ordinal(s.bymonthday)} of {months}, so this schedule never meets")
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


def build_rrule(s: Any, near: datetime | None = None) -> rrule.rrule:
    """The dateutil rule in naive local wall time.

    dateutil walks every occurrence from DTSTART, so for an open-ended rule the
    start is moved forward to the last whole period (week or month, counted in
    steps of the interval) at or before `near`: the sessions after `near` are
    the same, and a two-year-old weekly group costs a few steps, not a hundred.
    """
    days = parse_byday(s.byday)
    weekdays = [_WEEKDAYS[d] if n is None else _WEEKDAYS[d](n) for n, d in days] or None
    return rrule.rrule(
        rrule.WEEKLY if s.freq == "WEEKLY" else rrule.MONTHLY,
        interval=s.interval or 1,
        dtstart=datetime.combine(_rebased_start(s, near), s.opens_at),
        byweekday=weekdays,
        bymonthday=s.bymonthday if not weekdays else None,
        until=datetime.combine(s.until, time.max) if s.until else None,
        count=s.count,
        cache=False,
    )


def _rebased_start(s: Any, near: datetime | None) -> date:
    interval = s.interval or 1
    if near is None or s.count or near.date() <= s.dtstart:
        return s.dtstart
    if s.freq == "WEEKLY":
        monday = s.dtstart - timedelta(days=s.dtstart.weekday())
        weeks = (near.date() - monday).days // 7
        return max(s.dtstart, monday + timedelta(weeks=weeks - weeks % interval))
    months = (near.year - s.dtstart.year) * 12 + near.month - s.dtstart.month
    months -= months % interval
    year, month = divmod(s.dtstart.month - 1 + months, 12)
    return max(s.dtstart, date(s.dtstart.year + year, month + 1, 1))


def first_date(s: Any) -> date | None:
    first = build_rrule(s).after(datetime.combine(s.dtstart, time.min), inc=True)
    return first.date() if first else None


def _localise(day: date, at: time | None, tz: ZoneInfo) -> datetime | None:
    return datetime.combine(day, at, tzinfo=tz) if at is not None else None


def _session(s: Any, day: date, tz: ZoneInfo, exceptions: dict[date, Any]) -> Session:
    exc = exceptions.get(day)
    start = _localise(day, s.opens_at, tz)
    end = _localise(day, s.closes_at, tz)
    if exc is None:
        return Session(s, day, start, end, location=s.location)
    if exc.status == "cancelled":
        return Session(s, day, start, end, "cancelled", exc.note, s.location)
    new_day = exc.new_date or day
    return Session(
        s,
        day,
        _localise(new_day, exc.new_opens_at or s.opens_at, tz),
        _localise(new_day, exc.new_closes_at or s.closes_at, tz),
        "moved",
        exc.note,
        exc.new_location or s.location,
    )


def _shift(exceptions: dict[date, Any]) -> timedelta:
    """How far any moved session has travelled from its usual date."""
    return timedelta(days=max((abs((e.new_date - day).days) for day, e in exceptions.items() if e.new_date), default=0))


def _expand(s: Any, since: datetime) -> Iterator[tuple[Session, datetime]]:
    """Sessions in rule order from `since` (less any moved session's travel), each with
    the earliest moment it or any later one can begin (moved ones may come out of order)."""
    tz = zone(s.timezone)
    exceptions = {e.original_date: e for e in s.exceptions}
    shift = _shift(exceptions)
    lo = since.astimezone(tz).replace(tzinfo=None) - shift
    for when in _occurrences(s, lo):
        yield _session(s, when.date(), tz, exceptions), when.replace(tzinfo=tz) - shift


class Rule(NamedTuple):
    """Just the fields that decide when sessions fall: hashable, so expansions can be kept."""

    freq: str
    interval: int
    byday: str
    bymonthday: int | None
    dtstart: date
    until: date | None
    count: int | None
    opens_at: time


FEW = 6  # enough for the next sessions a page shows; more come straight from dateutil


@lru_cache(maxsize=50_000)
def _first_few(rule: Rule, day: datetime) -> tuple[datetime, ...]:
    """The first FEW occurrences from the start of a day: the same for every request that day."""
    return tuple(islice(build_rrule(rule, day).xafter(day, inc=True), FEW))


def _occurrences(s: Any, lo: datetime) -> Iterator[datetime]:
    """Occurrences (naive local) at or after lo, the first few from a cache kept by value."""
    rule = Rule(s.freq, s.interval, s.byday, s.bymonthday, s.dtstart, s.until, s.count, s.opens_at)
    first = _first_few(rule, datetime.combine(lo.date(), time.min))
    yield from (t for t in first if t >= lo)
    if len(first) == FEW:
        yield from build_rrule(rule, first[-1]).xafter(first[-1], inc=False)


def session_on(s: Any, day: date) -> Session | None:
    """The session the rule gives on this date (as cancelled or moved, if it was), or None."""
    at = datetime.combine(day, s.opens_at)
    if build_rrule(s, at).after(at, inc=True) != at:
        return None
    return _session(s, day, zone(s.timezone), {e.original_date: e for e in s.exceptions})


def sessions_between(s: Any, start: datetime, end: datetime) -> list[Session]:
    """Sessions whose (possibly moved) start falls in [start, end), cancelled ones included."""
    found = []
    for session, earliest in _expand(s, start):
        if earliest >= end:
            break
        if start <= session.start < end:
            found.append(session)
    return sorted(found, key=lambda x: (x.start, x.original_date))


def _length(s: Any) -> timedelta:
    if s.closes_at is None:
        return timedelta(0)
    return datetime.combine(date.min, s.closes_at) - datetime.combine(date.min, s.opens_at)


def upcoming(s: Any, now: datetime, limit: int = 3, horizon_days: int = 400) -> list[Session]:
    """The next sessions that have not ended yet (a session in progress counts)."""
    stop = now + timedelta(days=horizon_days)
    found: list[Session] = []
    for session, earliest in _expand(s, now - _length(s)):
        if earliest >= stop or (len(found) >= limit and earliest > found[limit - 1].start):
            break
        if (session.end or session.start) > now and session.start < stop:
            found.append(session)
            found.sort(key=lambda x: (x.start, x.original_date))
            if len(found) >= limit and earliest == session.start:
                break  # nothing moved, so nothing later can come first
    return found[:limit]


def merge_upcoming(schedules: Iterable[Any], now: datetime, limit: int = 3) -> list[Session]:
    """The next sessions across several schedules, in time order."""
    every = [x for s in schedules for x in upcoming(s, now, limit)]
    return sorted(every, key=lambda x: x.start)[:limit]


def format_time(t: time) -> str:
    """7pm, 7:30pm, 12pm (midday): the GOV.UK style."""
    if t == time(12, 0):
        return "midday"
    if t == time(0, 0):
        return "midnight"
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def format_date(d: date) -> str:
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _weekly_days(codes: list[str]) -> str:
    ordered = sorted(codes, key=DAY_CODES.index)
    indexes = [DAY_CODES.index(c) for c in ordered]
    if len(ordered) >= 3 and indexes == list(range(indexes[0], indexes[0] + len(indexes))):
        return f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
    return _join([DAY_NAMES[c] for c in ordered])


def describe_days(s: Any) -> str:
    """'Every Tuesday', 'Every other Wednesday', '2nd and 4th Thursday of the month'."""
    days = parse_byday(s.byday)
    if s.freq == "WEEKLY":
        names = _weekly_days([d for _, d in days])
        if len(days) == 7:
            return "Every day"
        if s.interval == 1:
            return names if " to " in names else f"Every {names}"
        if s.interval == 2:
            return f"Every other {names}"
        return f"Every {s.interval} weeks on {names}"
    every = "of the month" if s.interval == 1 else f"of every {s.interval} months"
    if s.bymonthday:
        return f"On the {_ordinal(s.bymonthday)} {every}"
    by_day: dict[str, list[int]] = {}
    for n, d in days:
        by_day.setdefault(d, []).append(n)
    parts = [
        f"{_join([ORDINALS.get(n, str(n)) for n in sorted(ns, key=lambda n: (n < 0, n))])} {DAY_NAMES[d]}"
        for d, ns in by_day.items()
    ]
    text = _join(parts)
    return f"{text[0].upper()}{text[1:]} {every}"


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(s: Any) -> str:
    """The whole schedule in words: 'Every Tuesday, 7pm to 8:30pm'."""
    text = describe_days(s)
    if s.closes_at is not None:
        text += f", {format_time(s.opens_at)} to {format_time(s.closes_at)}"
    else:
        text += f", from {format_time(s.opens_at)}"
    if s.count:
        text += f" ({s.count} sessions from {format_date(s.dtstart)})"
    elif s.until:
        text += f", until {format_date(s.until)}"
    return text


def is_open(schedules: Iterable[Any], now: datetime) -> bool:
    """Whether any opening-hours schedule covers this moment."""
    return any(
        x.start <= now < x.end and not x.cancelled
        for s in schedules
        if s.closes_at is not None
        for x in sessions_between(s, now - timedelta(days=1), now + timedelta(seconds=1))
    )


# When sessions start, for the "time of day" filter: [from, to) in local wall time.
TIMES_OF_DAY: dict[str, tuple[time, time | None]] = {
    "morning": (time.min, time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), None),
}
STARTING_SOON = timedelta(hours=1)


def time_of_day(t: time) -> str:
    return next(name for name, (lo, hi) in TIMES_OF_DAY.items() if lo <= t and (hi is None or t < hi))


def progress(x: Session, now: datetime) -> str:
    """'in-progress', 'starting-soon' or '': what a meeting list marks beside a session."""
    if x.cancelled:
        return ""
    if x.start <= now < (x.end or x.start):
        return "in-progress"
    if now < x.start <= now + STARTING_SOON:
        return "starting-soon"
    return ""
