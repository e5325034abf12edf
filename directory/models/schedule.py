"""When things happen: HSDS schedules (RFC 5545 underneath) and one-off exceptions.

Times are local wall times plus an IANA zone, never UTC instants, so a 7pm
meeting stays at 7pm across a clock change.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, ForeignKey, LargeBinary, String, Text, Time, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from directory.clock import utcnow
from directory.models.base import Model
from directory.models.location import Location
from directory.orm import new_uuid, touch

if TYPE_CHECKING:
    from directory.models.service import Service


class Schedule(Model):
    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, index=True, default=new_uuid)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    # "session" (meetings, courses: in the feeds) or "opening" (opening hours).
    kind: Mapped[str] = mapped_column(String(10), default="session")
    freq: Mapped[str] = mapped_column(String(10), default="WEEKLY")
    interval: Mapped[int] = mapped_column(default=1)
    byday: Mapped[str] = mapped_column(String(60), default="")
    bymonthday: Mapped[int | None]
    dtstart: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    count: Mapped[int | None]
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/London")
    attending_type: Mapped[str] = mapped_column(String(20), default="in-person")
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    online_url: Mapped[str] = mapped_column(String(500), default="")
    joining_details: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    service: Mapped[Service] = relationship(back_populates="schedules")
    location: Mapped[Location | None] = relationship(lazy="joined")
    exceptions: Mapped[list[ScheduleException]] = relationship(
        back_populates="schedule",
        cascade="all, delete-orphan",
        order_by="ScheduleException.original_date",
        lazy="selectin",
    )

    # Every UPDATE adds one: the iCal SEQUENCE that tells calendar apps an event changed.
    __mapper_args__ = {"version_id_col": sequence}


class ScheduleException(Model):
    """One session cancelled, or moved to another time, date or place, with a note."""

    __tablename__ = "schedule_exception"
    __table_args__ = (UniqueConstraint("schedule_id", "original_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedule.id", ondelete="CASCADE"))
    original_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # "cancelled" or "moved"
    new_date: Mapped[date | None] = mapped_column(Date)
    new_opens_at: Mapped[time | None] = mapped_column(Time)
    new_closes_at: Mapped[time | None] = mapped_column(Time)
    new_location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    schedule: Mapped[Schedule] = relationship(back_populates="exceptions")
    new_location: Mapped[Location | None] = relationship(lazy="joined")


def register_listeners() -> None:
    """Attach the listener below to every session; create_app calls this (once is enough, however
    many apps a process makes), so importing the models changes nothing by itself."""
    if not event.contains(Session, "before_flush", _edits_reach_schedules):
        event.listen(Session, "before_flush", _edits_reach_schedules)


def _edits_reach_schedules(session: Session, flush_context, instances) -> None:
    """Cancelling or moving one session, or changing a venue, is an edit of the schedules
    it shows in: their SEQUENCE and updated_at move on, so feeds and their ETags change."""
    touched: set[Schedule] = set()
    venues = [o.id for o in session.dirty if isinstance(o, Location) and session.is_modified(o)]
    if venues:
        touched.update(session.scalars(select(Schedule).where(Schedule.location_id.in_(venues))))
        touched.update(session.scalars(
            select(Schedule).join(Schedule.exceptions).where(ScheduleException.new_location_id.in_(venues))
        ))
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ScheduleException) and obj.schedule is not None:
            touched.add(obj.schedule)
    for sched in touched - set(session.new):
        touch(sched)


class ScheduleRendering(Model):
    """A schedule's events as written for the feeds, kept under the version they were written
    from, so a new or restarted app server serves feeds without writing every event again."""

    __tablename__ = "schedule_rendering"

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedule.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class ChangeCounter(Model):
    """One row counting writes to everything a feed's version is worked out from. Database
    triggers (migration 0006) move it on every write to those tables, however it is made,
    so a feed's version can be kept until the count moves instead of being counted again."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
