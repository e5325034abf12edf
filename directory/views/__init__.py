"""Blueprints: thin views that parse a form, call one function and render."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, current_app
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, UnicodeConverter

from directory import clock
from directory.extensions import db
from directory.fields import MAX_ROW_ID
from directory.listings.status import published
from directory.models import Service


class RowId(IntegerConverter):
    """<int:...> in our paths is a row id: one longer than an integer column holds is a 404, not an
    overflow in the database driver (SQLite stops at 2**63, PostgreSQL's integer at 2**31)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


class PathPart(UnicodeConverter):
    """A text part of our paths (a slug, a token, a code) never holds a control character: such a
    path is a 404 before any query (PostgreSQL cannot compare text with NUL at all)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (werkzeug's name)
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]", 1)


def local_now() -> datetime:
    """Now, in the site's time zone: what "next session" and "open now" are measured from."""
    return clock.now_in(current_app.config["DEFAULT_TIMEZONE"])


def local_today() -> date:
    """Today in the site's time zone: what "last checked" dates are written and compared in."""
    return clock.today_in(current_app.config["DEFAULT_TIMEZONE"])


def published_or_404(slug: str) -> Service:
    """A published service by its slug; drafts, pending and archived ones are not found."""
    return db.session.scalar(select(Service).where(Service.slug == slug, published())) or abort(404)
