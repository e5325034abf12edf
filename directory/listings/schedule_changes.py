"""A facilitator's new, changed or deleted schedule on a published listing waits for staff.

It is kept as a change request of kind "schedule" (what it was, what is asked for), so the
live schedule, the page and the subscribed calendars stay as they were until staff approve.
Cancelling or moving one session is not here: that stays instant (schedules/changes.py).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from directory import vocab
from directory.accounts import audit
from directory.extensions import db
from directory.listings.status import is_published
from directory.models import ChangeRequest, Schedule, Service, User
from directory.schedules import changes, limits, rules, wording
from directory.schedules.changes import ScheduleValues

KIND = "schedule"
ADD, CHANGE, DELETE = "add", "change", "delete"
ACTIONS = {ADD: "New schedule", CHANGE: "Changed schedule", DELETE: "Schedule deleted"}


def moderated(user: User, service: Service) -> bool:
    return not user.is_staff and is_published(service)


def save(user: User, service: Service, sched: Schedule | None, values: ScheduleValues, today: date) -> bool:
    """Save a schedule, or ask staff to: True when it waits for them. Raises rules.ScheduleError."""
    if not moderated(user, service):
        changes.save_schedule(user, service, sched, values, today)
        return False
    for field, message in limits.entry_problems(values, today).items():
        raise rules.ScheduleError(message, field)
    rules.validate(values)
    _propose(user, service, sched, CHANGE if sched is not None else ADD, values)
    return True


def delete(user: User, sched: Schedule) -> bool:
    """Delete a schedule, or ask staff to: True when it waits for them."""
    if not moderated(user, sched.service):
        changes.delete_schedule(user, sched)
        return False
    _propose(user, sched.service, sched, DELETE, None)
    return True


def _propose(user: User, service: Service, sched: Schedule | None, action: str, values: ScheduleValues | None) -> None:
    before = audit.plain(ScheduleValues.of(sched).as_dict()) if sched is not None else {}
    asked: dict[str, Any] = {"action": action, "schedule_id": sched.id if sched is not None else None,
             "values": audit.plain(values.as_dict()) if values is not None else None}
    db.session.add(ChangeRequest(service=service, kind=KIND, before=before, changes=asked,
                                 base_version=sched.sequence if sched is not None else 0, created_by_id=user.id))
    audit.record(user, "schedule-proposed", service, before or None, asked["values"])
    db.session.commit()


def _target(req: ChangeRequest) -> Schedule | None:
    sched = db.session.get(Schedule, req.changes.get("schedule_id") or 0)
    return sched if sched is not None and sched.service_id == req.service_id else None


def waiting_for(service: Service) -> list[ChangeRequest]:
    """The schedule changes on a listing that wait for staff, oldest first."""
    return [r for r in db.session.scalars(
        select(ChangeRequest).where(ChangeRequest.service_id == service.id, ChangeRequest.kind == KIND,
                                    ChangeRequest.status == "pending").order_by(ChangeRequest.id))]


def conflict(req: ChangeRequest) -> str | None:
    """Why approving as asked would overwrite (or cannot find) what is live now; None if nothing
    changed since it was asked. Compared by value, so a cancelled session is no conflict."""
    if req.changes.get("action") == ADD:
        return None
    sched = _target(req)
    if sched is None:
        return "The schedule has been deleted since this was asked for."
    if audit.plain(ScheduleValues.of(sched).as_dict()) != req.before:
        return "The schedule has been changed since this was asked for."
    return None


def can_overwrite(req: ChangeRequest) -> bool:
    """A conflict staff may approve over: the schedule is still there to change or delete."""
    return req.changes.get("action") == ADD or _target(req) is not None


def apply(user: User, req: ChangeRequest) -> None:
    """Make the asked-for change in the session (staff approved it); the caller commits."""
    sched = _target(req)
    if req.changes["action"] == DELETE:
        if sched is not None:
            changes.remove_schedule(user, sched)
        return
    values = ScheduleValues.from_plain(req.changes["values"])
    rules.validate(values)
    changes.write_schedule(user, req.service, sched if req.changes["action"] == CHANGE else None, values)


def venue_of(req: ChangeRequest) -> str:
    """Where the sessions are: the schedule's own venue, else the listing's first."""
    sched = _target(req)
    venue = (sched.location if sched is not None else None) or next(iter(req.service.locations), None)
    return (venue.name or venue.town) if venue is not None else ""


def lines(values: dict[str, Any] | None, venue: str = "") -> dict[str, str]:
    """A schedule's values (as kept in JSON) as labelled words:
    'When': 'Every Tuesday, 7pm to 8:30pm at Hope Centre'."""
    if not values:
        return {}
    read = ScheduleValues.from_plain(values)
    where = f" at {venue}" if venue and read.attending_type != "online" and read.attending_type != "phone" else ""
    out = {
        "When": wording.describe(SimpleNamespace(id=None, location=None, exceptions=[], **read.as_dict())) + where,
        "Kind": "Sessions" if read.kind == "session" else "Opening hours",
        "How people attend": vocab.label(vocab.ATTENDING_TYPE, read.attending_type),
        "Online link": read.online_url or "",
        "Joining details": read.joining_details or "",
        "Notes": read.notes or "",
    }
    return {label: text for label, text in out.items() if text}


def summary(req: ChangeRequest) -> str:
    """One line for lists: 'Changed schedule: Every Tuesday, 7pm to 8:30pm'."""
    shown = lines(req.changes.get("values") or req.before).get("When", "")
    return f"{ACTIONS.get(req.changes.get('action', ''), 'Schedule')}: {shown}"
