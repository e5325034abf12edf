"""The meeting list: sessions of the matching groups over the coming days, by day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from directory.extensions import db
from directory.schedules import recurrence, rules
from directory.search.query import Found
from directory.search.schedules import MeetingQuery, select_schedules


@dataclass(frozen=True)
class Day:
    """One day of the list: its date and its sessions in start order."""

    date: date
    sessions: list[recurrence.Session]


def _wanted(x: recurrence.Session, query: MeetingQuery) -> bool:
    """A rule naming Tuesday and Thursday matches a Tuesday filter; only its Tuesdays are listed."""
    return (not query.days or rules.DAY_CODES[x.start.weekday()] in query.days) and (
        not query.times or recurrence.time_of_day(x.start.time()) in query.times
    )


def by_day(query: MeetingQuery, now: datetime, days: int = 7, found: Found | None = None) -> list[Day]:
    """Sessions not yet ended, starting within `days` days of now, cancelled ones included.

    The window is measured from now, not from midnight: on a Tuesday evening the list still
    reaches next Tuesday, so every weekly group appears once whatever the hour."""
    today = datetime.combine(now.date(), time.min, now.tzinfo)  # sessions end on the day they start
    end = now + timedelta(days=days)
    sessions = [
        x
        for s in db.session.scalars(select_schedules(query, found)).unique()
        for x in recurrence.sessions_between(s, today, end)
        if (x.end or x.start) > now and _wanted(x, query)
    ]
    sessions.sort(key=lambda x: (x.start, x.schedule.service.name))
    return [
        Day(day, list(group))
        for day, group in groupby(sessions, key=lambda x: x.start.astimezone(now.tzinfo).date())
    ]
