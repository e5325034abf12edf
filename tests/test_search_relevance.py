"""The judged set: realistic queries must find what a person needs, on both databases."""

from __future__ import annotations

from tests.search.judging import judged, score


def test_the_judged_set_is_large_and_varied():
    queries = judged()
    assert len(queries) >= 100
    assert {"plural", "typo", "lay", "acronym", "accent", "town", "language", "crisis", "multi"} <= {q.kind for q in queries}
    assert all(q.relevant for q in queries), [q.q for q in queries if not q.relevant]


def test_search_meets_its_relevance_targets(client):
    result = score(client)
    report = "\n".join(result.misses)
    assert result.zero_results == 0, report
    assert result.crisis_first == 1.0, report
    assert result.recall_at_10 >= 0.9, report
    assert result.precision_at_5 >= 0.85, report
