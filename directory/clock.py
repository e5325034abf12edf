"""Now: the one place the app reads the clock, so every page, feed and test agrees on it.

Tests pin it with time-machine; nothing else calls datetime.now or date.today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def now() -> datetime:
    """This instant, aware, in UTC."""
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Naive UTC: both SQLite and PostgreSQL TIMESTAMP columns store it unchanged."""
    return now().replace(tzinfo=None)


def now_in(zone: str) -> datetime:
    """Now, as the wall clock reads in `zone` (an IANA name)."""
    return datetime.now(_zone(zone))


def today_in(zone: str) -> date:
    """Today's date in `zone`: a London evening is already tomorrow in UTC+10."""
    return now_in(zone).date()
