"""The instants the suite runs at: "now" is pinned, so a test gives the same answer at any hour.

`.ci/run` runs the suite at each of these (DIRECTORY_TEST_NOW=<name>), so a test that
depends on the hour fails there, not on a developer's Tuesday evening.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

LONDON = ZoneInfo("Europe/London")

INSTANTS: dict[str, datetime] = {
    # After the last Tuesday evening group has started: the next Tuesday is a week away.
    "tuesday-evening": datetime(2026, 12, 1, 18, 45, tzinfo=LONDON),
    # The second 01:30 of the night British Summer Time ends (the clocks went back at 02:00).
    "bst-ends": datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
    "new-years-eve": datetime(2026, 12, 31, 23, 30, tzinfo=LONDON),
    "leap-day": datetime(2028, 2, 29, 12, 0, tzinfo=LONDON),
}
DEFAULT = "tuesday-evening"


def pinned() -> datetime:
    """The instant this run is pinned to: a name from INSTANTS, or an ISO date-time in London."""
    wanted = os.environ.get("DIRECTORY_TEST_NOW") or DEFAULT
    if wanted in INSTANTS:
        return INSTANTS[wanted]
    moment = datetime.fromisoformat(wanted)
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def travel(moment: datetime | None = None) -> time_machine.travel:
    """The clock at `moment` (the pinned instant unless given), moving on from there."""
    return time_machine.travel(moment or pinned(), tick=True)


def stopped(moment: datetime | None = None) -> time_machine.travel:
    """The clock at `moment` (the pinned instant unless given), standing still: for comparing two
    responses that carry a signed timestamp (a CSRF token), however slow the machine is today."""
    return time_machine.travel(moment or pinned(), tick=False)


def an_hour_before() -> time_machine.travel:
    """Where shared databases are made: before every test's "now", as they would be in life,
    so a write in a test is always newer than the demo data (same calendar day at every instant)."""
    return travel(pinned() - timedelta(hours=1))


def after(delta: timedelta) -> datetime:
    """The pinned instant plus `delta` of elapsed time (wall-clock arithmetic would be an hour out
    across the night the clocks change)."""
    return pinned().astimezone(UTC) + delta
