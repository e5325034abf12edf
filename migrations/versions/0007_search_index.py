"""search index: full text over each service, kept in sync by triggers

Revision ID: 0007_search_index
Revises: 0006_change_counter

SQLite: an FTS5 table (unicode61 without diacritics, porter stemming) whose rowid is the
service id. PostgreSQL: a weighted tsvector per service with a GIN index, in a text search
configuration that removes accents and stems English. Both hold the name, organisation,
summary, the labels and hints of the service's vocabulary tags and group type, the languages
offered, its towns and area, and the description. Triggers rather than application code, so
imports and hand-written SQL keep it in sync too (as the change counter does). The labels come
from directory.vocab into search_label, so triggers can read them; a later change to a label
needs a migration that rewrites search_label and rebuilds the index.
"""
import sqlalchemy as sa
from alembic import op

from directory import vocab

revision = "0007_search_index"
down_revision = "0006_change_counter"
branch_labels = None
depends_on = None

LABELLED = {kind.code: kind.terms for kind in vocab.TAG_KINDS} | {"group_type": vocab.GROUP_TYPE}

# The indexed text of the services chosen by `{where}` (s is the service), column by column.
ORGANISATION = "coalesce((SELECT o.name FROM organisation o WHERE o.id = s.organisation_id), '')"
TOWNS = (
    "coalesce((SELECT {agg}(coalesce(loc.town, ''){sep}) FROM service_location sl "
    "JOIN location loc ON loc.id = sl.location_id WHERE sl.service_id = s.id), '')"
)
TAGS = (
    "coalesce((SELECT {agg}(l.text{sep}) FROM service_term t JOIN search_label l "
    "ON l.kind = t.kind AND l.code = t.code WHERE t.service_id = s.id), '')"
)
GROUP = "coalesce((SELECT l.text FROM search_label l WHERE l.kind = 'group_type' AND l.code = s.group_type), '')"
SQLITE_LANGUAGES = "coalesce((SELECT group_concat(value, ' ') FROM json_each(s.languages)), '')"
PG_LANGUAGES = "coalesce((SELECT string_agg(value, ' ') FROM json_array_elements_text(s.languages) AS value), '')"


def _tags(agg: str, sep: str, languages: str) -> str:
    parts = [TAGS.format(agg=agg, sep=sep), GROUP, languages, TOWNS.format(agg=agg, sep=sep), "coalesce(s.area_served, '')"]
    return " || ' ' || ".join(parts)


SQLITE_TAGS = _tags("group_concat", ", ' '", SQLITE_LANGUAGES)
PG_TAGS = _tags("string_agg", ", ' '", PG_LANGUAGES)
SQLITE_ROWS = (
    "INSERT INTO service_search (rowid, name, organisation, summary, tags, description) "
    f"SELECT s.id, s.name, {ORGANISATION}, coalesce(s.summary, ''), "
    f"{SQLITE_TAGS}, coalesce(s.description, '') FROM service s WHERE {{where}}"
)
SQLITE_REFRESH = "DELETE FROM service_search WHERE rowid IN (SELECT s.id FROM service s WHERE {where}); " + SQLITE_ROWS + ";"

PG_DOCUMENT = (
    "setweight(to_tsvector('directory_search', s.name), 'A') || "
    f"setweight(to_tsvector('directory_search', {ORGANISATION}), 'B') || "
    "setweight(to_tsvector('directory_search', coalesce(s.summary, '')), 'B') || "
    f"setweight(to_tsvector('directory_search', {PG_TAGS}), 'C') || "
    "setweight(to_tsvector('directory_search', coalesce(s.description, '')), 'D')"
)

# Which services a write to each table changes, as (table, operation, the where for NEW/OLD).
SQLITE_TRIGGERS = (
    ("service", "insert", "s.id = NEW.id"),
    ("service", "update", "s.id = NEW.id"),
    ("service_term", "insert", "s.id = NEW.service_id"),
    ("service_term", "update", "s.id IN (NEW.service_id, OLD.service_id)"),
    ("service_term", "delete", "s.id = OLD.service_id"),
    ("organisation", "update", "s.organisation_id = NEW.id"),
    ("location", "update", "s.id IN (SELECT service_id FROM service_location WHERE location_id = NEW.id)"),
    ("service_location", "insert", "s.id = NEW.service_id"),
    ("service_location", "delete", "s.id = OLD.service_id"),
)
# PostgreSQL: a function per table, returning the service ids a row change touches.
PG_TRIGGERS = {
    "service": "ARRAY[r.id]",
    "service_term": "ARRAY[r.service_id]",
    "organisation": "ARRAY(SELECT id FROM service WHERE organisation_id = r.id)",
    "location": "ARRAY(SELECT service_id FROM service_location WHERE location_id = r.id)",
    "service_location": "ARRAY[r.service_id]",
}


def _labels() -> list[dict]:
    return [
        {"kind": kind, "code": term.code, "text": f"{term.label} {term.hint}".strip()}
        for kind, terms in LABELLED.items()
        for term in terms.values()
    ]


def upgrade():
    labels = op.create_table(
        "search_label",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("kind", "code", name=op.f("pk_search_label")),
    )
    op.bulk_insert(labels, _labels())
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def _upgrade_sqlite():
    op.execute(
        "CREATE VIRTUAL TABLE service_search USING fts5(name, organisation, summary, tags, description, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    op.execute("CREATE VIRTUAL TABLE service_search_terms USING fts5vocab(service_search, row)")
    for table, operation, where in SQLITE_TRIGGERS:
        op.execute(
            f"CREATE TRIGGER search_{table}_{operation} AFTER {operation.upper()} ON {table} "
            f"BEGIN {SQLITE_REFRESH.format(where=where)} END"
        )
    op.execute("CREATE TRIGGER search_service_delete AFTER DELETE ON service BEGIN DELETE FROM service_search WHERE rowid = OLD.id; END")
    op.execute(SQLITE_ROWS.format(where="1 = 1"))


def _upgrade_postgresql():
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE TEXT SEARCH CONFIGURATION directory_search (COPY = english)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION directory_search "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
    )
    op.create_table(
        "service_search",
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("service.id", ondelete="CASCADE"), nullable=False),
        sa.Column("document", sa.dialects.postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", name=op.f("pk_service_search")),
    )
    op.execute("CREATE INDEX ix_service_search_document ON service_search USING gin (document)")
    op.execute(
        "CREATE FUNCTION service_search_refresh(ids integer[]) RETURNS void LANGUAGE sql AS $$ "
        f"INSERT INTO service_search (service_id, document) SELECT s.id, {PG_DOCUMENT} FROM service s "
        "WHERE s.id = ANY(ids) ON CONFLICT (service_id) DO UPDATE SET document = EXCLUDED.document $$"
    )
    for table, ids in PG_TRIGGERS.items():
        op.execute(
            f"CREATE FUNCTION search_{table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "DECLARE r record; BEGIN "
            "IF TG_OP <> 'DELETE' THEN r := NEW; PERFORM service_search_refresh(" + ids + "); END IF; "
            "IF TG_OP <> 'INSERT' THEN r := OLD; PERFORM service_search_refresh(" + ids + "); END IF; "
            "RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION search_{table}_changed()"
        )
    op.execute("SELECT service_search_refresh(ARRAY(SELECT id FROM service))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER search_{table}_changed ON {table}")
            op.execute(f"DROP FUNCTION search_{table}_changed()")
        op.execute("DROP FUNCTION service_search_refresh(integer[])")
        op.drop_table("service_search")
        op.execute("DROP TEXT SEARCH CONFIGURATION directory_search")
    else:
        for table, operation, _ in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER search_{table}_{operation}")
        op.execute("DROP TRIGGER search_service_delete")
        op.execute("DROP TABLE service_search_terms")
        op.execute("DROP TABLE service_search")
    op.drop_table("search_label")
