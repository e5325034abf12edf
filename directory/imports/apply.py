"""Carry out a plan with no errors, all of it in one transaction: listings added and changed,
fields edited here since the last import sent to staff as change requests instead."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from directory import clock
from directory.accounts import audit
from directory.extensions import db
from directory.imports import cells
from directory.imports.plan import EXTRA, Plan, RowPlan, slot_of
from directory.listings import edits, schema
from directory.listings.status import PENDING, PUBLISHED
from directory.models import ChangeRequest, Organisation, Schedule, Service, User
from directory.orm import touch


class ImportRefused(ValueError):
    """The plan has errors, so nothing is written."""


def run(plan: Plan, user: User | None) -> dict[str, int]:
    """Write the plan, committing once; any failure rolls all of it back."""
    if plan.errors:
        raise ImportRefused(f"{len(plan.errors)} problems must be put right first; nothing was imported")
    orgs = {o.name.lower(): o for o in db.session.scalars(select(Organisation))}
    slugs = set(db.session.scalars(select(Service.slug)))
    org_slugs = {o.slug for o in orgs.values()}
    today = clock.today_in(current_app.config["DEFAULT_TIMEZONE"])
    now = clock.utcnow()
    touched: list[tuple[RowPlan, Service]] = []
    try:
        with db.session.no_autoflush:
            for row in plan.rows:
                if row.action == "unchanged":
                    continue
                service = row.service or _new(row, plan.source, slugs)
                if not service.source:  # typed in here, exported and imported back: from now on, from this source
                    service.source, service.source_id = plan.source, row.source_id
                _write(service, row, orgs, org_slugs, today)
                service.imported_at = now
                service.imported_values = _plain(row.values)
                touched.append((row, service))
        db.session.flush()
        for row, service in touched:
            _hold(user, row, service)
            audit.record(user, "imported", service, None, {"source": plan.source, **_plain(row.changed)})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return {"new": plan.count("new"), "changed": plan.count("changed"), "unchanged": plan.count("unchanged")}


def _new(row: RowPlan, source: str, slugs: set[str]) -> Service:
    slug = edits.slug_for(row.name, slugs.__contains__)
    slugs.add(slug)
    service = Service(slug=slug, name=row.name, source=source, source_id=row.source_id, status=PUBLISHED,
                      locations=[], schedules=[], terms=[])
    db.session.add(service)
    return service


def _write(service: Service, row: RowPlan, orgs: dict[str, Organisation], org_slugs: set[str], today) -> None:
    fields = {k: v for k, v in row.changed.items() if k in schema.BY_NAME}
    edits.apply(service, fields)
    if "organisation" in row.changed:
        service.organisation = _organisation(row.changed["organisation"], orgs, org_slugs)
    if "status" in row.changed:
        service.status = row.changed["status"]
    for kind, column in (("session", "sessions"), ("opening", "opening_hours")):
        if {column, "attending", "online_url"} & set(row.changed):
            _schedules(service, kind, row.values, today)
    venue = service.locations[0] if service.locations else None
    if venue is not None and venue.geocode_status in ("not-found", "pending") and service.status == PUBLISHED:
        service.status = PENDING  # staff check the address before the public sees it
    touch(service)


def _organisation(name: str, orgs: dict[str, Organisation], org_slugs: set[str]) -> Organisation | None:
    if not name:
        return None
    if name.lower() not in orgs:
        slug = edits.slug_for(name, org_slugs.__contains__)
        org_slugs.add(slug)
        orgs[name.lower()] = Organisation(slug=slug, name=name)
        db.session.add(orgs[name.lower()])
    return orgs[name.lower()]


def _schedules(service: Service, kind: str, values: dict[str, Any], today) -> None:
    """The listing's schedules of this kind, made again from the row's times. A time the listing
    already has keeps its schedule, so its cancelled and moved sessions, and the series calendars
    subscribe to, survive an import that adds or drops another time."""
    column = "sessions" if kind == "session" else "opening_hours"
    if column not in values:
        return
    venue = service.locations[0] if service.locations else None
    attending = values.get("attending", "in-person") if kind == "session" else "in-person"
    online_url = values.get("online_url", "") if kind == "session" else ""
    had = {slot_of(s): s for s in service.schedules if s.kind == kind}
    wanted = []
    for slot in cells.slots(values[column]):
        schedule = had.pop(slot, None) or Schedule(
            kind=kind, freq=slot.freq, interval=slot.interval, byday=slot.byday, bymonthday=slot.bymonthday,
            dtstart=today, opens_at=slot.opens_at, closes_at=slot.closes_at,
            timezone=current_app.config["DEFAULT_TIMEZONE"])
        schedule.attending_type, schedule.online_url = attending, online_url
        schedule.location = venue if attending != "online" else None
        wanted.append(schedule)
    service.schedules = [s for s in service.schedules if s.kind != kind] + wanted


def _hold(user: User | None, row: RowPlan, service: Service) -> None:
    """Fields changed here since the last import wait for staff, beside what the source now says."""
    if not row.held or row.service is None:
        return
    now = edits.snapshot(service)
    db.session.add(ChangeRequest(service=service, kind="change", before={k: now[k] for k in row.held},
                                 changes=row.held, base_version=service.version,
                                 created_by_id=getattr(user, "id", None)))


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in schema.BY_NAME or k in EXTRA}
