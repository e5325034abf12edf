"""gazetteer: places and postcodes, geocoder cache, location-to-service index

Revision ID: 0002_gazetteer
Revises: 08874a58f3f0
Create Date: 2026-11-22 14:39:53.337886

"""
from alembic import op
import sqlalchemy as sa


revision = "0002_gazetteer"
down_revision = "08874a58f3f0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "geocode_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_geocode_cache")),
        sa.UniqueConstraint("query", name=op.f("uq_geocode_cache_query")),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
        sa.UniqueConstraint("key", "kind", name=op.f("uq_place_key")),
    )
    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_location_location_id"), ["location_id", "service_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("service_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_location_location_id"))
    op.drop_table("place")
    op.drop_table("geocode_cache")
