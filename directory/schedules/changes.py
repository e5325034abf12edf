"""Changes to when a group meets: schedules, and one session cancelled or moved.

These go live at once when they are made (a cancellation is urgent; a facilitator's new,
changed or deleted schedule goes through listings/schedule_changes.py and is made here once staff
approve); the schedule's SEQUENCE and updated_at move on, so calendar feeds pick it up.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, time
from typing import Any

from directory import words
from directory.accounts import audit
from directory.extensions import db
from directory.models import Schedule, ScheduleException, Service, User
from directory.orm import touch
from directory.schedules import limits, recurrence, rules


@dataclass
class ScheduleValues:
    """What a person can set on a schedule; validated by rules.validate before it is saved."""

    kind: str
    freq: str
    interval: int
    byday: str
    bymonthday: int | None
    dtstart: date | None
    until: date | None
    count: int | None
    opens_at: time | None
    closes_at: time | None
    timezone: str
    attending_type: str
    online_url: str
    joining_details: str
    notes: str

    @classmethod
    def of(cls, sched: Schedule) -> ScheduleValues:
        return cls(**{f.name: getattr(sched, f.name) for f in fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_plain(cls, values: dict[str, Any]) -> ScheduleValues:
        """Back from the JSON a change request keeps (dates and times as ISO text)."""
        read: dict[str, Any] = {"dtstart": date.fromisoformat, "until": date.fromisoformat,
                                "opens_at": time.fromisoformat, "closes_at": time.fromisoformat}
        given: dict[str, Any] = {f.name: values.get(f.name) for f in fields(cls)}
        return cls(**{k: read[k](v) if k in read and v else v for k, v in given.items()})


def save_schedule(user: User, service: Service, sched: Schedule | None, values: ScheduleValues, today: date) -> Schedule:
    """Create or update a schedule; raises rules.ScheduleError with a message for the form."""
    for field, message in limits.entry_problems(values, today).items():
        raise rules.ScheduleError(message, field)
    rules.validate(values)
    sched = write_schedule(user, service, sched, values)
    db.session.commit()
    return sched


def write_schedule(user: User, service: Service, sched: Schedule | None, values: ScheduleValues) -> Schedule:
    """Create or update a schedule in the session, with its audit event; the caller commits."""
    before = ScheduleValues.of(sched).as_dict() if sched is not None else None
    if sched is None:
        sched = Schedule(service=service, **values.as_dict())
        db.session.add(sched)
    else:
        for key, value in values.as_dict().items():
            setattr(sched, key, value)
    audit.record(user, "schedule", service, before, values.as_dict())
    return sched


def change_session(
    user: User, sched: Schedule, day: date, status: str, note: str,
    new_date: date | None = None, new_opens_at: time | None = None, new_closes_at: time | None = None,
) -> ScheduleException:
    """Cancel or move the session on `day`; raises rules.ScheduleError when it cannot be."""
    if recurrence.session_on(sched, day) is None:
        raise rules.ScheduleError(f"The group does not meet on {words.format_date(day)}")
    if status == "moved":
        start = new_opens_at or sched.opens_at
        end = new_closes_at or (sched.closes_at if new_opens_at is None else None)
        if new_date is None and new_opens_at is None:
            raise rules.ScheduleError("Give the new date or the new start time")
        if new_date is not None and abs((new_date - day).days) > limits.MAX_MOVE_DAYS:
            raise rules.ScheduleError(
                f"A session can move up to {limits.MAX_MOVE_DAYS} days either way: check the new date's year"
            )
        if end is not None and end <= start:
            raise rules.ScheduleError("The end time must be after the start time")
    exc = next((e for e in sched.exceptions if e.original_date == day), None)
    before = _exception_values(exc)
    if exc is None:
        exc = ScheduleException(original_date=day)
        sched.exceptions.append(exc)
    exc.status = status
    exc.note = note.strip()
    exc.new_date = new_date if status == "moved" else None
    exc.new_opens_at = new_opens_at if status == "moved" else None
    exc.new_closes_at = new_closes_at if status == "moved" else None
    # An UPDATE of the schedule row: its SEQUENCE goes up and the feeds' ETags change.
    touch(sched)
    audit.record(user, f"session-{status}", sched.service, before, _exception_values(exc))
    db.session.commit()
    return exc


def restore_session(user: User, sched: Schedule, day: date) -> None:
    """Undo a cancellation or move: the session happens as usual."""
    exc = next((e for e in sched.exceptions if e.original_date == day), None)
    if exc is None:
        return
    before = _exception_values(exc)
    sched.exceptions.remove(exc)
    touch(sched)
    audit.record(user, "session-restored", sched.service, before, None)
    db.session.commit()


def _exception_values(exc: ScheduleException | None) -> dict[str, Any] | None:
    if exc is None:
        return None
    return {"date": exc.original_date, "status": exc.status, "note": exc.note, "new_date": exc.new_date,
            "new_opens_at": exc.new_opens_at, "new_closes_at": exc.new_closes_at}


def delete_schedule(user: User, sched: Schedule) -> None:
    """Remove a schedule and its one-session changes; the audit log keeps what it was, and the
    feeds drop the series (the database triggers move the change counter on)."""
    remove_schedule(user, sched)
    db.session.commit()


def remove_schedule(user: User, sched: Schedule) -> None:
    """The deletion in the session, with its audit event; the caller commits."""
    service = sched.service
    audit.record(user, "schedule-deleted", service, {**ScheduleValues.of(sched).as_dict(), "schedule_id": sched.id}, None)
    service.schedules.remove(sched)
    touch(service)
