"""shared lists: a person's list, shared by link (service ids and notes only)

Revision ID: 0004_shared_lists
Revises: 0003_accounts
"""
from alembic import op
import sqlalchemy as sa


revision = "0004_shared_lists"
down_revision = "0003_accounts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shared_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_list")),
        sa.UniqueConstraint("token", name=op.f("uq_shared_list_token")),
    )
    with op.batch_alter_table("shared_list", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shared_list_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("shared_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shared_list_expires_at"))
    op.drop_table("shared_list")
