"""What to offer when nothing matches: the closest kind of support nearby, and services anyone
can use from anywhere, so a search never ends at "try another word"."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory import vocab
from directory.extensions import db
from directory.listings.status import published
from directory.models import Service
from directory.search.query import ServiceQuery
from directory.search.services import search
from directory.search.text import fold

OFFERED = 5
WIDEST_RADIUS = 50
# With words like nothing we list, people most often want someone to talk to.
DEFAULT_CATEGORY = "peer-support"


@dataclass(frozen=True)
class Instead:
    category: vocab.Term
    nearest: list  # services of that category, nearest first when there is a place
    national: list  # services anyone can use from anywhere


def closest_category(query: ServiceQuery) -> vocab.Term:
    """The category asked for, else the one whose label and description are most like the words."""
    if query.categories:
        return vocab.CATEGORY[query.categories[0]]
    described = {t.code: fold(f"{t.label} {t.hint}") for t in vocab.CATEGORIES}
    best = process.extractOne(fold(query.q), described, scorer=fuzz.token_set_ratio, score_cutoff=50) if query.q else None
    return vocab.CATEGORY[best[2] if best else DEFAULT_CATEGORY]


def instead(query: ServiceQuery) -> Instead:
    """Services to offer when `query` found none."""
    category = closest_category(query)
    near = ServiceQuery(categories=(category.code,), near=query.near, radius_miles=WIDEST_RADIUS if query.near else 10)
    national = select(Service).where(published(), Service.national.is_(True)).order_by(Service.name).limit(OFFERED)
    return Instead(
        category=category,
        nearest=search(near, per_page=OFFERED).items,
        national=list(db.session.scalars(national.options(selectinload(Service.organisation)))),
    )
