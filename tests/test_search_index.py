"""The full-text index stays in step with every write: pages, imports and hand-written SQL alike."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from directory.extensions import db
from tests.search.judging import every_slug_for, slugs_for


def test_a_name_changed_by_hand_written_sql_is_found_by_its_new_name(app, client):
    with app.app_context():
        db.session.execute(text("UPDATE service SET name = 'Quillwort Haven' WHERE slug = 'ribble-housing-first'"))
        db.session.commit()
    assert slugs_for(client, q="quillwort") == ["ribble-housing-first"]
    assert "ribble-housing-first" not in slugs_for(client, q="Ribble Housing First")[:1]


def test_an_organisation_renamed_is_found_on_all_its_services(app, client):
    with app.app_context():
        db.session.execute(text(
            "UPDATE organisation SET name = 'Zephyrine Trust' WHERE id = "
            "(SELECT organisation_id FROM service WHERE slug = 'arpley-crisis-cafe')"
        ))
        expected = set(db.session.scalars(text(
            "SELECT slug FROM service WHERE status = 'published' AND organisation_id = "
            "(SELECT organisation_id FROM service WHERE slug = 'arpley-crisis-cafe')"
        )))
        db.session.commit()
    assert set(slugs_for(client, q="zephyrine")) == expected


def test_a_category_added_or_removed_changes_what_its_words_find(app, client):
    assert "arpley-crisis-cafe" not in every_slug_for(client, q="housing")
    with app.app_context():
        db.session.execute(text(
            "INSERT INTO service_term (service_id, kind, code) "
            "SELECT id, 'category', 'housing' FROM service WHERE slug = 'arpley-crisis-cafe'"
        ))
        db.session.commit()
    assert "arpley-crisis-cafe" in every_slug_for(client, q="housing")
    with app.app_context():
        db.session.execute(text(
            "DELETE FROM service_term WHERE kind = 'category' AND code = 'housing' AND service_id = "
            "(SELECT id FROM service WHERE slug = 'arpley-crisis-cafe')"
        ))
        db.session.commit()
    assert "arpley-crisis-cafe" not in every_slug_for(client, q="housing")


def test_a_deleted_service_leaves_the_index(app, client):
    with app.app_context():
        db.session.execute(text("UPDATE service SET name = 'Quillwort Haven' WHERE slug = 'arpley-crisis-cafe'"))
        ids = db.session.execute(text("SELECT id FROM service WHERE slug = 'arpley-crisis-cafe'")).scalar_one()
        for table in ("service_term", "service_location", "schedule"):
            db.session.execute(text(f"DELETE FROM {table} WHERE service_id = :id"), {"id": ids})
        db.session.execute(text("DELETE FROM service WHERE id = :id"), {"id": ids})
        db.session.commit()
        remaining = db.session.execute(text("SELECT count(*) FROM service_search")).scalar_one()
        services = db.session.execute(text("SELECT count(*) FROM service")).scalar_one()
    assert remaining == services
    assert slugs_for(client, q="quillwort") == []


def test_the_migration_builds_the_index_for_services_already_there(app, client):
    with app.app_context():
        downgrade(revision="0006_change_counter")
        upgrade()
    assert set(slugs_for(client, q="cafe")) >= {"avenham-recovery-cafe", "arpley-crisis-cafe"}
