"""The audit log: one call for every change, with JSON-safe before and after values."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, select

from directory.clock import utcnow
from directory.extensions import db
from directory.models import AuditEvent


def plain(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def record(user: Any, action: str, entity: Any, before: dict | None = None, after: dict | None = None) -> None:
    """Add an event to the session; the caller's commit keeps it with the change it describes."""
    if getattr(entity, "id", None) is None:
        db.session.flush()
    db.session.add(
        AuditEvent(
            user_id=getattr(user, "id", None),
            action=action,
            entity_type=entity.__tablename__,
            entity_id=entity.id,
            before=plain(before),
            after=plain(after),
        )
    )


def record_decision(user: Any, req: Any, approve: bool, reason: str) -> None:
    """Stamp a pending request as approved or rejected, by whom and when, and log it."""
    req.status = "approved" if approve else "rejected"
    req.reason = reason.strip()
    req.decided_by_id = user.id
    req.decided_at = utcnow()
    record(user, req.status, req, {"status": "pending"}, {"status": req.status, "reason": req.reason})


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, so the log shows what moved."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def latest() -> Select:
    return select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
