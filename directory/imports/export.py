"""Every listing as spreadsheet rows in the import's own layout, so export → edit → import works.
A private venue's street and postcode are never written; cells a spreadsheet would run are escaped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.imports import layout, plan
from directory.imports.layout import SPREADSHEET
from directory.listings import schema
from directory.models import Schedule, Service


def _text(header: str, value: Any) -> str:
    spec = schema.BY_NAME.get(header)
    if value is None:
        return ""
    if isinstance(value, bool) or (spec is not None and spec.kind == "bool"):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def rows() -> Iterator[dict[str, str]]:
    stmt = (select(Service).options(selectinload(Service.organisation),
                                    selectinload(Service.schedules).selectinload(Schedule.exceptions))
            .order_by(Service.id))
    for service in db.session.scalars(stmt):
        values = plan.current(service)
        if values.get("confidential"):
            values["address"] = values["postcode"] = ""
        cells = {h: _text(h, values.get(h)) for h in layout.HEADERS if h != "source_id"}
        cells["source_id"] = service.source_id if service.source == SPREADSHEET and service.source_id else service.uuid
        yield cells


def csv_text() -> str:
    return layout.write_csv(list(rows()))
