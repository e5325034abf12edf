"""Form fields rendered once and kept by what they show.

The search filters are GOV.UK checkbox groups whose HTML depends only on the field,
its choices (fixed vocabularies), what is ticked and any error; rendering them through
the component macros took two thirds of a search page's time. Kept per process,
bounded, and shared by every request.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

KEPT = 4_096
_kept: dict[tuple[Any, ...], Markup] = {}


def field_html(field: Any, params: dict[str, Any]) -> Markup:
    """`field(params=params)`, from what is kept when the same field showed the same values before."""
    key = (field.name, field.label.text, repr(field.data), tuple(field.errors or ()), repr(params),
           repr(getattr(field, "choices", None)))
    html = _kept.get(key)
    if html is None:
        if len(_kept) >= KEPT:
            _kept.clear()
        html = _kept[key] = Markup(field(params=params))
    return html
