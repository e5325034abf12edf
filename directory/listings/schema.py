"""Every field of a listing the editor shows, what kind of value it holds, who may change it,
and how it reads to a person: the one list the editor, moderation, the diff and the log share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from directory import vocab


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # "text", "bool", "int", "choice" (one code of `terms`), "codes" (a ServiceTerm kind),
    # "list" (free words, e.g. languages), "organisation" (an organisation's id)
    kind: str = "text"
    terms: dict[str, vocab.Term] | None = None
    staff_only: bool = False
    tag: str = ""  # for "codes": the ServiceTerm kind


def _codes(kind: str, label: str) -> Field:
    tag = next(k for k in vocab.TAG_KINDS if k.code == kind)
    return Field(tag.field, label, "codes", tag.terms, tag=kind)


FIELDS: tuple[Field, ...] = (
    Field("organisation_id", "Organisation", "organisation", staff_only=True),
    Field("name", "Name"),
    Field("summary", "Summary"),
    Field("description", "Description"),
    _codes("category", "Types of support"),
    _codes("stage", "Stages it suits"),
    _codes("audience", "Who it is for"),
    _codes("mode", "How it is offered"),
    Field("group_type", "Type of group", "choice", vocab.GROUP_TYPE),
    _codes("meeting_type", "Meeting types"),
    Field("venue_name", "Venue name"),
    Field("address", "Address"),
    Field("town", "Town"),
    Field("postcode", "Postcode"),
    Field("confidential", "Keep the address private (show the town only)", "bool"),
    Field("phone", "Phone"),
    Field("email", "Email"),
    Field("website", "Website"),
    Field("free", "Free", "bool"),
    Field("cost", "Cost"),
    Field("co_occurring", "People with both mental health and substance use needs are welcome", "bool"),
    Field("abstinence_required", "Must have stopped using", "bool"),
    Field("families_welcome", "Families and carers welcome", "bool"),
    Field("min_age", "Youngest age", "int"),
    Field("max_age", "Oldest age", "int"),
    Field("wait", "Typical wait", "choice", vocab.WAIT_TIME),
    Field("eligibility", "Other eligibility"),
    _codes("referral", "Referral routes"),
    Field("referral", "How to get referred"),
    Field("professional_details", "Details for professionals", staff_only=True),
    Field("professional_only", "Details for professionals are for staff only", "bool", staff_only=True),
    Field("languages", "Languages", "list"),
    Field("accessibility", "Accessibility"),
    Field("national", "Available across the country", "bool", staff_only=True),
    Field("area_served", "Area served", staff_only=True),
)
BY_NAME = {f.name: f for f in FIELDS}
LABELS = {f.name: f.label for f in FIELDS}
CODE_KINDS = {f.name: f.tag for f in FIELDS if f.kind == "codes"}
VENUE_FIELDS = {"venue_name": "name", "address": "address", "town": "town", "postcode": "postcode",
                "confidential": "confidential"}
# Languages offered as checkboxes; any other can be typed in.
COMMON_LANGUAGES = ("English", "Welsh", "British Sign Language", "Polish", "Urdu", "Punjabi", "Bengali",
                    "Gujarati", "Arabic", "Romanian", "Portuguese", "Spanish")


def fields_for(is_staff: bool) -> tuple[str, ...]:
    """The names of the fields a person may change: staff all of them, facilitators all but the
    ones that decide who runs it, how far it reaches and what only professionals see."""
    return tuple(f.name for f in FIELDS if is_staff or not f.staff_only)


def words(field: str, value: Any, organisations: dict[int, str] | None = None) -> list[str]:
    """A value as the words a person reads, one item a list entry: labels, never codes."""
    spec = BY_NAME.get(field)
    if value in (None, "", []):
        return []
    if spec is None or spec.kind == "text":
        return [str(value)]
    if spec.kind == "bool":
        return ["Yes" if value else "No"]
    if spec.kind in ("choice", "codes"):
        terms = spec.terms or {}
        order = {code: n for n, code in enumerate(terms)}
        codes = sorted(value, key=lambda c: order.get(c, len(order))) if isinstance(value, list) else [value]
        return [vocab.label(terms, c) for c in codes]  # in the vocabulary's own order
    if spec.kind == "organisation":
        return [(organisations or {}).get(value, f"Organisation {value}")]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def as_text(field: str, value: Any, organisations: dict[int, str] | None = None) -> str:
    spec = BY_NAME.get(field)
    joiner = ", " if spec is not None and spec.kind in ("codes", "list") else ""
    return joiner.join(words(field, value, organisations)) if joiner else " ".join(words(field, value, organisations))
