"""schedule renderings: feed events kept by version, shared by app servers

Revision ID: 0005_schedule_renderings
Revises: 0004_shared_lists
"""
from alembic import op
import sqlalchemy as sa


revision = "0005_schedule_renderings"
down_revision = "0004_shared_lists"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "schedule_rendering",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"], ["schedule.id"], name=op.f("fk_schedule_rendering_schedule_id_schedule"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("schedule_id", name=op.f("pk_schedule_rendering")),
    )


def downgrade():
    op.drop_table("schedule_rendering")
