"""A list someone chose to share: service ids and notes only, behind an unguessable token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.clock import utcnow
from directory.models.base import Model


class SharedList(Model):
    __tablename__ = "shared_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # [{"id": service id, "note": "ask for Sam on Tuesdays"}, ...]; never a name or contact.
    items: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
