"""The databases a benchmark runs on: SQLite, then PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support.databases import _pg_drop, _pg_recreate, _pg_url


def each(name: str) -> Iterator[tuple[str, str]]:
    """(label, URL) of an empty database for each engine, removed once the benchmark moves on."""
    with tempfile.TemporaryDirectory() as tmp:
        yield "SQLite", f"sqlite:///{Path(tmp) / f'{name}.sqlite3'}"
    if os.environ.get("TEST_DATABASE_URL"):
        database = f"directory_{name}"
        _pg_recreate(database)
        try:
            yield "PostgreSQL", _pg_url(database)
        finally:
            _pg_drop(database)
