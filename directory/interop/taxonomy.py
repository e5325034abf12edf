"""Our vocabularies published as HSDS taxonomies, and what a service's row says in each of them.

Ids are UUIDs derived from the codes (which are stable: they are in URLs and feeds), so a
term keeps its id across releases and servers without a table of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists

from directory import vocab
from directory.models import Service, ServiceTerm

# Every id this site derives (terms, phones, addresses...) is a name under this one namespace.
NAMESPACE = uuid.UUID("9a3c7a52-4f3e-4c36-9d0e-2f6a3f2b7c11")


def derived_id(*parts: str) -> str:
    """A stable UUID for an object that has no row of its own (a service's phone, a venue's address)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Vocabulary:
    """One of our vocabularies as an HSDS taxonomy: its terms, and how a service is tagged with one."""

    code: str
    name: str
    description: str
    terms: tuple[vocab.Term, ...]
    codes_of: Callable[[Service], list[str]]
    clause: Callable[[str], ColumnElement[bool]]

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.code)

    def term_id(self, code: str) -> str:
        return derived_id("taxonomy", self.code, "term", code)


def _tagged(kind: str) -> tuple[Callable[[Service], list[str]], Callable[[str], ColumnElement[bool]]]:
    def clause(code: str) -> ColumnElement[bool]:
        return exists().where(ServiceTerm.service_id == Service.id, ServiceTerm.kind == kind, ServiceTerm.code == code)

    return (lambda s: s.codes(kind)), clause


ELIGIBILITY = (
    vocab.Term("co-occurring", "Works with co-occurring needs", "Works with mental health and substance use together"),
    vocab.Term("abstinence-required", "Abstinence required", "Asks people not to be using substances"),
    vocab.Term("families-welcome", "Families welcome", "Families and carers may come too"),
)
_FLAGS = {"co-occurring": Service.co_occurring, "abstinence-required": Service.abstinence_required,
          "families-welcome": Service.families_welcome}

_TAG_DESCRIPTIONS = {
    "category": "The kinds of support a service gives.",
    "stage": "The four stages of dual diagnosis treatment a service suits (engagement to relapse prevention).",
    "audience": "Who a service is for.",
    "mode": "How a service is delivered.",
    "referral": "How people are referred to a service.",
    "meeting_type": "Meeting Guide meeting types, with DD and FAM for our groups.",
}

VOCABULARIES: tuple[Vocabulary, ...] = (
    *(
        Vocabulary(kind.code, f"directory-{kind.field.replace('_', '-')}", _TAG_DESCRIPTIONS[kind.code],
                   tuple(kind.terms.values()), *_tagged(kind.code))
        for kind in vocab.TAG_KINDS
    ),
    Vocabulary("group_type", "directory-group-types", "The kind of peer group or course.", vocab.GROUP_TYPES,
               lambda s: [s.group_type] if s.group_type else [], lambda code: Service.group_type == code),
    Vocabulary("wait", "directory-wait-times", "How long people usually wait to start.", vocab.WAIT_TIMES,
               lambda s: [s.wait] if s.wait else [], lambda code: Service.wait == code),
    Vocabulary("eligibility", "directory-eligibility", "Who can use a service, as yes-or-no facts.", ELIGIBILITY,
               lambda s: [code for code, column in _FLAGS.items() if getattr(s, column.key)],
               lambda code: _FLAGS[code].is_(True)),
)
BY_ID = {v.id: v for v in VOCABULARIES}
TERMS_BY_ID = {v.term_id(t.code): (v, t) for v in VOCABULARIES for t in v.terms}


def term_clause(term_id: str) -> ColumnElement[bool] | None:
    """Services tagged with this term; None for an id that is not one of our terms."""
    found = TERMS_BY_ID.get(term_id)
    if found is None:
        return None
    vocabulary, term = found
    return vocabulary.clause(term.code)


def terms_of(service: Service) -> list[tuple[Vocabulary, vocab.Term]]:
    """Every term a service has, vocabulary by vocabulary; codes no longer in a vocabulary are left out."""
    found = []
    for vocabulary in VOCABULARIES:
        known = {t.code: t for t in vocabulary.terms}
        found += [(vocabulary, known[c]) for c in vocabulary.codes_of(service) if c in known]
    return found
