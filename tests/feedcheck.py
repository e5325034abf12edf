"""Reading our feeds back as a calendar app would: recurring_ical_events expands them."""

from __future__ import annotations

from datetime import datetime

import recurring_ical_events
from icalendar import Calendar

from directory.schedules import recurrence


def expand(ics: bytes, start: datetime, end: datetime) -> set[tuple[str, datetime, datetime | None]]:
    """(UID, local start, local end) of every occurrence a calendar app would show, as wall times."""
    found = set()
    for event in recurring_ical_events.of(Calendar.from_ical(ics)).between(start, end):
        begin = event.decoded("DTSTART")
        finish = event.decoded("DTEND") if "DTEND" in event else None
        found.add((str(event["UID"]), _wall(begin), _wall(finish) if finish != begin else None))
    return found


def ours(schedules, uid, start: datetime, end: datetime) -> set[tuple[str, datetime, datetime | None]]:
    """The same, from recurrence.py: what our pages list, cancelled sessions left out."""
    return {
        (uid(s), _wall(x.start), _wall(x.end))
        for s in schedules
        for x in recurrence.sessions_between(s, start, end)
        if not x.cancelled
    }


def _wall(when: datetime | None) -> datetime | None:
    return when.replace(tzinfo=None) if when is not None else None
