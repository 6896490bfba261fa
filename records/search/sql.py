"""DDL of the full-text index beside records_searchentry, per database.

Two columns: the title's tokens (a title match ranks first) and the rest.
Since migration 0015 the tokens are stored once, in the index, written by
records.search.storage: SQLite: a contentless FTS5 table whose rowid is the
record id. PostgreSQL: a tsvector column whose title lexemes carry weight A,
served by a GIN index; 'simple' keeps every token as it is, which is what the
pre-tokenised text needs. Migrations 0003 and 0006 built the earlier layout
(tokens also kept as text on each entry) and still run on a new database."""

POSTGRES_VECTOR = (
    "(setweight(to_tsvector('simple', title_tokens), 'A') || to_tsvector('simple', tokens))"
)

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE records_search_fts USING fts5(
        title_tokens, tokens, content='records_searchentry', content_rowid='record_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER records_search_ai AFTER INSERT ON records_searchentry BEGIN
        INSERT INTO records_search_fts(rowid, title_tokens, tokens)
        VALUES (new.record_id, new.title_tokens, new.tokens);
    END""",
    """CREATE TRIGGER records_search_ad AFTER DELETE ON records_searchentry BEGIN
        INSERT INTO records_search_fts(records_search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.record_id, old.title_tokens, old.tokens);
    END""",
    """CREATE TRIGGER records_search_au AFTER UPDATE ON records_searchentry BEGIN
        INSERT INTO records_search_fts(records_search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.record_id, old.title_tokens, old.tokens);
        INSERT INTO records_search_fts(rowid, title_tokens, tokens)
        VALUES (new.record_id, new.title_tokens, new.tokens);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS records_search_au",
    "DROP TRIGGER IF EXISTS records_search_ad",
    "DROP TRIGGER IF EXISTS records_search_ai",
    "DROP TABLE IF EXISTS records_search_fts",
]

POSTGRES_CREATE = [
    f"CREATE INDEX records_search_tsv ON records_searchentry USING gin ({POSTGRES_VECTOR})",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS records_search_tsv"]


def create_index(apps, schema_editor):
    _run(schema_editor, SQLITE_CREATE, POSTGRES_CREATE)


def drop_index(apps, schema_editor):
    _run(schema_editor, SQLITE_DROP, POSTGRES_DROP)


def _run(schema_editor, sqlite_statements, postgres_statements):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_statements, "postgresql": postgres_statements}.get(vendor)
    if statements is None:
        raise RuntimeError(f"The search index supports SQLite and PostgreSQL, not {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


# Migration 0006: rechecking a phrase or an exclusion against the expression
# index re-parsed the token text of every candidate row (seconds at a million
# records); a stored generated column keeps the parsed vector on the row.
POSTGRES_STORED_VECTOR = [
    "DROP INDEX IF EXISTS records_search_tsv",
    f"ALTER TABLE records_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS {POSTGRES_VECTOR} STORED",
    "CREATE INDEX records_search_vector ON records_searchentry USING gin (search_vector)",
]
POSTGRES_STORED_VECTOR_REVERSE = [
    "DROP INDEX IF EXISTS records_search_vector",
    "ALTER TABLE records_searchentry DROP COLUMN IF EXISTS search_vector",
    *POSTGRES_CREATE,
]


def store_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_STORED_VECTOR:
            schema_editor.execute(statement)


def unstore_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_STORED_VECTOR_REVERSE:
            schema_editor.execute(statement)


# Migration 0015: the tokens stored once. Before it, each entry also kept its
# tokens as text (the FTS5 table's external content; the source of the
# PostgreSQL generated column): more than the index itself, and every rebuild
# rewrote every entry, leaving a stale copy of each token in the index.
POSTGRES_VECTOR_OF_TOKENS = "(setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s))"

# The triggers call records_search_tokens(text), registered on every SQLite
# connection Django opens (records.search.storage): the tokens are made from
# the entry's text by the one function that made them, so the index is given
# back exactly what it holds when a row goes (a flush, a cascade, a rebuild).
SQLITE_TOKENS_FUNCTION = "records_search_tokens"
SQLITE_CONTENTLESS = [
    """CREATE VIRTUAL TABLE records_search_fts USING fts5(
        title_tokens, tokens, content='', tokenize='unicode61 remove_diacritics 0'
    )""",
]
SQLITE_TEXT_TRIGGERS = [
    """CREATE TRIGGER records_search_ai AFTER INSERT ON records_searchentry BEGIN
        INSERT INTO records_search_fts(rowid, title_tokens, tokens)
        VALUES (new.record_id, records_search_tokens(new.title_text), records_search_tokens(new.body_text));
    END""",
    """CREATE TRIGGER records_search_ad AFTER DELETE ON records_searchentry BEGIN
        INSERT INTO records_search_fts(records_search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.record_id, records_search_tokens(old.title_text), records_search_tokens(old.body_text));
    END""",
    """CREATE TRIGGER records_search_au AFTER UPDATE ON records_searchentry BEGIN
        INSERT INTO records_search_fts(records_search_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.record_id, records_search_tokens(old.title_text), records_search_tokens(old.body_text));
        INSERT INTO records_search_fts(rowid, title_tokens, tokens)
        VALUES (new.record_id, records_search_tokens(new.title_text), records_search_tokens(new.body_text));
    END""",
]
SQLITE_TEXT_TRIGGERS_DROP = SQLITE_DROP[:3]

POSTGRES_CREATE_VECTOR_INDEX = "CREATE INDEX records_search_vector ON records_searchentry USING gin (search_vector)"
POSTGRES_VECTOR_COLUMN = [
    "ALTER TABLE records_searchentry ADD COLUMN search_vector tsvector",
    POSTGRES_CREATE_VECTOR_INDEX,
]
POSTGRES_VECTOR_COLUMN_DROP = [
    "DROP INDEX IF EXISTS records_search_vector",
    "ALTER TABLE records_searchentry DROP COLUMN IF EXISTS search_vector",
]


def drop_tokens_index(apps, schema_editor):
    """Before the entries lose their token columns: the index built on them."""
    _run(schema_editor, SQLITE_DROP, POSTGRES_VECTOR_COLUMN_DROP)
    schema_editor.execute("DELETE FROM records_searchentry")


def restore_tokens_index(apps, schema_editor):
    """Back to 0014's layout, empty: rebuild_search_index of that version fills it."""
    _run(schema_editor, SQLITE_CREATE, POSTGRES_STORED_VECTOR[1:])


def create_contentless_index(apps, schema_editor):
    _run(schema_editor, SQLITE_CONTENTLESS + SQLITE_TEXT_TRIGGERS, POSTGRES_VECTOR_COLUMN)


def drop_contentless_index(apps, schema_editor):
    _run(schema_editor, SQLITE_DROP, POSTGRES_VECTOR_COLUMN_DROP)
    schema_editor.execute("DELETE FROM records_searchentry")
