"""Written feed events kept in the database, shared by every app server and kept across restarts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db
from directory.feeds import ical
from directory.models import Schedule, ScheduleRendering
from directory.search.schedules import MeetingQuery, schedule_stamps, select_schedules

BATCH = 1_000
_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


class RenderingStore:
    """The database side of ical.EventCache: look up by schedule and version key, upsert new ones."""

    def get(self, wanted: dict[int, str]) -> dict[int, bytes]:
        """Bodies whose stored key is the one wanted; a stale one counts as missing."""
        stmt = select(ScheduleRendering.schedule_id, ScheduleRendering.key, ScheduleRendering.body)
        if len(wanted) <= BATCH:
            stmt = stmt.where(ScheduleRendering.schedule_id.in_(list(wanted)))
        return {sid: bytes(body) for sid, key, body in db.session.execute(stmt) if wanted.get(sid) == key}

    def put(self, written: dict[int, tuple[str, bytes]]) -> None:
        """Keep new renderings; a failure only costs the next server the work again."""
        insert = _INSERTS.get(db.engine.dialect.name)
        if insert is None or not written:
            return
        rows = iter({"schedule_id": sid, "key": key, "body": body} for sid, (key, body) in written.items())
        try:
            while batch := list(islice(rows, BATCH)):
                stmt: Any = insert(ScheduleRendering).values(batch)  # the dialect's insert, with upserts
                db.session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["schedule_id"], set_={"key": stmt.excluded.key, "body": stmt.excluded.body}
                    )
                )
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            current_app.logger.warning("Written feed events were not kept: %s", exc)


def loader(query: MeetingQuery) -> Callable[[list[int] | None], Iterable[Schedule]]:
    """What EventCache calls for the schedules it must write: these ids of the query's, or all of them."""

    def load(ids: list[int] | None) -> Iterable[Schedule]:
        stmt = select_schedules(query)
        return db.session.scalars(stmt if ids is None else stmt.where(Schedule.id.in_(ids))).unique()

    return load


def warm(site: ical.Site) -> tuple[int, int]:
    """Write and keep the events of every published session, keyed as this site's feeds key
    them, so no calendar app's request has to write them: (schedules, how many were written)."""
    query = MeetingQuery()
    stamps = schedule_stamps(query)
    _, written = ical.EventCache().events(stamps, loader(query), site, RenderingStore())
    return len(stamps), written
