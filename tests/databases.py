"""Test databases: one migrated, seeded template per backend, copied fresh for each test.

SQLite copies a file; PostgreSQL clones a template database. Both are real
migrations and real seed loads, done once per run.
"""

from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from directory import create_app
from directory.extensions import db
from directory.interop import seeds
from tests.clock import an_hour_before

_counter = itertools.count()


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


def _pg_admin():
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return make_url(os.environ["TEST_DATABASE_URL"]).set(database=name).render_as_string(hide_password=False)


def _pg_recreate(name: str, template: str | None = None) -> None:
    engine = _pg_admin()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    engine.dispose()


def _pg_drop(name: str) -> None:
    engine = _pg_admin()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def build_database(url: str, seed: bool = True) -> None:
    """Migrate an empty database, as an operator's `flask db upgrade` does, and load the demo data."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with an_hour_before(), app.app_context():
        upgrade()
        if seed:
            seeds.load_seeds()
        db.engine.dispose()


@dataclass
class Template:
    """A migrated, seeded database that each test gets a private copy of."""

    backend: str
    workdir: Path

    def build(self, seed: bool = True) -> None:
        build_database(self._url_for(self._name("tmpl"), fresh=True), seed=seed)

    def copy(self) -> tuple[str, callable]:
        """A URL of a new private copy, and a function that removes it."""
        name = self._name(str(next(_counter)))
        if self.backend == "sqlite":
            target = self.workdir / f"{name}.sqlite3"
            shutil.copyfile(self.workdir / f"{self._name('tmpl')}.sqlite3", target)
            return f"sqlite:///{target}", lambda: target.unlink(missing_ok=True)
        _pg_recreate(name, template=self._name("tmpl"))
        return _pg_url(name), lambda: _pg_drop(name)

    def _name(self, suffix: str) -> str:
        if self.backend == "sqlite":
            return f"test_{suffix}"
        return f"{make_url(os.environ['TEST_DATABASE_URL']).database}_{suffix}"

    def _url_for(self, name: str, fresh: bool) -> str:
        if self.backend == "sqlite":
            path = self.workdir / f"{name}.sqlite3"
            if fresh:
                path.unlink(missing_ok=True)
            return f"sqlite:///{path}"
        if fresh:
            _pg_recreate(name)
        return _pg_url(name)


def pg_empty_database(suffix: str) -> tuple[str, callable]:
    """A new empty database on the test server (TEST_DATABASE_URL), and a function that drops it."""
    name = f"{make_url(os.environ['TEST_DATABASE_URL']).database}_{suffix}"
    _pg_recreate(name)
    return _pg_url(name), lambda: _pg_drop(name)
