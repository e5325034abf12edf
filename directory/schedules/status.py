"""What a result card says about time, in words: "Open now, until 5pm", "Closed, opens 9am
Monday", "Next: Thursday 7pm". Services whose hours we do not know get no status: never "open"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from directory import words
from directory.schedules import recurrence

LOOK_AHEAD = 8  # sessions considered: enough to step past a run of cancellations


def _day(moment: datetime, now: datetime) -> str:
    """'today', 'tomorrow', 'Monday' within the week, else 'Tuesday 1 December 2026'."""
    local = moment.astimezone(now.tzinfo).date()
    days = (local - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return local.strftime("%A") if days < 7 else words.format_date(local)


def _time(moment: datetime) -> str:
    """The wall-clock time where the service is (a schedule's own zone)."""
    return words.format_time(moment.time())


def opening(schedules: Iterable[Any], now: datetime) -> tuple[bool, str] | None:
    """(open now?, the words) for opening hours with closing times; None when hours are unknown."""
    hours = [s for s in schedules if s.kind == "opening" and s.closes_at is not None]
    if not hours:
        return None
    spans = [(x.start, x.end) for x in recurrence.merge_upcoming(hours, now, LOOK_AHEAD) if not x.cancelled and x.end]
    ends = [end for start, end in spans if start <= now < end]
    if ends:
        until = max(ends)
        day = _day(until, now)
        return True, f"Open now, until {_time(until)}" + ("" if day == "today" else f" {day}")
    later = [start for start, _ in spans if start > now]
    if not later:
        return None
    return False, f"Closed, opens {_time(later[0])} {_day(later[0], now)}"


def next_session(schedules: Iterable[Any], now: datetime) -> str:
    """'Next: Thursday 7pm' (or 'On now, until 9pm') for a group's sessions; '' when none are coming."""
    sessions = [s for s in schedules if s.kind == "session"]
    coming = [x for x in recurrence.merge_upcoming(sessions, now, LOOK_AHEAD) if not x.cancelled]
    if not coming:
        return ""
    first = coming[0]
    if first.start <= now and first.end and now < first.end:
        return f"On now, until {_time(first.end)}"
    day = _day(first.start, now)
    return f"Next: {day} {_time(first.start)}" if day[0].isupper() else f"Next: {day}, {_time(first.start)}"
