"""What the listings themselves say: the words they use (to correct spelling against) and the
languages they are offered in. Read from the database and kept until the next write moves the
change counter; built from listings only, never from anything a person types."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import current_app
from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import select

from directory import vocab
from directory.extensions import db
from directory.listings.status import published
from directory.models import ChangeCounter, Location, Organisation, Service
from directory.search import thesaurus
from directory.search.text import STOPWORDS, tokens

SHORTEST_CORRECTED = 4  # shorter words are too easily another word (and acronyms are not typos)


def _kept(name: str, build: Callable[[], Any]) -> Any:
    """`build()`, remembered by this app until the change counter moves."""
    count = db.session.scalar(select(ChangeCounter.count).where(ChangeCounter.id == 1))
    kept = current_app.extensions.setdefault("search_vocabulary", {})
    if kept.get(name, (None,))[0] != count:
        kept[name] = (count, build())
    return kept[name][1]


def _texts():
    services = select(Service.name, Service.summary, Service.description, Service.area_served).where(published())
    for row in db.session.execute(services):
        yield from row
    yield from db.session.scalars(select(Organisation.name))
    yield from db.session.scalars(select(Location.town))
    for kind in vocab.TAG_KINDS:
        for term in kind.terms.values():
            yield f"{term.label} {term.hint}"
    for entry in thesaurus.entries():
        yield " ".join(entry.say + entry.find)


def _build_words() -> tuple[str, ...]:
    counts = Counter(w for text in _texts() for w in tokens(text or "") if w not in STOPWORDS and not w.isdigit())
    return tuple(word for word, _ in counts.most_common())


def words() -> tuple[str, ...]:
    """Every word the listings use, the commonest first."""
    return _kept("words", _build_words)


def _build_languages() -> tuple[str, ...]:
    offered = {language for row in db.session.scalars(select(Service.languages).where(published())) for language in row or ()}
    return tuple(sorted(offered))


def languages() -> tuple[str, ...]:
    """The languages published services are offered in, A to Z."""
    return _kept("languages", _build_languages)


def closest(word: str) -> str | None:
    """The listings' word nearest in spelling to a folded word (one edit for short words, two for
    longer ones; two letters swapped are one edit), the commonest on a tie; None when nothing is that close."""
    if len(word) < SHORTEST_CORRECTED or word.isdigit():
        return None
    found = process.extractOne(word, words(), scorer=OSA.distance, score_cutoff=1 if len(word) <= 5 else 2)
    return found[0] if found else None
