"""What is worked out once and kept until the listings change: the change counter (migration
0006), moved by triggers on every write to services, their terms, places and schedules, says when.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

from directory.extensions import db
from directory.models import ChangeCounter

T = TypeVar("T")
# Answers kept per app; past this many (queries times change counts) they start again.
KEPT = 2_000


def change_count() -> int | None:
    """How many writes there have been to the tables listings are read from (a trigger counts
    them): while it stays the same, so does every answer worked out from them."""
    return db.session.scalar(select(ChangeCounter.count).where(ChangeCounter.id == 1))


def answers() -> dict:
    """This app's kept answers by change count and key (each app has its own)."""
    return current_app.extensions.setdefault("kept_until_listings_change", {})


def until_listings_change(key: Hashable, work_out: Callable[[], T]) -> T:
    """work_out()'s answer, kept by this app until the change counter moves. Keep plain values
    (ids, numbers), never rows: rows belong to the session of the request that loaded them."""
    # Read first: a write committed after this read can only make the answer worked out below newer.
    changes = change_count()
    if changes is None:  # a database not made by the migrations has no counter: work it out every time
        return work_out()
    kept = answers()
    found = kept.get((changes, key))
    if found is None:
        if len(kept) >= KEPT:
            kept.clear()
        found = kept[changes, key] = work_out()
    return found
