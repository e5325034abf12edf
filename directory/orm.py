"""Declarative base with a naming convention, so migrations name constraints the same on every database;
and touch(), the one way a row is marked changed by hand."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from directory.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def new_uuid() -> str:
    """A row's public identifier (HSDS ids): given once, never changed, unlike a slug."""
    return str(uuid.uuid4())


def touch(row: Any) -> None:
    """The row has changed now, even when none of its own columns has (its venue, a session's
    exception, a status set again): a new updated_at, so the flush UPDATEs it and its version
    (Service.version, Schedule.sequence) moves on. The only place updated_at is set by hand;
    the columns' onupdate sets it on every other UPDATE."""
    row.updated_at = utcnow()
