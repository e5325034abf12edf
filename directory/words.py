"""Dates, times and lists written the GOV.UK way, for pages, feeds and messages."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def format_time(t: time) -> str:
    """7pm, 7:30pm, midday, midnight."""
    if t == time(12, 0):
        return "midday"
    if t == time(0, 0):
        return "midnight"
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}{suffix}" if t.minute == 0 else f"{hour}:{t.minute:02d}{suffix}"


def format_date(d: date) -> str:
    """Tuesday 1 December 2026."""
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}"


def format_day(d: date) -> str:
    """1 December 2026: a date in a message, where the weekday would only add noise."""
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def join(items: list[str] | tuple[str, ...], last: str = "and") -> str:
    """'Bolton, Bury and Wigan'; with last="or", for a choice."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_instant(utc: datetime, zone: str) -> str:
    """A stored (naive UTC) moment as the wall clock in `zone` read it, with the zone's name:
    '2 December 2026, 7:05pm GMT'."""
    local = utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    return f"{format_day(local.date())}, {format_time(local.time().replace(second=0, microsecond=0))} {local.tzname()}"
