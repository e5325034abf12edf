"""imports: where an imported listing came from, spreadsheets waiting to be confirmed, feeds to refresh

Revision ID: 0011_imports
Revises: 0010_listing_editor

Plain ADD COLUMN on the service table (SQLite keeps its triggers); existing listings were
typed in here, so they have no source.
"""
from alembic import op
import sqlalchemy as sa


revision = "0011_imports"
down_revision = "0010_listing_editor"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("service", sa.Column("source", sa.String(length=120), nullable=False, server_default=""))
    op.add_column("service", sa.Column("source_id", sa.String(length=200), nullable=True))
    op.add_column("service", sa.Column("imported_at", sa.DateTime(), nullable=True))
    op.add_column("service", sa.Column("imported_values", sa.JSON(), nullable=True))
    op.create_index("ix_service_source_source_id", "service", ["source", "source_id"], unique=True)
    op.create_table(
        "import_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_import_upload_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_upload")),
        sa.UniqueConstraint("token", name=op.f("uq_import_upload_token")),
    )
    op.create_index(op.f("ix_import_upload_user_id"), "import_upload", ["user_id"], unique=False)
    op.create_table(
        "data_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("refresh_hours", sa.Integer(), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(), nullable=True),
        sa.Column("last_result", sa.Text(), nullable=False),
        sa.Column("last_ok", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_source")),
    )


def downgrade():
    op.drop_table("data_source")
    op.drop_index(op.f("ix_import_upload_user_id"), table_name="import_upload")
    op.drop_table("import_upload")
    op.drop_index("ix_service_source_source_id", table_name="service")
    # In place, not a batch: SQLite's batch copy cannot be renamed back past the search index's triggers.
    op.drop_column("service", "imported_values")
    op.drop_column("service", "imported_at")
    op.drop_column("service", "source_id")
    op.drop_column("service", "source")
