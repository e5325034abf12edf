"""Notes on a list go wherever the list is shared, so a note that looks like it holds a client's
email address, phone number or name (with a title, such as "Mrs Patel") is warned about as it is
typed (in the browser) and stopped before it is saved (here). A worker's first name ("ask for Sam") is fine and is not matched. Pure: text in, a reason out."""

from __future__ import annotations

import re

WARNING = "Notes are shared with the list: don't include personal details"
# (what it is, the pattern, whether case matters): written in the part of regular-expression
# syntax Python and JavaScript share, so static/js/note-warning.mjs warns with the same
# patterns as the person types, before the server's check stops the note on saving.
_FOUND = (
    ("an email address", r"[^\s@]+@[^\s@]+\.[^\s@]+", True),
    # Seven or more digits, allowing spaces, dots, dashes and brackets between them, with or without +44.
    ("a phone number", r"(?:\+?\d[\s().-]*){7,}", True),
    ("a name", r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z'-]+", True),
    ("a date of birth", r"\b(?:dob|d\.o\.b|date of birth|born)\b", False),
)
_COMPILED = tuple((what, re.compile(pattern, 0 if case else re.I)) for what, pattern, case in _FOUND)


def looks_personal(note: str) -> str | None:
    """What in the note looks like someone's personal details, or None."""
    return next((what for what, pattern in _COMPILED if pattern.search(note)), None)


def patterns_for_browser() -> list[dict[str, str]]:
    """The same patterns for the browser's warning: what each finds, its source and JS flags."""
    return [{"what": what, "pattern": pattern, "flags": "" if case else "i"} for what, pattern, case in _FOUND]
