"""search speed: an R*Tree of the places services meet at, kept in sync by triggers (SQLite)

Revision ID: 0012_search_speed
Revises: 0011_imports

A search near a place starts from the places inside a box round it. A B-tree on (latitude,
longitude) can only range over latitude and must then step over every place in that band of
the country; SQLite's R*Tree finds the box's places directly (tests/bench/bench_search.py
measures both). Each place is stored as a point (south = north, west = east); the R*Tree keeps
32-bit floats rounded outwards, so a box query never misses a place, and the search works
out distances from the location row's own coordinates. Triggers rather than application
code, so imports and hand-written SQL keep it in sync (as the search index's do). A batch
migration that rebuilds the location table drops them: it must create them again.
PostgreSQL keeps the B-tree: on it the index-only range over the box measured as fast.
"""
from alembic import op

revision = "0012_search_speed"
down_revision = "0011_imports"
branch_labels = None
depends_on = None

PLACED = "NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL"
ADD = "INSERT INTO location_box (id, south, north, west, east) VALUES (NEW.id, NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude)"
TRIGGERS = (
    f"CREATE TRIGGER location_box_insert AFTER INSERT ON location WHEN {PLACED} BEGIN {ADD}; END",
    "CREATE TRIGGER location_box_update AFTER UPDATE OF id, latitude, longitude ON location BEGIN "
    f"DELETE FROM location_box WHERE id = OLD.id; INSERT INTO location_box (id, south, north, west, east) "
    f"SELECT NEW.id, NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude WHERE {PLACED}; END",
    "CREATE TRIGGER location_box_delete AFTER DELETE ON location BEGIN DELETE FROM location_box WHERE id = OLD.id; END",
)


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE location_box USING rtree(id, south, north, west, east)")
    op.execute(
        "INSERT INTO location_box (id, south, north, west, east) SELECT id, latitude, latitude, longitude, longitude "
        "FROM location WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER location_box_{name}")
    op.execute("DROP TABLE location_box")
