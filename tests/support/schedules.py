"""Schedule-shaped test objects for the pure recurrence and iCal functions (no database)."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

SERVICE = SimpleNamespace(
    name="Oak Street Dual Recovery Anonymous", summary="A weekly peer group.", slug="oak-street",
    updated_at=datetime(2026, 1, 1, 12),
)


def make(**fields) -> SimpleNamespace:
    """A weekly Tuesday 7pm to 8:30pm group unless told otherwise."""
    values = dict(
        id=1, service=SERVICE, kind="session", freq="WEEKLY", interval=1, byday="TU", bymonthday=None,
        dtstart=date(2026, 1, 6), until=None, count=None, opens_at=time(19), closes_at=time(20, 30),
        timezone="Europe/London", attending_type="in-person", location=None, online_url="",
        joining_details="", notes="", sequence=1, updated_at=datetime(2026, 1, 2), exceptions=[],
    )
    values.update(fields)
    return SimpleNamespace(**values)


def exception(day: date, status: str = "cancelled", **fields) -> SimpleNamespace:
    values = dict(
        original_date=day, status=status, note="", new_date=None, new_opens_at=None, new_closes_at=None,
        new_location=None, created_at=datetime(2026, 1, 3),
    )
    values.update(fields)
    return SimpleNamespace(**values)
