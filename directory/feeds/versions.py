"""Feed versions: what an ETag is made of, counted once and kept until the change counter moves."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import Row, func, select

from directory.extensions import db
from directory.models import ChangeCounter, Schedule, ScheduleException, Service
from directory.search.schedules import MeetingQuery, schedule_filters

# Feed versions kept per app; past this many (filters times change counts) they start again.
VERSIONS_KEPT = 2_000

def schedules_version(query: MeetingQuery) -> Row:
    """Counts and latest change times of what a feed of these schedules shows: one cheap
    query, different whenever a schedule, exception or service in it changes. Exceptions
    are counted over the whole table: a little more revalidation, one scan fewer."""
    exception_count = select(func.count()).select_from(ScheduleException).scalar_subquery()
    latest_exception = select(func.max(ScheduleException.created_at)).scalar_subquery()
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
        .where(*schedule_filters(query))
    ).one()


def change_count() -> int | None:
    """How many writes there have been to the tables schedules_version reads (a trigger
    counts them): while it stays the same, so does every feed's version."""
    return db.session.scalar(select(ChangeCounter.count).where(ChangeCounter.id == 1))


def kept_versions() -> dict:
    """This app's feed versions by change count and query (each app has its own)."""
    return current_app.extensions.setdefault("feed_versions", {})


def version(query: MeetingQuery) -> Row:
    """schedules_version(query), counted again only once the change counter has moved."""
    # Read first: a write committed after this read can only make the version counted below newer.
    changes = change_count()
    if changes is None:  # a database not made by the migrations has no counter: count every time
        return schedules_version(query)
    kept = kept_versions()
    found = kept.get((changes, query))
    if found is None:
        if len(kept) >= VERSIONS_KEPT:
            kept.clear()
        found = kept[changes, query] = schedules_version(query)
    return found
