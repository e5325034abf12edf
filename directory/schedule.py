"""Recurrence: checking schedules and expanding them into sessions.

Pure functions over anything shaped like models.Schedule (no Flask). Sessions are
expanded in local wall time, then given the schedule's zone, so a 7pm meeting is
at 7pm on both sides of a clock change.
"""

from __future__ import annotations

import calendar
import logging
import math
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Iterable, Iterator, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule

from directory import occurrences, schedule_limits, words

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = dict(zip(DAY_CODES, calendar.day_name))
_WEEKDAYS = dict(zip(DAY_CODES, (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)))
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
log = logging.getLogger(__name__)
_reported: set[int] = set()
_MONTH_DAYS = {m: calendar.monthrange(2024, m)[1] for m in range(1, 13)}  # a leap year: 29 February can happen


class ScheduleError(ValueError):
    """A schedule that cannot happen; the message is written for the person editing it,
    and `field` names the form field it belongs to, when it belongs to one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Session(NamedTuple):
    """One session as people see it: when, where, and whether it is on. A tuple, as
    a meeting list makes thousands of them per request."""

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


def unshowable(s: Any) -> str | None:
    """Why a stored schedule cannot be shown (see schedule_limits), or None."""
    return _rule_problem(Rule(*_loaded(s, Rule._fields))) or schedule_limits.moved_too_far(s.exceptions)


def showable(s: Any) -> bool:
    """True for a row pages and feeds can show."""
    return _plan(s) is not None


def _report(s: Any, reason: str) -> None:
    """The first time a row cannot be shown, the log says which: its id and why, nothing about anyone."""
    if s.id not in _reported:
        _reported.add(s.id)
        log.warning("Schedule %s is left out of pages and feeds: %s", s.id, reason)


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


class Rule(NamedTuple):
    """The fields that decide when sessions fall: hashable, so each rule is worked out once."""

    freq: str
    interval: int
    byday: str
    bymonthday: int | None
    dtstart: date
    until: date | None
    count: int | None
    opens_at: time
    closes_at: time | None
    timezone: str


class _Timing(NamedTuple):
    pattern: occurrences.Pattern
    tz: ZoneInfo
    length: timedelta


@lru_cache(maxsize=256)
def _weekdays(byday: str) -> tuple[tuple[int | None, int], ...]:
    """'2TU,-1FR' as (position, weekday from Monday = 0): few texts, many schedules."""
    return tuple((n, DAY_CODES.index(d)) for n, d in parse_byday(byday))


@lru_cache(maxsize=50_000)
def _rule_problem(rule: Rule) -> str | None:
    reason = schedule_limits.unshowable(rule)
    if reason is None and not days_known(rule.byday):
        reason = f"its days ({rule.byday}) are not days such as TU, 2TU or -1FR"
    return reason


@lru_cache(maxsize=50_000)
def _timing(rule: Rule) -> _Timing:
    pattern = occurrences.pattern(
        rule.freq == "WEEKLY", rule.interval or 1, _weekdays(rule.byday), rule.bymonthday, rule.dtstart, rule.until, rule.count
    )
    closes = rule.closes_at
    length = timedelta(0) if closes is None else datetime.combine(date.min, closes) - datetime.combine(date.min, rule.opens_at)
    return _Timing(pattern, zone(rule.timezone), length)


class _Plan(NamedTuple):
    """A schedule's fields read once per question: reading ORM attributes again for
    every session costs more than finding the sessions."""

    schedule: Any
    pattern: occurrences.Pattern
    tz: ZoneInfo
    opens: time
    closes: time | None
    location: Any
    exceptions: dict[date, Any]
    travel: timedelta  # the furthest any moved session's start or end is from the rule's
    length: timedelta


def _loaded(s: Any, names: tuple[str, ...]) -> list[Any]:
    """Field values, from the object's own dict where already loaded: an ORM attribute
    read costs more than a dict lookup, and a page of next sessions makes thousands."""
    values = vars(s)
    return [values[name] if name in values else getattr(s, name) for name in names]


_PLANNED = (*Rule._fields, "location", "exceptions")


def _plan(s: Any) -> _Plan | None:
    """None for a row no form would have accepted: it is left out, not a crash."""
    *fields, location, listed = _loaded(s, _PLANNED)
    rule = Rule(*fields)
    if reason := _rule_problem(rule) or schedule_limits.moved_too_far(listed):
        _report(s, reason)
        return None
    timing = _timing(rule)
    opens, closes = rule.opens_at, rule.closes_at
    exceptions = {e.original_date: e for e in listed} if listed else {}
    travel = timedelta(0)
    if exceptions:
        travel = max((_travel(e, day, opens, closes) for day, e in exceptions.items() if e.status == "moved"), default=travel)
    return _Plan(s, timing.pattern, timing.tz, opens, closes, location, exceptions, travel, timing.length)


def _travel(e: Any, day: date, opens: time, closes: time | None) -> timedelta:
    new_day = e.new_date or day
    moves = [datetime.combine(new_day, e.new_opens_at or opens) - datetime.combine(day, opens)]
    if closes is not None:
        moves.append(datetime.combine(new_day, e.new_closes_at or closes) - datetime.combine(day, closes))
    return max(abs(m) for m in moves)


def _localise(day: date, at: time | None, tz: ZoneInfo) -> datetime | None:
    return datetime.combine(day, at, tzinfo=tz) if at is not None else None


def _session(p: _Plan, day: date, start: datetime) -> Session:
    """The session on a rule's date; `start` is the rule's start that day, in its zone."""
    end = None if p.closes is None else datetime.combine(day, p.closes, tzinfo=p.tz)
    exc = p.exceptions.get(day) if p.exceptions else None
    if exc is None:
        return Session(p.schedule, day, start, end, "scheduled", "", p.location)
    if exc.status == "cancelled":
        return Session(p.schedule, day, start, end, "cancelled", exc.note, p.location)
    new_day = exc.new_date or day
    return Session(
        p.schedule,
        day,
        _localise(new_day, exc.new_opens_at or p.opens, p.tz),
        _localise(new_day, exc.new_closes_at or p.closes, p.tz),
        "moved",
        exc.note,
        exc.new_location or p.location,
    )


def _expand(p: _Plan, since: datetime) -> Iterator[tuple[Session, datetime]]:
    """Sessions in rule order from `since` (less any moved session's travel), each with
    the earliest moment it or any later one can begin (moved ones may come out of order).
    Times share the schedule's zone, so they compare and subtract as wall-clock times."""
    lo = since.astimezone(p.tz) - p.travel
    for day in occurrences.dates(p.pattern, lo.date()):
        if (when := datetime.combine(day, p.opens, tzinfo=p.tz)) >= lo:
            yield _session(p, day, when), when - p.travel if p.travel else when


def session_on(s: Any, day: date) -> Session | None:
    """The session the rule gives on this date (as cancelled or moved, if it was), or None."""
    p = _plan(s)
    if p is None or next(occurrences.dates(p.pattern, day), None) != day:
        return None
    return _session(p, day, datetime.combine(day, p.opens, tzinfo=p.tz))


def _in_time_order(x: Session) -> tuple[datetime, date]:
    return x.start, x.original_date


def sessions_between(s: Any, start: datetime, end: datetime) -> list[Session]:
    """Sessions whose (possibly moved) start falls in [start, end), cancelled ones included."""
    found: list[Session] = []
    if (p := _plan(s)) is None:
        return found
    for session, earliest in _expand(p, start):
        if earliest >= end:
            break
        if start <= session.start < end:
            found.append(session)
    return sorted(found, key=_in_time_order)


def upcoming(s: Any, now: datetime, limit: int = 3, horizon_days: int = 400) -> list[Session]:
    """The next sessions that have not ended yet (a session in progress counts)."""
    p = _plan(s)
    if p is None:
        return []
    stop = now + timedelta(days=horizon_days)
    found: list[Session] = []
    for session, earliest in _expand(p, now - p.length):
        if earliest >= stop or (len(found) >= limit and earliest > found[limit - 1].start):
            break
        if (session.end or session.start) > now and session.start < stop:
            found.append(session)
            if p.travel:
                found.sort(key=_in_time_order)
            if len(found) >= limit and earliest == session.start:
                break  # nothing moved, so nothing later can come first
    return found[:limit]


def merge_upcoming(schedules: Iterable[Any], now: datetime, limit: int = 3) -> list[Session]:
    """The next sessions across several schedules, in time order."""
    every = [x for s in schedules for x in upcoming(s, now, limit)]
    return sorted(every, key=lambda x: x.start)[:limit]


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
