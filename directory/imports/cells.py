"""One spreadsheet row read into a listing's values, in the listing editor's own form
(edits.snapshot), with a message a person can act on for every cell that cannot be read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import String

from directory import vocab
from directory.fields import printable
from directory.listings import schema
from directory.listings.status import DRAFT, PENDING, PUBLISHED
from directory.models import Location, Service
from directory.schedules import rules

_TRUE, _FALSE = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
_SLOT = re.compile(r"^(?:every\s+(\d+)\s+(weeks?|months?)\s+)?(day\s+\d{1,2}|[0-9A-Z,+-]+)\s+"
                   r"(\d{1,2}:\d{2})(?:\s*-\s*(\d{1,2}:\d{2}))?$", re.I)
STATUSES = (PUBLISHED, PENDING, DRAFT)
_LENGTHS: dict[str, int] = {c.name: c.type.length for t in (Service.__table__, Location.__table__) for c in t.columns
                            if isinstance(c.type, String) and c.type.length}
_LENGTHS |= {"venue_name": 200, "organisation": 200}


@dataclass(frozen=True)
class Slot:
    """One schedule as a row writes it."""

    freq: str
    interval: int
    byday: str
    bymonthday: int | None
    opens_at: time
    closes_at: time | None

    def text(self) -> str:
        every = f"every {self.interval} {'weeks' if self.freq == 'WEEKLY' else 'months'} " if self.interval > 1 else ""
        days = f"day {self.bymonthday}" if self.bymonthday else self.byday
        closes = f"-{self.closes_at:%H:%M}" if self.closes_at else ""
        return f"{every}{days} {self.opens_at:%H:%M}{closes}"


class CellError(ValueError):
    pass


def _suggest(text: str, terms: dict[str, vocab.Term]) -> str:
    choices = {**{c: c for c in terms}, **{t.label.lower(): c for c, t in terms.items()}}
    best = process.extractOne(text.lower(), list(choices), scorer=fuzz.WRatio, score_cutoff=70)
    return f" — did you mean {choices[best[0]]}?" if best else f" (use one of: {', '.join(terms)})"


def _code(text: str, terms: dict[str, vocab.Term], what: str) -> str:
    for code, term in terms.items():
        if text.lower() in (code.lower(), term.label.lower()):
            return code
    raise CellError(f"'{text}' is not {what}{_suggest(text, terms)}")


def _split(text: str, sep: str = ",") -> list[str]:
    return [p.strip() for p in text.split(sep) if p.strip()]


def _bool(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise CellError(f"'{text}' should be yes or no")


def field_value(spec: schema.Field, text: str) -> Any:
    """A cell as the value the editor's field holds; CellError says why it cannot be."""
    what = f"a {spec.label.lower()} code"
    if spec.kind == "bool":
        return _bool(text) if text else _default_bool(spec.name)
    if spec.kind == "int":
        if not text:
            return None
        if not text.isdigit() or int(text) > 150:
            raise CellError(f"'{text}' should be a whole number such as 18")
        return int(text)
    if spec.kind == "choice":
        return _code(text, spec.terms or {}, what) if text else ""
    if spec.kind == "codes":
        return sorted({_code(p, spec.terms or {}, what) for p in _split(text)})  # as Service.codes gives them
    if spec.kind == "list":
        return _split(text)
    limit = _LENGTHS.get(spec.name)
    if limit and len(text) > limit:
        raise CellError(f"this is {len(text)} characters; the most it can hold is {limit}")
    return text


def _default_bool(name: str) -> bool:
    column = Service.__table__.c.get(name)
    default = column.default.arg if column is not None and column.default is not None else False
    return bool(default)


def slots(text: str) -> list[Slot]:
    """'MO,TH 19:00-20:30; 2TU 19:00' -> its schedules; CellError naming the part it cannot read."""
    found = []
    for part in _split(text, ";"):
        match = _SLOT.match(part)
        if not match:
            raise CellError(f"'{part}' should be days and times such as 'MO,TH 19:00-20:30' or '2TU 19:00'")
        interval = int(match[1] or 1)
        day_text = match[3].upper()
        bymonthday = int(day_text.split()[1]) if day_text.startswith("DAY") else None
        byday = "" if bymonthday else day_text
        try:
            days = rules.parse_byday(byday)
            opens = _time(match[4])
            closes = _time(match[5]) if match[5] else None
        except rules.ScheduleError as exc:
            raise CellError(f"'{part}': {exc}") from exc
        monthly = bool(bymonthday) or (match[2] or "").lower().startswith("month") or any(n for n, _ in days)
        if bymonthday is not None and not 1 <= bymonthday <= 31:
            raise CellError(f"'{part}': a day of the month is between 1 and 31")
        found.append(Slot("MONTHLY" if monthly else "WEEKLY", interval, byday, bymonthday, opens, closes))
    return found


def _time(text: str) -> time:
    hour, minute = (int(p) for p in text.split(":"))
    if hour > 23 or minute > 59:
        raise rules.ScheduleError(f"{text} is not a time of day (use 24-hour times such as 19:30)")
    return time(hour, minute)


def clean(text: str) -> str:
    return printable(text) or ""
