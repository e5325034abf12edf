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
            conn.execute(text("INSERT INTO service (id, slug, name, organisation_id, summary, description, status, free, "
                              "cost, co_occurring, abstinence_required, families_welcome, eligibility, referral, "
                              "professional_details, professional_only, languages, accessibility, phone, email, "
                              "website, national, area_served, created_at, updated_at, version) VALUES (1, 's', 'S', "
                              "1, '', '', 'published', 1, '', 1, 0, 0, '', '', '', 0, '[]', '', '', '', '', 0, '', "
                              "'2026-01-01', '2026-01-01', 1)"))
            conn.execute(text("INSERT INTO service_location (service_id, location_id) VALUES (1, 1)"))
        upgrade()
        with db.engine.connect() as conn:
            first = {table: _rows(conn, table) for table in ("organisation", "location", "service")}
            first["link"] = dict(enumerate(conn.execute(text("SELECT uuid FROM service_location")).scalars()))
        upgrade()  # a second deploy's upgrade changes nothing
        with db.engine.connect() as conn:
            again = {table: _rows(conn, table) for table in ("organisation", "location", "service")}
            again["link"] = dict(enumerate(conn.execute(text("SELECT uuid FROM service_location")).scalars()))
        db.engine.dispose()
    assert first == again
    assert set(first["organisation"]) == {1, 2}
    values = [v for rows in first.values() for v in rows.values()]
    assert len(set(values)) == len(values)
    assert all(str(uuid.UUID(v)) == v for v in values)


def test_new_rows_are_given_a_uuid(app):
    with app.app_context():
        for table in (*TABLES, "service_location"):
            rows = db.session.execute(text(f"SELECT uuid FROM {table}")).scalars().all()
            assert len(set(rows)) == len(rows)
            assert rows and all(uuid.UUID(v) for v in rows)
