"""What was searched, said back in words: the results heading ("12 services for housing near
Salford, within 10 miles, nearest first") and each active filter as a tag that removes it.
Shared by /search and /meetings, so both pages describe a search the same way."""

from __future__ import annotations

from dataclasses import dataclass

from wtforms import BooleanField, Form, RadioField, SelectField, SelectMultipleField

# Fields that shape the search without being a filter a person would remove.
NOT_TAGS = frozenset({"radius", "sort", "exact", "page"})


@dataclass(frozen=True)
class Tag:
    """One active filter: its text, and the query argument (and value) that removing it drops."""

    text: str
    name: str
    value: str | None = None  # one of several values; None drops the whole argument


def tags(form: Form, place_label: str = "") -> list[Tag]:
    """Every filter the form has in force, in the form's order; invalid input is not in force."""
    found: list[Tag] = []
    for field in form:
        if field.name in NOT_TAGS or field.errors or not field.data:
            continue
        if isinstance(field, SelectMultipleField):
            labels = dict(field.choices)
            found += [Tag(labels[code], field.name, code) for code in field.data if code in labels]
        elif isinstance(field, BooleanField):
            found.append(Tag(field.label.text, field.name))
        elif isinstance(field, RadioField | SelectField):
            label = dict(field.choices).get(field.data)
            if label:
                found.append(Tag(f"{field.label.text}: {label}", field.name))
        elif field.name == "near":
            found.append(Tag(f"Near {place_label or field.data}", field.name))
        elif field.name == "q":
            found.append(Tag(f"“{field.data}”", field.name))
    return found


def heading(count: int, noun: str, searched: str = "", place: str = "", miles: int | None = None, order: str = "") -> str:
    """"12 services for housing near Salford, within 10 miles, nearest first"."""
    parts = [f"{count} {noun if count == 1 else noun + 's'}"]
    if searched:
        parts.append(f"for {searched}")
    if place:
        parts.append(f"near {place}")
    text = " ".join(parts)
    extras = [f"within {miles} mile{'' if miles == 1 else 's'}" if place and miles else "", order]
    return ", ".join([text, *(e for e in extras if e)])


def title(searched: str, place: str, fallback: str) -> str:
    """The page title: the words and the place first, as a person would tell tabs apart."""
    said = " ".join(p for p in (searched, f"near {place}" if place else "") if p)
    return f"{said[:1].upper()}{said[1:]} – {fallback}" if said else fallback
