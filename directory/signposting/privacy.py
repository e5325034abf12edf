"""Notes on a list go wherever the list is shared, so a note that looks like it holds a client's
email address, phone number or name (with a title, such as "Mrs Patel") is stopped before it is
saved. A worker's first name ("ask for Sam") is fine and is not matched. Pure: text in, a reason out."""

from __future__ import annotations

import re

WARNING = "Notes are shared with the list: don't include personal details"
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Seven or more digits, allowing spaces, dots, dashes and brackets between them, with or without +44.
_PHONE = re.compile(r"(?:\+?\d[\s().-]*){7,}")
_TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z'-]+")
_DATE_OF_BIRTH = re.compile(r"\b(?:dob|d\.o\.b|date of birth|born)\b", re.I)


def looks_personal(note: str) -> str | None:
    """What in the note looks like someone's personal details, or None."""
    if _EMAIL.search(note):
        return "an email address"
    if _PHONE.search(note):
        return "a phone number"
    if _TITLED_NAME.search(note):
        return "a name"
    if _DATE_OF_BIRTH.search(note):
        return "a date of birth"
    return None
