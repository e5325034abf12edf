"""Every table's rows, read on a connection of their own: the proof that a refused form changed nothing.

Read outside the app's ORM session, so what is compared is what was committed, not what
one request happened to leave in an identity map.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine, MetaData

from directory.mail import sending

# Tables a request may write without anyone having submitted anything: work kept so it is not done twice.
CACHES = {
    "schedule_rendering": "calendar events written the first time a feed asks for them",
    "geocode_cache": "places looked up while searching",
}


@dataclass(frozen=True)
class Snapshot:
    """Rows by table, then by primary key (the whole row where a table has none)."""

    rows: dict[str, dict[tuple, tuple]]
    columns: dict[str, tuple[str, ...]]

    def value(self, table: str, row: tuple, column: str) -> object:
        return row[self.columns[table].index(column)]

    def digest(self) -> str:
        ordered = sorted((table, sorted(rows.items(), key=repr)) for table, rows in self.rows.items())
        return hashlib.sha256(repr(ordered).encode()).hexdigest()

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.rows.items()}

    def changes(self, later: Snapshot) -> dict[str, list[tuple]]:
        """Keys of rows added, removed or altered since this snapshot, by table."""
        out = {}
        for table, before in self.rows.items():
            after = later.rows.get(table, {})
            keys = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
            if keys:
                out[table] = sorted(keys, key=repr)
        return out


def take(engine: Engine, metadata: MetaData) -> Snapshot:
    """Every row of every table the models declare, except the caches."""
    # Mail an earlier request began sending changes its outbox row: let it finish before the rows are read.
    sending.wait_for_senders()
    rows: dict[str, dict[tuple, tuple]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    with engine.connect() as conn:
        # The driver's own cursor: building SQLAlchemy rows for every table twice a request is most of the cost.
        cursor = conn.connection.dbapi_connection.cursor()
        for table in metadata.sorted_tables:
            if table.name in CACHES:
                continue
            cursor.execute(f'SELECT * FROM "{table.name}"')
            names = tuple(d[0] for d in cursor.description)
            keys = [names.index(c.name) for c in (table.primary_key.columns or table.columns)]
            rows[table.name] = {tuple(row[i] for i in keys): tuple(row) for row in cursor.fetchall()}
            columns[table.name] = names
        cursor.close()
        conn.rollback()
    return Snapshot(rows, columns)


def describe(before: Snapshot, after: Snapshot, limit: int = 5) -> str:
    """The changed rows, before and after, for a failure message."""
    lines = []
    for table, keys in before.changes(after).items():
        for key in keys[:limit]:
            lines.append(f"  {table} {key}: {before.rows[table].get(key)!r}\n    -> {after.rows[table].get(key)!r}")
    return "\n".join(lines)
