"""outbox: mail stored with the change that causes it; review reminders sent; opt-outs

Revision ID: 0008_outbox
Revises: 0007_search_index
"""
from alembic import op
import sqlalchemy as sa


revision = "0008_outbox"
down_revision = "0007_search_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("to", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_created_at"), ["created_at"], unique=False)
    op.create_table(
        "review_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], name=op.f("fk_review_reminder_service_id_service"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_review_reminder_user_id_user_account"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_reminder")),
    )
    with op.batch_alter_table("review_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_reminder_service_id"), ["service_id"], unique=False)
    op.create_table(
        "mail_opt_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_opt_out")),
        sa.UniqueConstraint("email", "kind", name=op.f("uq_mail_opt_out_email")),
    )


def downgrade():
    op.drop_table("mail_opt_out")
    with op.batch_alter_table("review_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_reminder_service_id"))
    op.drop_table("review_reminder")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_created_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_kind"))
    op.drop_table("outbox_message")
