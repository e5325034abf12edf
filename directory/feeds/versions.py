"""Feed versions: what an ETag is made of, counted once and kept until the change counter moves."""

from __future__ import annotations

from sqlalchemy import Row, func, select

from directory.extensions import db
from directory.models import Schedule, ScheduleException, Service
from directory.search.kept import until_listings_change
from directory.search.schedules import MeetingQuery, schedule_filters
from directory.search.services import find


def schedules_version(query: MeetingQuery) -> Row:
    """Counts and latest change times of what a feed of these schedules shows: one cheap
    query, different whenever a schedule, exception or service in it changes. Exceptions
    are counted over the whole table: a little more revalidation, one scan fewer."""
    exception_count = select(func.count()).select_from(ScheduleException).scalar_subquery()
    latest_exception = select(func.max(ScheduleException.created_at)).scalar_subquery()
    where = schedule_filters(query, find(query.services))
    return db.session.execute(
        select(
            func.count().label("schedules"),
            func.max(Schedule.updated_at).label("schedules_changed"),
            func.sum(Schedule.sequence).label("sequences"),
            func.max(Service.updated_at).label("services_changed"),
            exception_count.label("exceptions"),
            latest_exception.label("exceptions_changed"),
        )
        .select_from(Schedule)
        .join(Schedule.service)
        .where(*where)
    ).one()


def version(query: MeetingQuery) -> Row:
    """schedules_version(query), counted again only once the change counter has moved."""
    return until_listings_change(("feed version", query), lambda: schedules_version(query))
