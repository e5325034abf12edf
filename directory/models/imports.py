"""Spreadsheets waiting for staff to confirm their import: kept here, keyed by a random token,
so the confirming request imports exactly the file that was previewed, never what a browser sends back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.clock import utcnow
from directory.models.base import Model


class ImportUpload(Model):
    __tablename__ = "import_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(120), default="spreadsheet")
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DataSource(Model):
    """Another directory's feed staff registered, fetched again every `refresh_hours` by `flask sources refresh`."""

    __tablename__ = "data_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # imports.feeds.KINDS
    url: Mapped[str] = mapped_column(String(500))
    refresh_hours: Mapped[int] = mapped_column(default=24)
    last_checked_at: Mapped[datetime | None]
    last_result: Mapped[str] = mapped_column(Text, default="")
    last_ok: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def key(self) -> str:
        """The source its listings carry: kept when the address changes."""
        return f"source:{self.id}"
