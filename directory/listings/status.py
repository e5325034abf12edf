"""A listing's status, and what "published" means: the one clause search, pages, the API, a person's
list and accounts all filter on, so a listing leaves every public surface at once."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from directory.models import Service

DRAFT, PENDING, PUBLISHED, ARCHIVED = "draft", "pending", "published", "archived"
STATUSES = (DRAFT, PENDING, PUBLISHED, ARCHIVED)


def published() -> ColumnElement[bool]:
    """The WHERE clause for listings the public sees: drafts, pending and archived ones are left out."""
    return Service.status == PUBLISHED


def is_published(service: Service) -> bool:
    """The same rule for a service already loaded."""
    return service.status == PUBLISHED
