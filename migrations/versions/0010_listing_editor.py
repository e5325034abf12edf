"""listing editor: "spaces now" on a service, with the day it was last said

Revision ID: 0010_listing_editor
Revises: 0009_uuids

Plain ADD COLUMN on both databases: SQLite keeps the table (and so its change-counter
triggers) as it is. Existing rows start with nothing said, which reads as unknown.
"""
from alembic import op
import sqlalchemy as sa


revision = "0010_listing_editor"
down_revision = "0009_uuids"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("service", sa.Column("spaces", sa.String(length=20), nullable=True))
    op.add_column("service", sa.Column("spaces_said_on", sa.Date(), nullable=True))


def downgrade():
    # Not a batch (a copy of the table, renamed back): on SQLite that rename fails on the search
    # index's triggers, which name the service table. SQLite drops a column in place since 3.35.
    op.drop_column("service", "spaces_said_on")
    op.drop_column("service", "spaces")
