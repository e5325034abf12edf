"""The daily summary for staff: reports of a problem, requests to facilitate and changes that came in
since yesterday, and how many wait in all. Listings' names and counts only: never what a person wrote,
so nothing anyone said about themselves or others leaves the site. Each member of staff may opt out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import func, select

from directory import vocab
from directory.clock import utcnow
from directory.extensions import db
from directory.listings import feedback, moderation
from directory.mail import links, outbox
from directory.models import ChangeRequest, FacilitatorRequest, Feedback, OutboxMessage, User

DAY = timedelta(days=1)
# A digest sent a little under a day ago still counts, so a daily job that runs late sends no second one.
NOT_AGAIN_WITHIN = timedelta(hours=20)


@dataclass(frozen=True)
class Waiting:
    reports: list[str]
    requests: list[str]
    changes: list[str]
    totals: dict[str, int]

    @property
    def anything_new(self) -> bool:
        return bool(self.reports or self.requests or self.changes)


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def since(start: datetime) -> Waiting:
    """What came in from `start` on and is still waiting, by listing or group name."""
    reports = db.session.scalars(feedback.open_reports().where(Feedback.created_at >= start)).all()
    pending_requests = select(FacilitatorRequest).where(FacilitatorRequest.status == "pending")
    requests = db.session.scalars(pending_requests.where(FacilitatorRequest.created_at >= start)).all()
    changes = db.session.scalars(moderation.pending().where(ChangeRequest.created_at >= start)).all()
    return Waiting(
        reports=[r.service.name for r in reports],
        requests=[r.group_name or "a group" for r in requests],
        changes=[f"{c.service.name} ({'new listing' if c.kind == 'new' else 'changes'})" for c in changes],
        totals={"reports": _count(feedback.open_reports()), "requests": _count(pending_requests),
                "changes": _count(moderation.pending())},
    )


def _had_one_lately(email: str) -> bool:
    return db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.kind == "digest", OutboxMessage.to == email, OutboxMessage.created_at > utcnow() - NOT_AGAIN_WITHIN,
    ).limit(1)) is not None


def send() -> int:
    """Queue today's digest for each member of staff who wants it, if anything came in; how many."""
    waiting = since(utcnow() - DAY)
    if not waiting.anything_new:
        return 0
    staff = db.session.scalars(select(User).where(User.active, User.role.in_(vocab.STAFF_ROLES)).order_by(User.email))
    count = 0
    for user in staff:
        if outbox.opted_out(user.email, "digest") or _had_one_lately(user.email):
            continue
        outbox.queue("digest", user.email, "New for staff today", "digest",
                     unsubscribe=links.unsubscribe_link(user.email, "digest"), user=user, waiting=waiting,
                     staff_home=url_for("staff.home", _external=True))
        count += 1
    db.session.commit()
    return count
