"""Blueprints: thin views that parse a form, call one function and render."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, current_app
from sqlalchemy import select

from directory import clock
from directory.extensions import db
from directory.models import Service


def local_now() -> datetime:
    """Now, in the site's time zone: what "next session" and "open now" are measured from."""
    return clock.now_in(current_app.config["DEFAULT_TIMEZONE"])


def local_today() -> date:
    """Today in the site's time zone: what "last checked" dates are written and compared in."""
    return clock.today_in(current_app.config["DEFAULT_TIMEZONE"])


def published_or_404(slug: str) -> Service:
    """A published service by its slug; drafts, pending and archived ones are not found."""
    return db.session.scalar(select(Service).where(Service.slug == slug, Service.status == "published")) or abort(404)
