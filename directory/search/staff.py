"""Staff's list of every listing, found by words as the public search finds them: the same reading
of the words (search/thesaurus.py) and the same full-text index, over every status."""

from __future__ import annotations

from sqlalchemy import Select, select

from directory.models import Service
from directory.search import fulltext
from directory.search.query import ServiceQuery


def listings(q: str = "", status: str = "") -> Select:
    """Every listing, drafts and archived ones too: with words, those the public search's
    full-text index matches (the same reading of the words: other words for the same thing), best first."""
    words = ServiceQuery(q=q).words
    if words:
        ranked = fulltext.matches(words).subquery()
        stmt = select(Service).join(ranked, ranked.c.id == Service.id).order_by(ranked.c.rank, Service.name)
    else:
        stmt = select(Service).order_by(Service.name)
    if status:
        stmt = stmt.where(Service.status == status)
    return stmt
