"""Whether a service has spaces now. Said by staff or the facilitator, live at once (it changes
week to week), and shown with its date; after 30 days nobody knows, so it is shown as unknown,
never as a stale "yes"."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement

from directory import vocab
from directory.accounts import audit
from directory.extensions import db
from directory.models import Service, User

FRESH_FOR = timedelta(days=30)


class CapacityError(ValueError):
    """Not one of the answers; the message says what is."""


def spaces_now(service: Service, today: date) -> str | None:
    """The code last said, if it was said in the last 30 days; otherwise None (unknown)."""
    if service.spaces is None or service.spaces_said_on is None or service.spaces_said_on < today - FRESH_FOR:
        return None
    return service.spaces


def has_spaces(today: date) -> ColumnElement[bool]:
    """The WHERE clause for "has spaces": a "yes" said in the last 30 days."""
    return (Service.spaces == "yes") & (Service.spaces_said_on >= today - FRESH_FOR)


def set_spaces(user: User, service: Service, code: str, today: date) -> None:
    if code not in vocab.SPACE:
        raise CapacityError("Choose whether there are spaces, a waiting list, or it is full")
    before = {"spaces": service.spaces, "spaces_said_on": service.spaces_said_on}
    service.spaces, service.spaces_said_on = code, today
    audit.record(user, "spaces", service, before, {"spaces": code, "spaces_said_on": today})
    db.session.commit()
