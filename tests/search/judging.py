"""Scoring search against judged queries: what a person would see in the first results."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from tests.support.seeddata import SEEDS, services

JUDGED = Path(__file__).with_name("judged.yaml")


def slugs_for(client, **params) -> list[str]:
    """The services on the first page of /search, in order (the JSON API gives the same)."""
    response = client.get("/api/v1/services", query_string=params)
    assert response.status_code == 200
    return [item["slug"] for item in response.get_json()["items"]]


def every_slug_for(client, **params) -> list[str]:
    """The services on every page of /search, in order."""
    found: list[str] = []
    page = 1
    while True:
        body = client.get("/api/v1/services", query_string={**params, "page": page}).get_json()
        found.extend(item["slug"] for item in body["items"])
        if page >= body["pages"]:
            return found
        page += 1


@dataclass(frozen=True)
class Judged:
    q: str
    relevant: frozenset[str]
    kind: str
    crisis: bool = False
    towns: frozenset[str] = frozenset()


def _matches(service: dict, criteria: dict) -> bool:
    for key, wanted in criteria.items():
        have = {
            "category": service.get("categories", []),
            "audience": service.get("audiences", []),
            "language": service.get("languages", []),
            "meeting_type": service.get("meeting_types", []),
            "group_type": [service.get("group_type")],
            "slug": [service["slug"]],
        }[key]
        if set(wanted) & set(have):
            return True
    return False


@cache
def judged() -> tuple[Judged, ...]:
    """The judged set, each query with the services that answer it."""
    towns = {v["key"]: v["town"] for v in yaml.safe_load((SEEDS / "venues.yaml").read_text(encoding="utf-8"))}
    rows = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))
    return tuple(
        Judged(
            q=row["q"], kind=row["kind"], crisis=bool(row.get("crisis")), towns=_towns(row),
            relevant=frozenset(
                s["slug"] for s in services()
                if _matches(s, row["relevant"]) and (not _towns(row) or _towns(row) & {towns[v] for v in s.get("venues", [])})
            ),
        )
        for row in rows
    )


def _towns(row: dict) -> frozenset[str]:
    """The towns a query's answers must be in (one named, or a list when a neighbour is as near)."""
    town = row.get("town") or []
    return frozenset([town] if isinstance(town, str) else town)


@dataclass(frozen=True)
class Score:
    recall_at_10: float
    precision_at_5: float
    zero_results: int
    crisis_first: float  # of the crisis queries, the share whose first result is a crisis service
    queries: int
    misses: tuple[str, ...]  # the queries below either target, for reading


def score(client, targets: tuple[float, float] = (0.9, 0.85), kind: str | None = None) -> Score:
    """Mean recall@10 (relevant services in the first 10, of at most 10) and precision@5 (relevant in
    the first 5, of at most 5 or as many as are relevant), as a person reads the first page."""
    crisis = {s["slug"] for s in services() if "crisis" in s["categories"]}
    recalls, precisions, misses = [], [], []
    zero = firsts = crisis_queries = 0
    for query in (q for q in judged() if kind is None or q.kind == kind):
        found = slugs_for(client, q=query.q)
        zero += not found
        relevant = query.relevant
        recall = len(relevant & set(found[:10])) / max(1, min(10, len(relevant)))
        precision = len(relevant & set(found[:5])) / max(1, min(5, len(relevant)))
        recalls.append(recall)
        precisions.append(precision)
        if recall < targets[0] or precision < targets[1]:
            misses.append(f"{query.q!r}: recall@10 {recall:.2f}, precision@5 {precision:.2f}, first {found[:5]}")
        if query.crisis:
            crisis_queries += 1
            firsts += bool(found) and found[0] in crisis
    return Score(
        recall_at_10=sum(recalls) / len(recalls), precision_at_5=sum(precisions) / len(precisions),
        zero_results=zero, crisis_first=firsts / max(1, crisis_queries), queries=len(recalls), misses=tuple(misses),
    )
