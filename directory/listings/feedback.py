"""'Report a problem with this listing': kept for staff, with nothing about who sent it."""

from __future__ import annotations

from sqlalchemy import Select, select

from directory.accounts import audit
from directory.clock import utcnow
from directory.extensions import db
from directory.models import Feedback, Service, User


def report(service: Service, message: str) -> None:
    db.session.add(Feedback(service=service, message=message.strip()))
    db.session.commit()


def open_reports() -> Select:
    return select(Feedback).where(Feedback.status == "open").order_by(Feedback.created_at, Feedback.id)


def resolve(user: User, item: Feedback) -> None:
    item.status = "resolved"
    item.resolved_by_id = user.id
    item.resolved_at = utcnow()
    audit.record(user, "feedback-resolved", item, {"status": "open"}, {"status": "resolved"})
    db.session.commit()
