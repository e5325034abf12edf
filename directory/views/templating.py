"""Template globals and filters: vocab labels, crisis contacts, glossary links, dates."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app, request, session, url_for
from markupsafe import Markup

from directory import vocab, words
from directory.content import guide
from directory.listings import capacity, moderation, schema
from directory.schedules import status, wording
from directory.signposting import lists
from directory.views import fragments, local_now, local_today


def label_of(kind: str, code: str | None) -> str:
    return vocab.label(getattr(vocab, kind), code)


def current_args(**changes: Any) -> dict[str, list[str]]:
    """The query arguments of this request, some replaced (None removes one). Names that
    url_for keeps for itself (endpoint, _external...) or that the route fills are dropped."""
    taken = set(request.view_args or {})
    args = {
        k: v for k, v in request.args.to_dict(flat=False).items()
        if k != "endpoint" and not k.startswith("_") and k not in taken
    }
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    return args


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments replaced (None removes one)."""
    values: dict[str, Any] = {**(request.view_args or {}), **current_args(**changes)}
    return url_for(request.endpoint or "public.home", **values)


def url_without(name: str, value: str | None = None) -> str:
    """The current URL without one filter (one value of it, or all of it), back on page 1."""
    args = current_args(page=None)
    kept = [v for v in args.pop(name, []) if value is not None and v != value]
    if kept:
        args[name] = kept
    return url_for(request.endpoint or "public.home", **{**(request.view_args or {}), **args})


def pagination_items(results: Any, spread: int = 2) -> list[dict[str, Any]]:
    """GOV.UK pagination items: first, last, and the pages near the current one."""
    items: list[dict[str, Any]] = []
    for n in range(1, results.pages + 1):
        if n in (1, results.pages) or abs(n - results.page) <= spread:
            items.append({"number": n, "href": url_with(page=n), "current": n == results.page})
        elif abs(n - results.page) == spread + 1:
            items.append({"ellipsis": True})
    return items


def tel_href(number: str) -> str:
    """A phone number as a tel: link wants it: digits, with a leading + kept."""
    digits = re.sub(r"[^\d]", "", number or "")
    return f"+{digits}" if (number or "").strip().startswith("+") else digits


def glossary_links(text: str) -> Markup:
    return guide.link_terms(text, url_for("public.glossary"))


def term_label(code: str, vocab_name: str) -> str:
    return label_of(vocab_name, code)


def stage_link(code: str) -> Markup:
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(
        url_for("public.stage", code=code), label_of("STAGE_WITH_PLAIN", code)
    )


def age_range(service: Any) -> str:
    low, high = service.min_age, service.max_age
    if low and high:
        return f"{low} to {high}"
    if low:
        return f"{low} and over"
    if high:
        return f"Up to {high}"
    return "Any age"


def long_date(d: date | None) -> str:
    return f"{d.day} {d.strftime('%B %Y')}" if d else ""


def london_time(utc: datetime | None) -> str:
    """A stored moment in the site's time zone, with the zone, so nobody has to guess GMT or BST."""
    return words.format_instant(utc, current_app.config["DEFAULT_TIMEZONE"]) if utc else ""


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        vocab=vocab,
        field_html=fragments.field_html,
        label_of=label_of,
        url_with=url_with,
        url_without=url_without,
        current_args=current_args,
        shortlist_count=lambda: len(lists.items(session)),
        shortlist_ids=lambda: set(lists.ids(session)),
        age_range=age_range,
        pagination_items=pagination_items,
        crisis_contacts=guide.crisis_contacts,
        describe_schedule=wording.describe,
        format_time=words.format_time,
        format_date=words.format_date,
        opening_status=lambda service: status.opening(service.schedules, local_now()),
        next_session=lambda service: status.next_session(service.schedules, local_now()),
        spaces_now=lambda service: capacity.spaces_now(service, local_today()),
        next_check_due=moderation.next_check_due,
        change_summary=moderation.what,
    )
    app.jinja_env.filters.update(
        glossary_links=glossary_links,
        tel_href=tel_href,
        long_date=long_date,
        london_time=london_time,
        label_for_field=lambda name: schema.LABELS.get(name, name),
        term_label=term_label,
        stage_link=stage_link,
        paragraphs=guide.paragraphs,
    )

    @app.context_processor
    def site() -> dict[str, Any]:
        return {"site_name": app.config["SITE_NAME"]}
