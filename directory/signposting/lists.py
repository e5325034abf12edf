"""A person's list of services: kept in their browser session, shared only as ids and notes.

No names, dates of birth or contact details are asked for or stored; a shared copy
is found only by a random 192-bit token and is gone after 90 days.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from directory.clock import utcnow
from directory.extensions import db
from directory.models import Service, SharedList

SESSION_KEY = "shortlist"
MAX_ITEMS = 20
MAX_NOTE = 140
SHARE_DAYS = 90


class ListFull(ValueError):
    """The list already holds MAX_ITEMS services."""


@dataclass(frozen=True)
class Entry:
    service: Service
    note: str


def items(session: MutableMapping[str, Any]) -> list[dict[str, Any]]:
    return list(session.get(SESSION_KEY, []))


def _save(session: MutableMapping[str, Any], entries: list[dict[str, Any]]) -> None:
    session[SESSION_KEY] = entries


def ids(session: MutableMapping[str, Any]) -> list[int]:
    return [e["id"] for e in items(session)]


def add(session: MutableMapping[str, Any], service_ids: list[int]) -> int:
    """Add services not already listed, in order; returns how many were added."""
    entries = items(session)
    have = {e["id"] for e in entries}
    new = [i for i in dict.fromkeys(service_ids) if i not in have]
    if len(entries) + len(new) > MAX_ITEMS:
        raise ListFull(f"Your list can hold up to {MAX_ITEMS} services")
    _save(session, entries + [{"id": i, "note": ""} for i in new])
    return len(new)


def remove(session: MutableMapping[str, Any], service_id: int) -> None:
    _save(session, [e for e in items(session) if e["id"] != service_id])


def move(session: MutableMapping[str, Any], service_id: int, step: int) -> None:
    """Move one service up (-1) or down (+1); the ends stay put."""
    entries = items(session)
    at = next((n for n, e in enumerate(entries) if e["id"] == service_id), None)
    if at is None or not 0 <= at + step < len(entries):
        return
    entries[at], entries[at + step] = entries[at + step], entries[at]
    _save(session, entries)


def set_note(session: MutableMapping[str, Any], service_id: int, note: str) -> None:
    _save(session, [{**e, "note": note[:MAX_NOTE]} if e["id"] == service_id else e for e in items(session)])


def clear(session: MutableMapping[str, Any]) -> None:
    session.pop(SESSION_KEY, None)


def fresh_session(session: MutableMapping[str, Any]) -> None:
    """A new session for signing in or out that keeps the person's list (a worker
    builds a client's list, then signs in to print the signposting sheet)."""
    kept = items(session)
    session.clear()
    if kept:
        _save(session, kept)


def resolve(entries: list[dict[str, Any]]) -> list[Entry]:
    """Entries with their services, in list order; archived or deleted services drop out."""
    wanted = [e["id"] for e in entries]
    found = {
        s.id: s
        for s in db.session.scalars(
            select(Service)
            .where(Service.id.in_(wanted), Service.status == "published")
            .options(selectinload(Service.schedules), selectinload(Service.organisation))
        )
    }
    return [Entry(found[e["id"]], e.get("note", "")) for e in entries if e["id"] in found]


def share(entries: list[dict[str, Any]], now: datetime | None = None) -> SharedList:
    """Store a copy of the list behind a new token; old expired copies are removed on the way."""
    now = now or utcnow()
    db.session.execute(delete(SharedList).where(SharedList.expires_at < now))
    shared = SharedList(
        token=secrets.token_urlsafe(24),
        items=[{"id": int(e["id"]), "note": str(e.get("note", ""))[:MAX_NOTE]} for e in entries],
        created_at=now,
        expires_at=now + timedelta(days=SHARE_DAYS),
    )
    db.session.add(shared)
    db.session.commit()
    return shared


def find_shared(token: str) -> SharedList | None:
    return db.session.scalar(select(SharedList).where(SharedList.token == token[:64]))


def expired(shared: SharedList, now: datetime | None = None) -> bool:
    return shared.expires_at <= (now or utcnow())
