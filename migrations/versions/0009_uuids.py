"""uuids: a stable public identifier for every row the open data APIs show

Revision ID: 0009_uuids
Revises: 0008_outbox

HSDS wants a UUID for every object, and integer ids are no good across systems.
Existing rows are each given a random one here, once; nothing changes it after.
Added as a nullable column with a unique index (an ALTER, not a table rebuild), so
SQLite keeps the change-counter triggers of 0006; new rows get one from the model.
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0009_uuids"
down_revision = "0008_outbox"
branch_labels = None
depends_on = None

TABLES = ("organisation", "service", "location", "schedule")
# A service at a location is an HSDS object of its own (service_at_location): its link row gets one too.
LINKS = "service_location"


def upgrade():
    bind = op.get_bind()
    for table in TABLES:
        op.add_column(table, sa.Column("uuid", sa.String(36), nullable=True))
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("uuid", sa.String))
        ids = bind.execute(sa.select(rows.c.id)).scalars().all()
        for row_id in ids:
            bind.execute(rows.update().where(rows.c.id == row_id).values(uuid=str(uuid.uuid4())))
        if bind.dialect.name == "postgresql":
            op.alter_column(table, "uuid", nullable=False)
        op.create_index(op.f(f"ix_{table}_uuid"), table, ["uuid"], unique=True)
    op.add_column(LINKS, sa.Column("uuid", sa.String(36), nullable=True))
    links = sa.table(LINKS, sa.column("service_id", sa.Integer), sa.column("location_id", sa.Integer),
                     sa.column("uuid", sa.String))
    for service_id, location_id in bind.execute(sa.select(links.c.service_id, links.c.location_id)).all():
        bind.execute(links.update().where(links.c.service_id == service_id, links.c.location_id == location_id)
                     .values(uuid=str(uuid.uuid4())))
    if bind.dialect.name == "postgresql":
        op.alter_column(LINKS, "uuid", nullable=False)
    op.create_index(op.f(f"ix_{LINKS}_uuid"), LINKS, ["uuid"], unique=True)


def downgrade():
    op.drop_index(op.f(f"ix_{LINKS}_uuid"), table_name=LINKS)
    op.drop_column(LINKS, "uuid")
    for table in reversed(TABLES):
        op.drop_index(op.f(f"ix_{table}_uuid"), table_name=table)
        op.drop_column(table, "uuid")
