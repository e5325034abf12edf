"""Mail waiting to go or gone: the outbox, review reminders sent, and who asked for no more of which kind."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.clock import utcnow
from directory.models.base import Model

if TYPE_CHECKING:
    from directory.models.service import Service
    from directory.models.user import User


class OutboxMessage(Model):
    """One message, written in the same transaction as the change that causes it, sent later
    (`flask mail send`, or straight after the request): a change never waits on a mail server."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # queued -> sending (claimed by one sender) -> sent; or back to queued with a later next_attempt_at,
    # and failed once the tries are used up.
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]


class ReviewReminder(Model):
    """"Is this listing still right?", sent to one address; its links work once, for 14 days."""

    __tablename__ = "review_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    service: Mapped[Service] = relationship()
    user: Mapped[User | None] = relationship()


class MailOptOut(Model):
    """An address that asked for no more reminders or digests (by the link in one of them)."""

    __tablename__ = "mail_opt_out"
    __table_args__ = (UniqueConstraint("email", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
