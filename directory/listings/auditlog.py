"""The audit log as staff read it: what happened in words, to which listing or account, by whom,
with each changed field's label and values in words; filtered by listing, person and kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import Select, or_, select

from directory import vocab, words
from directory.accounts import audit
from directory.extensions import db
from directory.listings import schedule_changes, schema
from directory.models import AuditEvent, ChangeRequest, Feedback, Location, Organisation, Service, User

# Every action the app records, as a person would say it.
ACTIONS = {
    "edit": "Changed details", "change-proposed": "Proposed a change", "proposed": "Added a new listing",
    "status": "Changed the status", "verify": "Marked as checked", "approved": "Approved a change",
    "rejected": "Did not approve a change", "added": "Added", "schedule": "Saved a schedule",
    "schedule-deleted": "Deleted a schedule", "session-cancelled": "Cancelled a session",
    "session-moved": "Moved a session", "session-restored": "Put a session back", "feedback-resolved":
    "Dealt with a reported problem", "password-set": "Set a password", "invite": "Invited someone",
    "attach": "Gave someone a listing to edit", "detach": "Took a listing away from someone",
    "deactivate": "Stopped an account", "spaces": "Said whether there are spaces", "venue-added": "Added a venue",
    "venue-changed": "Changed a venue", "venue-removed": "Took a venue off a listing",
    "schedule-proposed": "Asked for a schedule change",
}
_SCHEDULE_ACTIONS = frozenset({"schedule", "schedule-deleted", "schedule-proposed"})
# One session cancelled or moved: its values and how to read them.
_SESSION_LABELS = {"date": "Session", "status": "Session status", "note": "Note", "new_date": "New date",
                   "new_opens_at": "New start time", "new_closes_at": "New end time"}
_SESSION_STATUS = {"cancelled": "Cancelled", "moved": "Moved", "scheduled": "As usual"}
_OTHER_LABELS = {"status": "Status", "last_verified_at": "Last checked", "reason": "Reason", "services": "Listings",
                 "email": "Email", "role": "Role", "active": "Can sign in", "spaces": "Spaces now",
                 "spaces_said_on": "Spaces last said", "venue": "Venue", "confidential": "Private address"}


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    what: str
    subject: str
    service_id: int | None
    changes: list[tuple[str, str, str]]  # (label, before, after)


def events(service_id: int | None = None, user_id: int | None = None, action: str = "") -> Select:
    """Newest first; a listing's events include decisions on its change requests and reports."""
    stmt = audit.latest()
    if service_id is not None:
        requests = select(ChangeRequest.id).where(ChangeRequest.service_id == service_id)
        reports = select(Feedback.id).where(Feedback.service_id == service_id)
        stmt = stmt.where(or_(
            (AuditEvent.entity_type == "service") & (AuditEvent.entity_id == service_id),
            (AuditEvent.entity_type == "change_request") & AuditEvent.entity_id.in_(requests),
            (AuditEvent.entity_type == "feedback") & AuditEvent.entity_id.in_(reports),
        ))
    if user_id is not None:
        stmt = stmt.where(AuditEvent.user_id == user_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return stmt


def _value(field: str, value: Any, names: dict[int, str]) -> str:
    if field == "spaces":
        return vocab.label(vocab.SPACE, value)
    if field in _SESSION_LABELS and value:
        if field == "status":
            return _SESSION_STATUS.get(value, str(value))
        if field in ("date", "new_date"):
            return words.format_date(date.fromisoformat(value))
        if field in ("new_opens_at", "new_closes_at"):
            return words.format_time(time.fromisoformat(value))
    return schema.as_text(field, value, names) if field in schema.BY_NAME else ("" if value is None else str(value))


def _changes(e: AuditEvent, orgs: dict[int, str]) -> list[tuple[str, str, str]]:
    """(label, before, after) for each value the event moved, in words."""
    before, after = e.before or {}, e.after or {}
    if e.action in _SCHEDULE_ACTIONS:  # a whole schedule: read as "Every Tuesday, 7pm to 8:30pm" and labels
        old, new = schedule_changes.lines(before), schedule_changes.lines(after)
        return [(k, old.get(k, ""), new.get(k, "")) for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    labels = _SESSION_LABELS if e.action.startswith("session-") else {}
    return [(labels.get(k) or schema.LABELS.get(k) or _OTHER_LABELS.get(k, k.replace("_", " ").capitalize()),
             _value(k, before.get(k), orgs), _value(k, after.get(k), orgs)) for k in dict.fromkeys([*before, *after])]


def entries(page_events: list[AuditEvent]) -> list[Entry]:
    """The events of one page in words, with the names of what they are about, read in a few queries."""
    ids: dict[str, set[int]] = {}
    for e in page_events:
        ids.setdefault(e.entity_type, set()).add(e.entity_id or 0)
    requests = {r.id: r.service_id for r in db.session.scalars(select(ChangeRequest).where(ChangeRequest.id.in_(ids.get("change_request", ()))))}
    reports = {f.id: f.service_id for f in db.session.scalars(select(Feedback).where(Feedback.id.in_(ids.get("feedback", ()))))}
    service_ids = ids.get("service", set()) | set(requests.values()) | {s for s in reports.values() if s}
    services = {s.id: s.name for s in db.session.scalars(select(Service).where(Service.id.in_(service_ids)))}
    orgs = {o.id: o.name for o in db.session.scalars(select(Organisation))}
    users = {u.id: u.email for u in db.session.scalars(select(User).where(User.id.in_(ids.get("user_account", ()))))}
    places = {v.id: v.name or v.town for v in db.session.scalars(select(Location).where(Location.id.in_(ids.get("location", ()))))}
    out = []
    for e in page_events:
        service_id = {"service": e.entity_id, "change_request": requests.get(e.entity_id or 0),
                      "feedback": reports.get(e.entity_id or 0)}.get(e.entity_type)
        subject = (services.get(service_id or 0) if service_id else
                   orgs.get(e.entity_id or 0) if e.entity_type == "organisation" else
                   users.get(e.entity_id or 0) if e.entity_type == "user_account" else
                   places.get(e.entity_id or 0) if e.entity_type == "location" else None)
        out.append(Entry(e, ACTIONS.get(e.action, e.action.replace("-", " ").capitalize()),
                         subject or "Something since removed", service_id, _changes(e, orgs)))
    return out
