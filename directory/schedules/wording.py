"""A schedule in words: 'Every Tuesday, 7pm to 8:30pm', '2nd and 4th Thursday of the month'."""

from __future__ import annotations

from typing import Any

from directory.schedules.recurrence import showable
from directory.schedules.rules import DAY_CODES, DAY_NAMES, parse_byday
from directory.words import format_date, format_time, join, ordinal

ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last", -2: "second to last"}


def _weekly_days(codes: list[str]) -> str:
    ordered = sorted(codes, key=DAY_CODES.index)
    indexes = [DAY_CODES.index(c) for c in ordered]
    if len(ordered) >= 3 and indexes == list(range(indexes[0], indexes[0] + len(indexes))):
        return f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
    return join([DAY_NAMES[c] for c in ordered])


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
        return f"On the {ordinal(s.bymonthday)} {every}"
    by_day: dict[str, list[int]] = {}
    for n, d in days:
        by_day.setdefault(d, []).append(n or 1)  # validation gives monthly days a position
    parts = [
        f"{join([ORDINALS.get(n, str(n)) for n in sorted(ns, key=lambda n: (n < 0, n))])} {DAY_NAMES[d]}"
        for d, ns in by_day.items()
    ]
    text = join(parts)
    return f"{text[0].upper()}{text[1:]} {every}"


def describe(s: Any) -> str:
    """The whole schedule in words: 'Every Tuesday, 7pm to 8:30pm'."""
    if not showable(s):
        return "Times to be confirmed"
    text = f"Once only: {format_date(s.dtstart)}" if s.count == 1 else describe_days(s)
    if s.closes_at is not None:
        text += f", {format_time(s.opens_at)} to {format_time(s.closes_at)}"
    else:
        text += f", from {format_time(s.opens_at)}"
    if s.count and s.count > 1:
        text += f" ({s.count} sessions from {format_date(s.dtstart)})"
    elif s.until:
        text += f", until {format_date(s.until)}"
    return text
