"""What an import would do, worked out without writing anything: each row new, changed (which
fields) or unchanged, every problem at once, and the listings from the source no longer in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.imports import cells, layout
from directory.imports.reading import Table
from directory.listings import edits, schema
from directory.listings.status import ARCHIVED, PUBLISHED
from directory.models import Schedule, Service
from directory.places import lookup

EXTRA = ("organisation", "status", "sessions", "opening_hours", "attending", "online_url")
_ATTENDING = {t: t for t in ("in-person", "online", "hybrid", "phone")}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    error: bool = True

    @property
    def label(self) -> str:
        column = layout.BY_HEADER.get(self.column)
        known = schema.LABELS.get(column.field) if column is not None else None
        return known or self.column.replace("_", " ").capitalize()

    def __str__(self) -> str:
        where = f"Row {self.row}, {self.label}" if self.column else f"Row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class RowPlan:
    row: int
    source_id: str
    name: str
    action: str = "new"  # "new", "changed" or "unchanged"
    values: dict[str, Any] = field(default_factory=dict)  # what the row sets, as in `current` below
    changed: dict[str, Any] = field(default_factory=dict)  # written by the import
    held: dict[str, Any] = field(default_factory=dict)  # edited here since: to the moderation queue
    service: Service | None = None
    unplaced: bool = False


@dataclass
class Plan:
    source: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    missing: list[Service] = field(default_factory=list)
    placed: dict[str, bool] = field(default_factory=dict)  # place -> found, asked once a plan

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def problems_on(self, row: int) -> list[Problem]:
        return [p for p in self.problems if p.row == row]


def current(service: Service) -> dict[str, Any]:
    """A listing's values in the import's terms: the editor's fields, plus its organisation's
    name, status and times as the layout writes them."""
    values = edits.snapshot(service)
    values.pop("organisation_id")
    sessions = [s for s in service.schedules if s.kind == "session"]
    values |= {
        "organisation": service.organisation.name if service.organisation else "",
        "status": service.status,
        "sessions": "; ".join(slot_of(s).text() for s in sessions),
        "opening_hours": "; ".join(slot_of(s).text() for s in service.schedules if s.kind == "opening"),
        "attending": sessions[0].attending_type if sessions else "in-person",
        "online_url": sessions[0].online_url if sessions else "",
        "other_venues": "; ".join(_venue_text(v) for v in service.locations[1:]),
    }
    return values


def _venue_text(venue) -> str:
    """A venue beyond a listing's first, in words; a private one by its name and town only."""
    parts = (venue.name, venue.town, "private") if venue.confidential else (
        venue.name, venue.address, venue.town, venue.postcode)
    return ", ".join(p for p in parts if p)


def slot_of(s) -> cells.Slot:
    return cells.Slot(s.freq, s.interval, s.byday, s.bymonthday, s.opens_at, s.closes_at)


def make(table: Table, source: str) -> Plan:
    plan = Plan(source)
    known = {c.header for c in layout.COLUMNS}
    for header in table.headers:
        if header and header not in known:
            plan.problems.append(Problem(1, header, f"'{header}' is not a column we know. Rename it to one of the "
                                         "template's columns or delete it, so nothing in it is lost unnoticed."))
    for n, header in table.formulas:
        plan.problems.append(Problem(n, header, "this cell is a formula, and formulas are never run here. "
                                     "Type the value itself instead."))
    # Everything `current` reads, loaded a few queries for all listings rather than some for each.
    services = list(db.session.scalars(select(Service).options(
        selectinload(Service.organisation), selectinload(Service.schedules).selectinload(Schedule.exceptions))))
    ours = {s.source_id: s for s in services if s.source == source}
    # A spreadsheet exported here names a listing typed in here (or from a feed) by its uuid.
    existing = ({s.uuid: s for s in services} if source == layout.SPREADSHEET else {}) | ours
    plan.problems += [Problem(n, header, message, error=False) for n, header, message in table.notes]
    seen: dict[str, int] = {}
    for n, row in table.rows:
        source_id = cells.clean(row.get("source_id", ""))
        if not source_id:
            plan.problems.append(Problem(n, "source_id", "give this listing an id of your own (any text, unique in "
                                         "the file), so importing the file again updates it"))
        elif source_id in seen:
            plan.problems.append(Problem(n, "source_id", f"'{source_id}' is also on row {seen[source_id]}; each "
                                         "listing needs its own source id"))
            continue
        seen[source_id] = n
        plan.rows.append(_row(plan, n, source_id, row, existing.get(source_id)))
    plan.missing = sorted((s for sid, s in ours.items() if sid not in seen and s.status != ARCHIVED),
                          key=lambda s: s.name)
    return plan


def _row(plan: Plan, n: int, source_id: str, row: dict[str, str], service: Service | None) -> RowPlan:
    values: dict[str, Any] = {}
    for header, text in row.items():
        column = layout.BY_HEADER.get(header)
        if column is None or header in ("source_id", "other_venues"):
            continue
        try:
            values[header] = _value(column, cells.clean(text))  # a header is its editor field's name
        except cells.CellError as exc:
            plan.problems.append(Problem(n, header, str(exc)))
    if not values.get("name") and "name" not in {p.column for p in plan.problems_on(n)}:
        plan.problems.append(Problem(n, "name", "every listing needs a name"))
    if values.get("status") == "":
        del values["status"]  # blank: a listing already here keeps its status, a new one is published
    if service is None:
        values.setdefault("status", PUBLISHED)
    plan_row = RowPlan(n, source_id, values.get("name") or "", values=values, service=service)
    now = current(service) if service is not None else None
    if now is not None and _private(now):
        for key in ("address", "postcode"):
            if not values.get(key):
                values[key] = now[key]  # exports leave a private venue's street out: blank keeps it
    elif values.get("confidential") and not values.get("address"):
        plan.problems.append(Problem(n, "address", "this venue is private, and exports never carry its street "
                                     "address: re-enter it here so the venue can be placed (only its town is shown)",
                                     error=False))
    _check_place(plan, plan_row, now)
    _note_other_venues(plan, n, cells.clean(row.get("other_venues", "")), now)
    if service is None or now is None:
        plan_row.changed = dict(values)
        return plan_row
    last = service.imported_values or {}
    edited_here = {k for k in values if k in schema.BY_NAME and k in last and k in now and now[k] != last[k]}
    # A field edited here stands while the source still says what it said; a new value from the source waits for staff.
    changed = {k: v for k, v in values.items() if k in now and now[k] != v and not (k in edited_here and v == last[k])}
    plan_row.held = {k: v for k, v in changed.items() if k in edited_here}
    plan_row.changed = {k: v for k, v in changed.items() if k not in plan_row.held}
    plan_row.action = "changed" if changed else "unchanged"
    return plan_row


def _note_other_venues(plan: Plan, n: int, text: str, now: dict[str, Any] | None) -> None:
    """A row carries one venue; the others a listing has here are kept as they are. What the row
    says of other venues is never dropped unnoticed: staff are told to add or change them by hand."""
    if not text or (now is not None and text == now["other_venues"]):
        return
    plan.problems.append(Problem(n, "other_venues", f"a row imports one venue, so these are not imported: {text}. "
                                 "Add or change them on the listing's page after importing", error=False))


def _value(column: layout.Column, text: str) -> Any:
    if column.field in schema.BY_NAME and column.field != "organisation_id":
        return cells.field_value(schema.BY_NAME[column.field], text)
    if column.header in ("sessions", "opening_hours"):
        return "; ".join(s.text() for s in cells.slots(text))
    if column.header == "status":
        if text and text.lower() not in cells.STATUSES:
            raise cells.CellError(f"'{text}' should be one of {', '.join(cells.STATUSES)}")
        return text.lower()
    if column.header == "attending":
        return _ATTENDING[text.lower()] if text.lower() in _ATTENDING else _attending_error(text)
    return text


def _attending_error(text: str) -> str:
    if not text:
        return "in-person"
    raise cells.CellError(f"'{text}' should be in-person, online, hybrid or phone")


def _private(values: dict[str, Any]) -> bool:
    return bool(values.get("confidential"))


def _check_place(plan: Plan, row: RowPlan, now: dict[str, Any] | None) -> None:
    """An address our gazetteer (or the geocoder's remembered answers) cannot place is imported
    as pending, with a warning; never dropped."""
    postcode, town = row.values.get("postcode", ""), row.values.get("town", "")
    if not (postcode or town):
        return
    if now is not None and (now.get("postcode"), now.get("town")) == (postcode, town):
        return
    for text in (postcode, town):
        if text and text not in plan.placed:
            plan.placed[text] = isinstance(lookup.locate(text), lookup.Found)
        if text and plan.placed[text]:
            return
    column = "postcode" if postcode else "town"
    row.unplaced = True
    plan.problems.append(Problem(row.row, column, f"we couldn't find {postcode or town}. The listing is imported as "
                                 "pending, for you to check the address before it is published", error=False))
