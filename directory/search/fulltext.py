"""The full-text index (migration 0007) as queries: which services match words, and how well.

One behaviour on both databases: SQLite FTS5 ranked by bm25, PostgreSQL a weighted tsvector
ranked by ts_rank_cd. Either way `rank` is lower for a better match, so callers order ascending.
"""

from __future__ import annotations

from sqlalchemy import Select, column, func, literal_column, select, table
from sqlalchemy.sql.elements import ColumnClause

from directory.extensions import db
from directory.search.thesaurus import Words

# SQLite: rowid is the service id; columns in the migration's order, weighted like PostgreSQL's A-D.
_FTS = table("service_search", column("rowid"))
BM25 = "bm25(service_search, 10.0, 4.0, 4.0, 2.0, 1.0)"
_PG = table("service_search", column("service_id"), column("document"))
_PG_CONFIG: ColumnClause = literal_column("'directory_search'::regconfig")
# Cover density (ts_rank_cd) so a phrase in a name outranks its words scattered; weights D, C, B, A.
_PG_WEIGHTS: ColumnClause = literal_column("'{0.1, 0.2, 0.4, 1.0}'::float4[]")


def _sqlite_expression(words: Words, any_group: bool) -> str:
    groups = ["(" + " OR ".join(f'"{phrase}"' for phrase in group) + ")" for group in words.groups]
    return (" OR " if any_group else " AND ").join(groups)


def _pg_expression(words: Words, any_group: bool) -> str:
    groups = ["(" + " | ".join(" <-> ".join(phrase.split()) for phrase in group) + ")" for group in words.groups]
    return (" | " if any_group else " & ").join(groups)


def matches(words: Words, any_group: bool = False) -> Select:
    """(id, rank) of the services matching every group of words (any one, with `any_group`).
    Words come folded to letters and digits only, so quoting them is all the escaping needed."""
    if db.session.get_bind().dialect.name == "postgresql":
        query = func.to_tsquery(_PG_CONFIG, _pg_expression(words, any_group))
        return select(
            _PG.c.service_id.label("id"), (-func.ts_rank_cd(_PG_WEIGHTS, _PG.c.document, query)).label("rank")
        ).where(_PG.c.document.op("@@")(query))
    return select(_FTS.c.rowid.label("id"), literal_column(BM25).label("rank")).where(
        literal_column("service_search").op("MATCH")(_sqlite_expression(words, any_group))
    )


def matches_anything(word: str) -> bool:
    """Whether one folded word is in the index at all (before trying to correct its spelling)."""
    stmt = matches(Words(((word,),))).limit(1)
    return db.session.execute(stmt).first() is not None
