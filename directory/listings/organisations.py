"""Organisations: who runs services. Staff add and change them; each has a public page listing
its published services. Each function that changes something is one unit of work and commits it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from directory.accounts import audit
from directory.extensions import db
from directory.listings import edits
from directory.listings.status import published
from directory.models import Organisation, Service, User

FIELDS = ("name", "description", "website", "email", "phone")


def all_organisations() -> Select:
    return select(Organisation).order_by(Organisation.name)


def choices() -> list[tuple[str, str]]:
    """(id, name) pairs for a select box."""
    return [(str(o.id), o.name) for o in db.session.scalars(all_organisations())]


def names() -> dict[int, str]:
    return {o.id: o.name for o in db.session.scalars(all_organisations())}


def values_of(org: Organisation) -> dict[str, Any]:
    return {f: getattr(org, f) for f in FIELDS}


def save(user: User, org: Organisation | None, values: dict[str, Any]) -> Organisation:
    """Add an organisation (org None) or change one; its slug stays the same once made, so links last."""
    if org is None:
        taken = lambda s: db.session.scalar(select(Organisation.id).where(Organisation.slug == s))  # noqa: E731
        org = Organisation(slug=edits.slug_for(values["name"], taken), name=values["name"])
        db.session.add(org)
        before: dict[str, Any] | None = None
    else:
        before = values_of(org)
    for field in FIELDS:
        setattr(org, field, values.get(field) or "")
    changed_before, changed_after = audit.changed(before or {}, values_of(org))
    audit.record(user, "edit" if before is not None else "added", org, changed_before if before else None, changed_after)
    db.session.commit()
    return org


def published_services(org: Organisation) -> list[Service]:
    stmt = select(Service).where(Service.organisation_id == org.id, published()).order_by(Service.name)
    return list(db.session.scalars(stmt))
