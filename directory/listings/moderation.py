"""Edits to listings: direct or waiting for staff, conflicts between two editors, approval,
verification and archiving. Each function is one unit of work and commits it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, not_, or_, select
from sqlalchemy.orm.exc import StaleDataError

from directory.accounts import audit
from directory.extensions import db
from directory.listings import edits
from directory.listings.status import ARCHIVED, DRAFT, PENDING, PUBLISHED, is_published, published
from directory.models import ChangeRequest, Schedule, ScheduleException, Service, User
from directory.orm import touch
from directory.schedules import limits, recurrence, rules

STALE_AFTER = timedelta(days=183)


class EditConflict(Exception):
    """Someone saved the listing after this editor opened it: show both versions, overwrite nothing."""

    def __init__(self, theirs: dict[str, Any], version: int):
        super().__init__("Someone changed this since you opened it")
        self.theirs = theirs
        self.version = version


class DecisionError(ValueError):
    """A decision that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Saved:
    applied: tuple[str, ...]
    waiting: tuple[str, ...]


def _needs_approval(user: User, service: Service) -> bool:
    return not user.is_staff and is_published(service)


def save_details(user: User, service: Service, values: dict[str, Any], base_version: int) -> Saved:
    """Apply an edit made from `base_version`. For a facilitator's published listing, changes to
    the name, description or address become a change request and the rest go live now."""
    if base_version != service.version:
        raise EditConflict(edits.snapshot(service), service.version)
    current = edits.snapshot(service)
    before, after = audit.changed(current, values)
    waiting = {k: v for k, v in after.items() if k in edits.MODERATED} if _needs_approval(user, service) else {}
    direct = {k: v for k, v in after.items() if k not in waiting}
    if waiting:
        db.session.add(ChangeRequest(
            service=service, kind="change", before={k: current[k] for k in waiting}, changes=waiting,
            base_version=base_version, created_by_id=user.id,
        ))
        audit.record(user, "change-proposed", service, {k: current[k] for k in waiting}, waiting)
    if direct:
        edits.apply(service, direct)
        audit.record(user, "edit", service, {k: before[k] for k in direct}, direct)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(service)
        raise EditConflict(edits.snapshot(service), service.version) from None
    return Saved(applied=tuple(direct), waiting=tuple(waiting))


def propose_new(user: User, values: dict[str, Any]) -> Service:
    """A new listing, pending until staff approve it; its proposer may edit it meanwhile."""
    slug = edits.slug_for(values["name"], lambda s: db.session.scalar(select(Service.id).where(Service.slug == s)))
    service = Service(slug=slug, name=values["name"], status=PENDING)
    service.set_codes("category", ["peer-support"])
    edits.apply(service, values)
    db.session.add(service)
    if not user.is_staff:
        user.services.append(service)
    db.session.flush()
    db.session.add(ChangeRequest(service=service, kind="new", before={}, changes=edits.snapshot(service),
                                 base_version=service.version, created_by_id=user.id))
    audit.record(user, "proposed", service, None, edits.snapshot(service))
    db.session.commit()
    return service


def pending() -> Select:
    return (select(ChangeRequest).where(ChangeRequest.status == "pending")
            .order_by(ChangeRequest.created_at, ChangeRequest.id))


def diff(req: ChangeRequest) -> list[dict[str, Any]]:
    """Rows of (label, live now, proposed) for each field the request touches."""
    live = edits.snapshot(req.service) if req.kind == "change" else {}
    return [
        {"field": f, "label": edits.LABELS.get(f, f), "now": live.get(f, ""), "proposed": v}
        for f, v in req.changes.items()
        if req.kind == "change" or v not in ("", None, False)
    ]


def decide(user: User, req: ChangeRequest, approve: bool, reason: str) -> None:
    if req.status != "pending":
        raise DecisionError("Someone has already decided on this change")
    if not approve and not reason.strip():
        raise DecisionError("Say why the change is not approved, so the facilitator can put it right")
    service = req.service
    if approve and req.kind == "change":
        before = {k: v for k, v in edits.snapshot(service).items() if k in req.changes}
        edits.apply(service, req.changes)
        audit.record(user, "edit", service, before, req.changes)
    if req.kind == "new":
        before_status = service.status
        service.status = PUBLISHED if approve else DRAFT
        touch(service)
        audit.record(user, "status", service, {"status": before_status}, {"status": service.status})
    audit.record_decision(user, req, approve, reason)
    db.session.commit()


def verify(user: User | None, service: Service, today: date) -> None:
    """Checked today: by a member of staff, or by whoever answered a reminder (user None: the staff contact)."""
    before = service.last_verified_at
    service.last_verified_at = today
    audit.record(user, "verify", service, {"last_verified_at": before}, {"last_verified_at": today})
    db.session.commit()


def set_status(user: User, service: Service, status: str) -> None:
    """Archive (it leaves search and feeds, nothing is deleted) or publish again."""
    if status not in (PUBLISHED, ARCHIVED):
        raise DecisionError("A listing can be published or archived")
    before = service.status
    service.status = status
    touch(service)
    audit.record(user, "status", service, {"status": before}, {"status": status})
    db.session.commit()


def unverified(today: date) -> Select:
    """Published listings not checked for about six months, oldest (or never) first."""
    cutoff = today - STALE_AFTER
    return (select(Service)
            .where(published(),
                   (Service.last_verified_at.is_(None)) | (Service.last_verified_at < cutoff))
            .order_by(Service.last_verified_at.is_not(None), Service.last_verified_at, Service.name))


def services_for_staff(q: str = "", status: str = "") -> Select:
    stmt = select(Service).order_by(Service.name)
    if q:
        stmt = stmt.where(Service.name.ilike(f"%{q.replace('%', '').replace('_', '')}%"))
    if status:
        stmt = stmt.where(Service.status == status)
    return stmt


def pending_for(service: Service) -> list[ChangeRequest]:
    return list(db.session.scalars(pending().where(ChangeRequest.service_id == service.id)))


def needing_attention() -> list[tuple[Schedule, str]]:
    """Schedules that pages and feeds leave out (dates or numbers no form would accept, written
    by an import or by hand), with why, for staff to put right."""
    moved = select(ScheduleException.schedule_id).where(ScheduleException.status == "moved")
    # Day lists are few and varied ("TU", "2TU,4TU"): each distinct one is judged once, in Python.
    bad_days = [d for d in db.session.scalars(select(Schedule.byday).distinct()) if not rules.days_known(d)]
    stmt = (select(Schedule)
            .where(or_(not_(limits.showable_clause(Schedule)), Schedule.id.in_(moved), Schedule.byday.in_(bad_days)))
            .order_by(Schedule.id))
    return [(s, reason) for s in db.session.scalars(stmt) if (reason := recurrence.unshowable(s))]
