"""How well does search answer what people type? `python -m tests.bench.bench_relevance` (or `make bench`).

Scores the judged set (tests/search/judged.yaml) on a freshly migrated, seeded SQLite database,
and on PostgreSQL too when TEST_DATABASE_URL is set: mean recall@10, mean precision@5, the
number of queries with no results and the share of crisis queries whose first result is a crisis
service, overall and by kind of query. Then lists the queries below either target.
"""

from __future__ import annotations

from directory import create_app
from tests.bench import databases
from tests.search.judging import judged, score
from tests.support.databases import build_database

KINDS = ("all", *dict.fromkeys(q.kind for q in judged()))


def run(url: str, backend: str) -> None:
    build_database(url)
    client = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True}).test_client()
    print(f"\n{backend}: {len(judged())} judged queries (targets: recall@10 >= 0.90, precision@5 >= 0.85, "
          "no zero results, crisis first 100%)")
    print(f"{'kind':>9} {'queries':>8} {'recall@10':>10} {'precision@5':>12} {'zero':>5} {'crisis first':>13}")
    misses: tuple[str, ...] = ()
    for kind in KINDS:
        result = score(client, kind=None if kind == "all" else kind)
        crisis = f"{result.crisis_first:.0%}" if kind in ("all", "crisis") else ""
        print(f"{kind:>9} {result.queries:>8} {result.recall_at_10:>10.3f} {result.precision_at_5:>12.3f} "
              f"{result.zero_results:>5} {crisis:>13}")
        if kind == "all":
            misses = result.misses
    for line in misses:
        print("  below a target:", line)


def main() -> None:
    for label, url in databases.each("bench_relevance"):
        run(url, label)


if __name__ == "__main__":
    main()
