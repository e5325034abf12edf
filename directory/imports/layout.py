"""The spreadsheet layout: one row a listing, its venue and its weekly or monthly times.
Its columns are the listing editor's fields (listings/schema.py), so import, export and the
editor mean the same thing by every one of them."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from directory.listings import schema

SPREADSHEET = "spreadsheet"  # the source every uploaded file imports from


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the listing editor's field name, or one of the import's own below
    help: str
    example: str
    required: bool = False


_KIND_HELP = {
    "bool": "yes or no",
    "int": "a whole number",
    "choice": "one of the codes below",
    "codes": "codes separated by commas, from the list below",
    "list": "separated by commas",
    "text": "",
}
_EXAMPLES = {
    "name": "Bury Dual Recovery Group", "summary": "A weekly peer group for people with mental health and substance use needs",
    "categories": "peer-support", "stages": "engagement, relapse-prevention", "audiences": "dual-diagnosis",
    "delivery_modes": "in-person", "group_type": "dra", "meeting_types": "O, DD", "venue_name": "The Millgate Centre",
    "address": "12 Market Street", "town": "Bury", "postcode": "BL9 0AA", "confidential": "no", "free": "yes",
    "co_occurring": "yes", "abstinence_required": "no", "families_welcome": "no", "referral_routes": "self",
    "languages": "English", "email": "group@example.org", "website": "https://example.org/",
}
SCHEDULE_HELP = ("Weekly times as DAYS HH:MM-HH:MM, e.g. 'MO,TH 19:00-20:30'; a number before the day makes "
                 "it monthly ('2TU 19:00-21:00' is the second Tuesday). Separate several with ';'.")


def _field_column(f: schema.Field) -> Column:
    header = "organisation" if f.kind == "organisation" else f.name
    helptext = "The organisation's name (added if new)" if f.kind == "organisation" else (
        f"{f.label}" + (f" ({_KIND_HELP[f.kind]})" if _KIND_HELP.get(f.kind) else ""))
    return Column(header, f.name, helptext, _EXAMPLES.get(f.name, ""), required=f.name == "name")


COLUMNS: tuple[Column, ...] = (
    Column("source_id", "source_id", "Your own id for this listing, unique in the file: importing it again "
           "updates the listing instead of adding another", "bury-dra-1", required=True),
    *(_field_column(f) for f in schema.FIELDS),
    Column("status", "status", "published, pending or draft; blank for published (or unchanged)", ""),
    Column("sessions", "sessions", "Meeting or session times. " + SCHEDULE_HELP, "TH 19:00-20:30"),
    Column("opening_hours", "opening_hours", "Opening hours, written the same way", ""),
    Column("attending", "attending", "How sessions are attended: in-person, online, hybrid or phone "
           "(blank for in-person)", "in-person"),
    Column("online_url", "online_url", "The link to join online sessions", ""),
    Column("other_venues", "other_venues", "A listing's venues after the first, as exports write them "
           "('Name, street, town, postcode', separated by ';'). For your information: a row imports one venue, "
           "and the preview lists any others here for you to add on the listing's page", ""),
)
HEADERS = tuple(c.header for c in COLUMNS)
BY_HEADER = {c.header: c for c in COLUMNS}
# Codes the columns accept, for the page that documents the layout.
VOCABULARIES = tuple((f.name, f.label, f.terms) for f in schema.FIELDS if f.terms)
# A cell a spreadsheet would run as a formula: exports write it with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def unescape(value: str) -> str:
    """An exported cell read back: the apostrophe that kept a spreadsheet from running it goes."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def write_csv(rows: list[dict[str, str]], headers: tuple[str, ...] = HEADERS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: escape(str(v)) for k, v in row.items()})
    return out.getvalue()


def template_csv() -> str:
    """The blank template: the header row and one example row."""
    return write_csv([{c.header: c.example for c in COLUMNS}])
