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
from directory.listings import diff as diff_words
from directory.listings import edits, schedule_changes, schema
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
    """Apply an edit made from `base_version`, to the fields the person may change. For a
    facilitator's published listing every change waits for staff as one change request."""
    if base_version != service.version:
        raise EditConflict(edits.snapshot(service), service.version)
    allowed = schema.fields_for(user.is_staff)
    current = edits.snapshot(service)
    before, after = audit.changed(current, {k: v for k, v in values.items() if k in allowed})
    waiting = after if _needs_approval(user, service) else {}
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
    """A new listing. Staff's starts as a draft they check and publish (publish_new); a
    facilitator's is pending until staff approve it, and its proposer may edit it meanwhile."""
    slug = edits.slug_for(values["name"], lambda s: db.session.scalar(select(Service.id).where(Service.slug == s)))
    allowed = schema.fields_for(user.is_staff)
    service = Service(slug=slug, name=values["name"], status=DRAFT if user.is_staff else PENDING)
    edits.apply(service, {k: v for k, v in values.items() if k in allowed})
    db.session.add(service)
    if not user.is_staff:
        user.services.append(service)
        db.session.flush()
        db.session.add(ChangeRequest(service=service, kind="new", before={}, changes=edits.snapshot(service),
                                     base_version=service.version, created_by_id=user.id))
    audit.record(user, "proposed", service, None, edits.snapshot(service))
    db.session.commit()
    return service


def publish_new(user: User, service: Service, today: date) -> None:
    """Staff publish a listing they have checked: it is public and counts as checked today."""
    if service.status not in (DRAFT, PENDING):
        raise DecisionError("This listing is already published or archived")
    before = service.status
    service.status = PUBLISHED
    _checked(user, service, today)
    audit.record(user, "status", service, {"status": before}, {"status": PUBLISHED})
    for req in pending_for(service):
        if req.kind == "new":
            audit.record_decision(user, req, True, "")
    db.session.commit()


def _checked(user: User | None, service: Service, today: date) -> None:
    before = service.last_verified_at
    service.last_verified_at = today
    touch(service)
    audit.record(user, "verify", service, {"last_verified_at": before}, {"last_verified_at": today})


def pending() -> Select:
    return (select(ChangeRequest).where(ChangeRequest.status == "pending")
            .order_by(ChangeRequest.created_at, ChangeRequest.id))


def _row(label: str, old: list[str], new: list[str], split: bool) -> dict[str, Any]:
    return {"label": label, "pieces": diff_words.pieces(diff_words.tokens(old, split), diff_words.tokens(new, split)),
            "joiner": " " if split else ", "}


def _schedule_diff(req: ChangeRequest) -> list[dict[str, Any]]:
    """A schedule asked for, in labelled words against what it was ("Every Tuesday, 7pm to 8:30pm at ...")."""
    venue = schedule_changes.venue_of(req)
    old = schedule_changes.lines(req.before, venue)
    new = schedule_changes.lines(req.changes.get("values"), venue)
    labels = [k for k in dict.fromkeys([*old, *new]) if req.changes["action"] != schedule_changes.CHANGE or old.get(k) != new.get(k)]
    return [_row(k, [old[k]] if k in old else [], [new[k]] if k in new else [], True) for k in labels]


def conflicts(req: ChangeRequest, organisations: dict[int, str]) -> list[dict[str, str]]:
    """What changed on the live listing since the request was made (by someone else, or by
    another approved change): each field's label, its value then and now. Empty if nothing did."""
    if req.status != "pending" or req.kind == "new":
        return []
    if req.kind == schedule_changes.KIND:
        problem = schedule_changes.conflict(req)
        return [{"label": "Schedule", "then": "", "now": problem}] if problem else []
    live = audit.plain(edits.snapshot(req.service))
    return [{"label": schema.LABELS.get(f, f), "then": schema.as_text(f, req.before.get(f), organisations),
             "now": schema.as_text(f, live.get(f), organisations)}
            for f in req.changes if f in live and live[f] != req.before.get(f)]


def diff(req: ChangeRequest, organisations: dict[int, str]) -> list[dict[str, Any]]:
    """For each field the request touches: its label and the proposed value as word-level
    pieces against what is live now (a new listing: everything given counts as added)."""
    if req.kind == schedule_changes.KIND:
        return _schedule_diff(req)
    live = edits.snapshot(req.service) if req.kind == "change" else {}
    # A new listing is shown as it is now: its proposer may have edited it since sending it.
    proposed = req.changes if req.kind == "change" else edits.snapshot(req.service)
    rows = []
    for field, value in proposed.items():
        if req.kind == "new" and value in ("", None, False, []):
            continue
        spec = schema.BY_NAME.get(field)
        split = spec is None or spec.kind == "text"
        rows.append(_row(schema.LABELS.get(field, field), schema.words(field, live.get(field), organisations),
                         schema.words(field, value, organisations), split))
    return rows


def decide(user: User, req: ChangeRequest, approve: bool, reason: str, today: date, overwrite: bool = False) -> None:
    """Approve (it goes live, and the listing counts as checked today) or reject with a reason
    the facilitator sees. If the live listing changed since the request was made, approving
    needs `overwrite` (staff have seen both), and cannot change a schedule deleted since."""
    if req.status != "pending":
        raise DecisionError("Someone has already decided on this change")
    if not approve and not reason.strip():
        raise DecisionError("Say why the change is not approved, so the facilitator can put it right")
    if approve and conflicts(req, {}):
        if req.kind == schedule_changes.KIND and not schedule_changes.can_overwrite(req):
            raise DecisionError("The schedule has been deleted since this was asked for: do not approve it, and say why")
        if not overwrite:
            raise DecisionError("The listing has changed since this was asked for: check the changes shown, "
                                "then approve to replace them or do not approve")
    service = req.service
    if approve and req.kind == schedule_changes.KIND:
        schedule_changes.apply(user, req)
    if approve and req.kind == "change":
        before = {k: v for k, v in edits.snapshot(service).items() if k in req.changes}
        edits.apply(service, req.changes)
        audit.record(user, "edit", service, before, req.changes)
    if req.kind == "new":
        before_status = service.status
        service.status = PUBLISHED if approve else DRAFT
        touch(service)
        audit.record(user, "status", service, {"status": before_status}, {"status": service.status})
    if approve:
        _checked(user, service, today)
    audit.record_decision(user, req, approve, reason)
    db.session.commit()


def what(req: ChangeRequest) -> str:
    """What a request asks for, in a few words, for lists: "New listing", "Phone, Email", or the schedule."""
    if req.kind == "new":
        return "New listing"
    if req.kind == schedule_changes.KIND:
        return schedule_changes.summary(req)
    return ", ".join(schema.LABELS.get(f, f) for f in req.changes)


def rejected_for(service: Service, limit: int = 5) -> list[ChangeRequest]:
    """The latest changes staff did not approve, with their reasons, for the facilitator to read."""
    stmt = (select(ChangeRequest).where(ChangeRequest.service_id == service.id, ChangeRequest.status == "rejected")
            .order_by(ChangeRequest.decided_at.desc(), ChangeRequest.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


def verify(user: User | None, service: Service, today: date) -> None:
    """Checked today: by a member of staff, or by whoever answered a reminder (user None: the staff contact)."""
    _checked(user, service, today)
    db.session.commit()


def next_check_due(service: Service) -> date | None:
    """Six months after the last check; None if it has never been checked (it is due now)."""
    return service.last_verified_at + STALE_AFTER if service.last_verified_at else None


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


def due_this_month(today: date) -> Select:
    """Published listings whose next check falls later this month: not overdue yet, but soon."""
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (select(Service)
            .where(published(), Service.last_verified_at >= today - STALE_AFTER,
                   Service.last_verified_at < month_end - STALE_AFTER)
            .order_by(Service.last_verified_at, Service.name))


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
