"""Hostile and ordinary values for form fields, query strings and path parts, as Hypothesis strategies.

A form is sent as the page filled it in, or with its empty fields filled in plausibly (so a
submission gets past the first check and reaches the code behind it), with one or two fields
then changed to something hostile; sometimes every field is wild, some are missing, or
there are fields the form never had.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import strategies as st
from werkzeug.routing import BaseConverter, IntegerConverter

from tests.fuzz.htmlforms import Field, Form

# Control characters, PostgreSQL's NUL above all (it cannot store or even compare text holding one):
# a branch of their own, so they turn up often in every part of a request.
CONTROL: tuple[str, ...] = ("\x00", "a\x00b", "\x00" * 3, "é\x00🧠", "x\x1fy", "\x01\x02\x03", "\x1b[2J", "\x7f",
                            "\r\n", "\t", "line\rbreak")
NASTY: tuple[str, ...] = (
    # empty, blank, odd line and word breaks
    "", " ", "\x85", "\u2028", "\ufeff", "\u200b",
    # emoji, right-to-left and other scripts, combining marks, digits that are not 0-9
    "🧠💊", "👩‍👩‍👧‍👦", "🏳️‍🌈", "مرحبا بالعالم", "\u202eevil\u202c", "שלום", "e\u0301", "Ⅻ", "１２", "٣", "²",
    # markup, templates, SQL, format strings, paths
    "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "{{7*7}}", "{% raw %}", "'; DROP TABLE service; --",
    "%s%n%x", "%00", "../../etc/passwd", "\\",
    # addresses: other sites, other schemes, broken ones
    "//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "https://", "http://exa mple.org",
    "a@b.c", "@", "a@", "x@y",
    # numbers: negative, huge, not decimal, not integers
    "0", "-1", "1", "+5", " 7 ", "1_000", "1e309", "NaN", "inf", "-0", "0x1F", "1.5",
    "99999999999999999999", "-99999999999999999999", "2147483648", "9223372036854775808",
    # times that cannot be, and ones that can
    "25:61", "24:00", "23:60", "12:00am", "0pm", "13pm", "7.30pm", "7:5", "noon", "-1:00", "99:99", "19:30", "7pm",
    # time zones and vocabulary codes we do not have
    "Mars/Olympus", "Europe/Londn", "UTC", "Etc/GMT+14", "not-a-code", "WEEKLY", "weekly", "YEARLY", "MO", "XX",
    "8TU", "-9FR", "TU,WE",
)
# One box of a day/month/year date: years 1 and 9999, two-digit years, months and days out of range.
DATE_PARTS: tuple[str, ...] = ("1", "0", "31", "32", "29", "30", "2", "12", "13", "-1", "9999", "10000", "26", "99",
                               "00", "0001", "1900", "1989", "2100", "2999", "99999999999999999999")
LONG_SIZES = (101, 121, 141, 201, 255, 301, 501, 1001, 2001, 5001, 20_001)
RAW_QUERIES = ("%ff%fe=%00", "a=%zz&&=&==", "q=%C0%AF", "page=%F0%9F%A7%A0&page", "&" * 50, "x=" + "%41" * 500)
# What a person would type into a field, by a fragment of its name (like a browser's autofill).
PLAUSIBLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("someone@example.org",)),
    ("website", ("https://example.org/group",)),
    ("url", ("https://example.org/join",)),
    ("opens_at", ("7pm", "10:30am", "19:00")),
    ("closes_at", ("9pm", "8:30pm", "21:00")),
    ("interval", ("1", "2")),
    ("bymonthday", ("15",)),
)
ANYTHING_PLAUSIBLE = ("Tuesday evening group", "The phone number has changed", "Kim", "Meets upstairs")
MODES = ("as-filled", "filled", "filled", "few", "wild")
FIELD_MOVES = ("other", "other", "drop", "boxes")


@dataclass(frozen=True)
class Known:
    """What the fuzzer has learnt or been told: the site's own values and field names, plausible
    values by field-name fragment (its accounts' emails and password among them), and dates
    (day, month, year) the site shows."""

    dictionary: tuple[str, ...]
    names: tuple[str, ...]
    hints: tuple[tuple[str, tuple[str, ...]], ...]
    dates: tuple[tuple[str, str, str], ...]


def long_text() -> st.SearchStrategy[str]:
    return st.builds(lambda piece, n: (piece * n)[:n], st.sampled_from(["x", "é", "🧠", "\x00", "ab ", "مر"]),
                     st.sampled_from(LONG_SIZES))


def text_values(dictionary: Sequence[str] = ()) -> st.SearchStrategy[str]:
    """Anything a person or a bot might type: hostile constants, the site's own values, random text."""
    parts = [st.sampled_from(NASTY), st.sampled_from(CONTROL), st.text(max_size=40), long_text(),
             st.integers(-(10**20), 10**20).map(str)]
    if dictionary:
        parts.insert(1, st.sampled_from(dictionary))
    return st.one_of(parts)


def _plausible(draw, f: Field, known: Known) -> list[str]:
    """Values a person would fill an empty field with."""
    if f.kind == "choice":
        return [draw(st.sampled_from(f.options))] if f.options else []
    if len(f.defaults) == 3 and known.dates:  # day, month and year boxes
        return list(draw(st.sampled_from(known.dates)))
    choices = next((values for fragment, values in known.hints if fragment in f.name), ANYTHING_PLAUSIBLE)
    return [draw(st.sampled_from(choices)) for _ in f.defaults or [""]]


def _changed(draw, f: Field, known: Known) -> list[str]:
    """Other values for one field: another option, an unknown code, or typed text."""
    anything = text_values(known.dictionary)
    if f.kind == "choice":
        return [draw(st.one_of(st.sampled_from(f.options), anything) if f.options else anything)]
    if f.kind == "multi":
        chosen = draw(st.lists(st.sampled_from(f.options), unique=True, max_size=len(f.options))) if f.options else []
        return chosen + draw(st.lists(anything, max_size=2))
    if f.kind == "button":
        return [draw(st.sampled_from(f.options))] if f.options else []
    box = st.one_of(st.sampled_from(DATE_PARTS), anything) if len(f.defaults) > 1 else anything
    return draw(st.lists(box, min_size=len(f.defaults) or 1, max_size=len(f.defaults) or 1))


# In a drawn submission: "whatever the page has in this field when it is sent" (see as_sent).
class _AsShown:
    def __repr__(self) -> str:
        return "AS_SHOWN"


AS_SHOWN = _AsShown()


def _field(draw, f: Field, move: str, known: Known) -> list:
    if f.name == "csrf_token" or move == "keep":
        return [] if f.kind == "button" else [AS_SHOWN]
    if move == "fill":
        empty = not any(f.defaults) and f.kind in ("text", "choice") and not f.hidden
        return _plausible(draw, f, known) if empty else [AS_SHOWN]
    if move == "drop":
        return []
    if move == "boxes":  # one box too few or too many: a date sent by a script, not the page
        return draw(st.lists(text_values(known.dictionary), max_size=len(f.defaults) + 2))
    return _changed(draw, f, known)


@st.composite
def form_data(draw, form: Form, known: Known) -> list[tuple[str, object]]:
    """(name, value) pairs for one submission of `form`, drawn from its fields as first read, so the
    draws do not depend on what the page holds by the time it is sent; AS_SHOWN marks what is left as it is."""
    mode = draw(st.sampled_from(MODES), label="mode")
    fields = form.fields
    base = "fill" if mode == "filled" else "keep"
    hostile = mode == "few" or (mode == "filled" and draw(st.booleans()))
    chosen = set(draw(st.lists(st.integers(0, len(fields) - 1), min_size=1, max_size=2))) if hostile and fields else set()
    moves = ["other" if mode == "wild" else draw(st.sampled_from(FIELD_MOVES)) if i in chosen else base
             for i in range(len(fields))]
    pairs = [(f.name, value) for f, move in zip(fields, moves, strict=True) for value in _field(draw, f, move, known)]
    if mode != "as-filled" and draw(st.integers(0, 4)) == 0:
        extra_name = st.one_of(st.sampled_from(known.names or ("x",)), st.text(max_size=20))
        pairs += draw(st.lists(st.tuples(extra_name, text_values(known.dictionary)), min_size=1, max_size=3))
    return pairs


def as_sent(pairs: list[tuple[str, object]], shown: Form) -> list[tuple[str, str]]:
    """The drawn pairs with AS_SHOWN replaced by what the page shows now (every box of a field, once)."""
    now = {f.name: f for f in shown.fields}
    out: list[tuple[str, str]] = []
    done: set[str] = set()
    for name, value in pairs:
        if value is not AS_SHOWN:
            out.append((name, value))
        elif name not in done and name in now:
            done.add(name)
            out.extend((name, v) for v in now[name].defaults)
    return out


@st.composite
def query(draw, fields: Sequence[Field], known: Known) -> list[tuple[str, str]] | str:
    """A query string: the page's own GET-form fields and other names, with their options or anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(RAW_QUERIES))
    by_name = {f.name: f for f in fields}
    names = st.sampled_from(known.names or ("q",))
    key = st.one_of(st.sampled_from(sorted(by_name)), names) if by_name else names
    pairs = []
    for name in draw(st.lists(st.one_of(key, st.text(max_size=12)), max_size=6)):
        f = by_name.get(name)
        options = st.sampled_from(f.options) if f is not None and f.options else text_values(known.dictionary)
        pairs.append((name, draw(st.one_of(options, text_values(known.dictionary)))))
    return pairs


def path_value(converter: BaseConverter, real: Sequence[object]) -> st.SearchStrategy[object]:
    """A value for one part of a path: one the site uses, or one it never made."""
    known = [st.sampled_from(list(real))] if real else []
    if isinstance(converter, IntegerConverter):
        return st.one_of(*known, st.integers(0, 2**31 - 1), st.integers(2**31, 2**80), st.just(0))
    return st.one_of(*known, text_values(), st.text(min_size=1, max_size=30))
