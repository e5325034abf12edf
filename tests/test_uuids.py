"""Migration 0009 gives rows made before it a UUID once, and the UUID never changes after."""

from __future__ import annotations

import uuid

from flask_migrate import upgrade
from sqlalchemy import text

from directory import create_app
from directory.extensions import db

TABLES = ("organisation", "service", "location", "schedule")


def _rows(conn, table: str) -> dict[int, str]:
    return dict(conn.execute(text(f"SELECT id, uuid FROM {table}")).all())


def test_existing_rows_get_one_uuid_each_and_keep_it(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "TESTING": True})
    with app.app_context():
        upgrade(revision="0006_change_counter")
        with db.engine.begin() as conn:  # rows written by the release before this one
            conn.execute(text("INSERT INTO organisation (id, slug, name, description, website, email, phone) "
                              "VALUES (1, 'o', 'Org', '', '', '', ''), (2, 'p', 'Other', '', '', '', '')"))
            conn.execute(text(
                "INSERT INTO location (id, key, name, address, town, postcode, confidential, geocode_status) "
                "VALUES (1, 'v', 'Hall', '', 'Salford', '', 0, 'ok')"))
        upgrade()
        with db.engine.connect() as conn:
            first = {table: _rows(conn, table) for table in ("organisation", "location")}
        upgrade()  # a second deploy's upgrade changes nothing
        with db.engine.connect() as conn:
            again = {table: _rows(conn, table) for table in ("organisation", "location")}
        db.engine.dispose()
    assert first == again
    assert set(first["organisation"]) == {1, 2}
    values = [v for rows in first.values() for v in rows.values()]
    assert len(set(values)) == len(values)
    assert all(str(uuid.UUID(v)) == v for v in values)


def test_new_rows_are_given_a_uuid(app):
    with app.app_context():
        for table in TABLES:
            rows = db.session.execute(text(f"SELECT uuid FROM {table}")).scalars().all()
            assert rows and all(uuid.UUID(v) for v in rows)
