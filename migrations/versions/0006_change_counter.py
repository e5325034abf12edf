"""change counter: one row that database triggers move on every write to what feeds show

Revision ID: 0006_change_counter
Revises: 0005_schedule_renderings

A calendar app's revalidation then reads one row instead of counting every schedule.
Triggers rather than application code, so imports and hand-written SQL move it too.
SQLite drops a table's triggers when a batch migration rebuilds the table: such a
migration must create them again (tests/test_feeds.py writes behind the app's back
to the main tables and expects calendar apps to see it).
"""
from alembic import op
import sqlalchemy as sa


revision = "0006_change_counter"
down_revision = "0005_schedule_renderings"
branch_labels = None
depends_on = None

# Every table a feed's version (search.schedules_version) and its filters read.
TABLES = (
    "schedule", "schedule_exception", "service", "service_term", "organisation", "location", "service_location",
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")
COUNT = "UPDATE change_counter SET count = count + 1 WHERE id = 1"


def upgrade():
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.execute("INSERT INTO change_counter (id, count) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        # Before a statement takes any row locks, so writers queue on the counter instead of
        # deadlocking over it; and once per transaction: each update leaves a row version that
        # the next in the same transaction steps over, so a bulk import counting every
        # statement would slow down with the square of its size. The flag is local to the
        # transaction (and to a savepoint rolled back with the count).
        op.execute(
            "CREATE FUNCTION count_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF current_setting('directory.change_counted', true) IS DISTINCT FROM 'on' THEN {COUNT}; "
            "PERFORM set_config('directory.change_counted', 'on', true); END IF; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER count_change BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION count_change()"
            )
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(
                    f"CREATE TRIGGER count_change_{table}_{operation.lower()} AFTER {operation} ON {table} "
                    f"BEGIN {COUNT}; END"
                )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER count_change ON {table}")
        op.execute("DROP FUNCTION count_change()")
    else:
        for table in TABLES:
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER count_change_{table}_{operation.lower()}")
    op.drop_table("change_counter")
