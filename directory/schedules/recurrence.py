"""Recurrence: expanding schedules into sessions, and which stored rows can be shown.

Pure functions over anything shaped like models.Schedule (no Flask). Sessions are
expanded in local wall time, then given the schedule's zone, so a 7pm meeting is
at 7pm on both sides of a clock change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from directory.schedules import limits, occurrences
from directory.schedules.rules import DAY_CODES, days_known, parse_byday, zone

log = logging.getLogger(__name__)
_reported: set[int] = set()


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


def unshowable(s: Any) -> str | None:
    """Why a stored schedule cannot be shown (see schedule_limits), or None."""
    return _rule_problem(Rule(*_loaded(s, Rule._fields))) or limits.moved_too_far(s.exceptions)


def showable(s: Any) -> bool:
    """True for a row pages and feeds can show."""
    return _plan(s) is not None


def _report(s: Any, reason: str) -> None:
    """The first time a row cannot be shown, the log says which: its id and why, nothing about anyone."""
    if s.id not in _reported:
        _reported.add(s.id)
        log.warning("Schedule %s is left out of pages and feeds: %s", s.id, reason)


class Rule(NamedTuple):
    """The fields that decide when sessions fall: hashable, so each rule is worked out once."""

    freq: str
    interval: int
    byday: str
    bymonthday: int | None
    dtstart: date
    until: date | None
    count: int | None  # type: ignore[assignment]  # the model's name; tuple.count is never called
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
    reason = limits.unshowable(rule)
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
    if reason := _rule_problem(rule) or limits.moved_too_far(listed):
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
        datetime.combine(new_day, exc.new_opens_at or p.opens, tzinfo=p.tz),
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
        x.end is not None and x.start <= now < x.end and not x.cancelled
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
