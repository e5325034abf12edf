"""The dates a weekly or monthly rule gives, found by calendar arithmetic.

dateutil walks a rule one occurrence at a time (about 10 µs each, after some 15 µs
setting the rule up), while a meeting list needs the next few sessions of thousands
of rules on every request. Our rules are simple enough to step straight to the week
or month holding a given day. dateutil stays the reference: validation asks it
whether a rule gives any session at all, and property tests check these dates
against it and against calendar apps' own expansion of our RRULEs.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

# The Gregorian calendar repeats every 400 years: a rule that gives nothing in that
# long never will (validation rejects such rules; this only stops a bad row looping).
_CYCLE = timedelta(days=146_097)  # 400 years
_DAYS = tuple(timedelta(days=n) for n in range(7))
_WEEKS = tuple(timedelta(weeks=n) for n in range(53))  # validation allows every 1 to 52 weeks


class Pattern(NamedTuple):
    """A rule in the terms the arithmetic needs (made by `pattern`); weekdays count from Monday = 0."""

    weekly: bool
    interval: int
    days: tuple[tuple[int | None, int], ...]  # (position in the month or None, weekday)
    monthday: int | None
    start: date
    until: date | None
    count: int | None  # type: ignore[assignment]  # the model's name; tuple.count is never called
    monday: date  # of the start's week: weekly rules count their weeks from it
    offsets: tuple[timedelta, ...]  # from that Monday to each day a weekly rule meets
    step: timedelta  # from one week it meets to the next


def pattern(
    weekly: bool, interval: int, days: tuple[tuple[int | None, int], ...], monthday: int | None,
    start: date, until: date | None = None, count: int | None = None,
) -> Pattern:
    monday = start - _DAYS[start.weekday()]
    step = _WEEKS[interval] if interval < len(_WEEKS) else timedelta(weeks=interval)
    return Pattern(weekly, interval, days, monthday, start, until, count, monday, _offsets(days), step)


@lru_cache(maxsize=256)
def _offsets(days: tuple[tuple[int | None, int], ...]) -> tuple[timedelta, ...]:
    return tuple(timedelta(days=d) for d in sorted({d for _, d in days}))


def dates(p: Pattern, since: date) -> Iterator[date]:
    """The rule's dates on or after `since`, in order, ending at its UNTIL or COUNT.

    A counted rule is walked from its start, since its sessions are numbered from
    there; courses are short, so that costs little.
    """
    first = p.start if p.count else max(p.start, since)
    walk = _weekly(p, first) if p.weekly else _monthly(p, first)
    if p.until is None and p.count is None:
        return walk
    return _bounded(p, walk, since)


def _bounded(p: Pattern, walk: Iterator[date], since: date) -> Iterator[date]:
    for number, day in enumerate(walk, 1):
        if (p.until is not None and day > p.until) or (p.count is not None and number > p.count):
            return
        if day >= since:
            yield day


def _give_up(first: date) -> date:
    """A cycle on from `first`, or a year short of the calendar's end."""
    return first + _CYCLE if first < date.max - _CYCLE else date(date.max.year - 1, 1, 1)


def _weekly(p: Pattern, first: date) -> Iterator[date]:
    """Weeks run Monday to Sunday (RRULE's default WKST) and are counted from the start's week."""
    step = p.step
    week = p.monday + step * ((first - p.monday).days // 7 // p.interval)
    last = _give_up(first)
    while week < last:
        for offset in p.offsets:
            if (day := week + offset) >= first:
                yield day
        week += step


def _monthly(p: Pattern, first: date) -> Iterator[date]:
    """Months are counted from the start's month, every `interval` of them."""
    origin = p.start.year * 12 + p.start.month - 1
    months = first.year * 12 + first.month - 1 - origin
    months -= months % p.interval
    last = _give_up(first).year
    while (year := (origin + months) // 12) < last:
        for day in _in_month(p, year, (origin + months) % 12 + 1):
            if day >= first:
                yield day
        months += p.interval


def _in_month(p: Pattern, year: int, month: int) -> list[date]:
    """The rule's dates in one month: its day of the month, or its positioned weekdays
    ("2nd Tuesday", "last Friday"); a month without that day or position has none."""
    opening_weekday, length = calendar.monthrange(year, month)
    if p.monthday is not None:
        return [date(year, month, p.monthday)] if p.monthday <= length else []
    found = set()
    for position, weekday in p.days:
        if position is None:
            continue
        if position > 0:
            day = 1 + (weekday - opening_weekday) % 7 + 7 * (position - 1)
        else:
            closing_weekday = (opening_weekday + length - 1) % 7
            day = length - (closing_weekday - weekday) % 7 + 7 * (position + 1)
        if 1 <= day <= length:
            found.add(day)
    return [date(year, month, day) for day in sorted(found)]
