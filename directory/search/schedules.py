"""Which group sessions: the meeting query and the schedule half of the one query builder,
shared by /meetings, the iCal feeds and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, and_, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from directory.extensions import db
from directory.models import Schedule, Service
from directory.schedules import limits, recurrence
from directory.search.services import Found, ServiceQuery, filters, find

# Ways of joining from home, for the "online" filter on meetings.
REMOTE_ATTENDING = ("online", "hybrid", "phone")


@dataclass(frozen=True)
class MeetingQuery:
    """Which group sessions: the services (as for /search) plus when and how they meet."""

    services: ServiceQuery = ServiceQuery()
    days: tuple[str, ...] = ()  # rules.DAY_CODES
    times: tuple[str, ...] = ()  # recurrence.TIMES_OF_DAY names, by start time
    remote: bool = False
    slug: str = ""  # one service only


def _starts_in(name: str):
    lo, hi = recurrence.TIMES_OF_DAY[name]
    return and_(Schedule.opens_at >= lo, Schedule.opens_at < hi) if hi else Schedule.opens_at >= lo


def schedule_filters(query: MeetingQuery, found: Found) -> list:
    """WHERE clauses over Schedule joined to Service; a day matches rules that name it (TU, 2TU)
    and rules by day of the month. `found`: what find(query.services) found."""
    clauses = [Schedule.kind == "session", limits.showable_clause(Schedule), *filters(query.services, found)]
    if query.slug:
        clauses.append(Service.slug == query.slug)
    if query.days:
        # "On the 15th" falls on any weekday, so such rules stay in; the page lists only the days asked for.
        clauses.append(or_(Schedule.bymonthday.is_not(None), *(Schedule.byday.contains(day) for day in query.days)))
    if query.times:
        clauses.append(or_(*(_starts_in(name) for name in query.times)))
    if query.remote:
        clauses.append(Schedule.attending_type.in_(REMOTE_ATTENDING))
    return clauses


def select_schedules(query: MeetingQuery, found: Found | None = None) -> Select:
    """A Select of matching session schedules with their service, in a stable order; `found`:
    what find(query.services) found, when the caller needs it too (for distances)."""
    where = schedule_filters(query, find(query.services) if found is None else found)
    return (
        select(Schedule)
        .join(Schedule.service)
        .where(*where)
        .order_by(Schedule.id)
        # Feeds and meeting lists need the service's name and slug, not its tags or places.
        .options(contains_eager(Schedule.service).lazyload("*"), selectinload(Schedule.exceptions))
    )


def schedule_stamps(query: MeetingQuery) -> Sequence[Row[Any]]:
    """Each matching schedule's id and version, cheaply: enough to reuse events already written."""
    where = schedule_filters(query, find(query.services))
    return db.session.execute(
        select(
            Schedule.id, Schedule.sequence, Schedule.updated_at, Service.updated_at.label("service_updated_at"),
            Schedule.timezone, Schedule.dtstart,
        )
        .join(Schedule.service)
        .where(*where)
        .order_by(Schedule.id)
    ).all()
