"""Where the tokens live: the writes to the full-text index, per database,
and its compaction after a rebuild.

The tokens are stored once, in the index. A `SearchEntry` keeps the indexed
text they come from (records.search.tokens.indexed_text), a quarter of their
size for Chinese. SQLite 3.40's contentless FTS5 table forgets a row only when
given the tokens it was indexed with: its triggers (records.search.sql) make
them from the entry's text with `records_search_tokens`, which every SQLite
connection gets here. An entry whose text has not changed is not written at
all, so a rebuild that finds nothing new leaves the index as it was.
"""
from django.db import connection, connections, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone

from records.models import SearchEntry
from records.search.pg_vector import bucket_token, title_tokens
from records.search.sql import (
    POSTGRES_VECTOR_OF_TOKENS,
    SQLITE_TEXT_TRIGGERS,
    SQLITE_TEXT_TRIGGERS_DROP,
    SQLITE_TOKENS_FUNCTION,
)
from records.search.tokens import indexed_tokens

# SQLite: VACUUM after a rebuild once free pages are this share of the file.
# PostgreSQL: VACUUM during a rebuild after each such share of the entries
# is rewritten, and REINDEX after it once it rewrote that share.
COMPACT_SHARE = 0.10
# PostgreSQL: maintenance memory while the GIN index is built. With the
# default 64 MB the index of a million records came out half as large again
# (361 against 242 MB) and answered two to three times slower.
INDEX_BUILD_MEMORY = "256MB"


def tokens_of(text):
    """An entry's text as the index's tokens, space-separated."""
    return " ".join(indexed_tokens(text or ""))


def vector_tokens(record_id, title, body):
    """PostgreSQL: the tokens of an entry's vector, (title part, the rest):
    the rest begins with the title's tokens again under the title prefix
    and ends with the record's bucket (records.search.pg_vector)."""
    title_part = indexed_tokens(title or "")
    rest = [*title_tokens(title_part), *indexed_tokens(body or ""), bucket_token(record_id)]
    return " ".join(title_part), " ".join(rest)


def register_tokens_function():
    """Every SQLite connection, those already open included, can make the
    index's tokens (its triggers need them)."""
    connection_created.connect(_add_tokens_function, dispatch_uid="records.search.tokens_function")
    for open_connection in connections.all(initialized_only=True):
        if open_connection.connection is not None:
            _add_tokens_function(None, open_connection)


def _add_tokens_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_TOKENS_FUNCTION, 1, tokens_of, deterministic=True)


def save_entries(texts, *, new=False):
    """Store `{record_id: (title_text, body_text)}`; write only the entries
    whose text changed and return how many (in one transaction: what is
    compared is what is replaced). `new`: records just created, without
    entries: all are written, none read first."""
    if new:
        if texts:
            _store().write(texts)
        return len(texts)
    with transaction.atomic():
        stored = {
            pk: (title, body)
            for pk, title, body in SearchEntry.objects.filter(pk__in=list(texts)).values_list(
                "record_id", "title_text", "body_text"
            )
        }
        changed = {pk: text for pk, text in texts.items() if stored.get(pk) != text}
        if changed:
            _store().write(changed)
    return len(changed)


def clear():
    """Empty the index and every entry (a rebuild from scratch)."""
    _store().clear()


def reclaim():
    """While a rebuild rewrites many entries: on PostgreSQL, make the space
    of the entries rewritten so far reusable by the next ones (VACUUM), so a
    rebuild that rewrites everything leaves a table about a tenth larger,
    not twice as large. Nothing to do on SQLite (FTS5 merges as it goes)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM records_searchentry")


def compact(*, rewritten, total):
    """After a rebuild: merge the index into one compact structure and give
    the freed space back (R-FILE-4 search stays fast after any number of
    rebuilds). VACUUM and REINDEX CONCURRENTLY cannot run inside a
    transaction: inside one (a test, a migration) only the merge runs."""
    _store().compact(rewritten=rewritten, total=total, in_transaction=connection.in_atomic_block)


class SQLiteStore:
    fts = "records_search_fts"
    # The triggers put the tokens in the index (and take the old ones out).
    upsert = (
        "INSERT INTO records_searchentry (record_id, title_text, body_text, indexed_at) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (record_id) DO UPDATE SET title_text = excluded.title_text, "
        "body_text = excluded.body_text, indexed_at = excluded.indexed_at"
    )

    def write(self, changed):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.executemany(self.upsert, [(pk, title, body, now) for pk, (title, body) in changed.items()])

    def clear(self):
        # Without the delete trigger: after a change of how text becomes
        # tokens, the tokens made now are not the ones the index holds.
        with connection.cursor() as cursor:
            for statement in SQLITE_TEXT_TRIGGERS_DROP:
                cursor.execute(statement)
            cursor.execute("DELETE FROM records_searchentry")
            cursor.execute(f"INSERT INTO {self.fts} ({self.fts}) VALUES ('delete-all')")
            for statement in SQLITE_TEXT_TRIGGERS:
                cursor.execute(statement)

    def compact(self, *, rewritten, total, in_transaction):
        if not rewritten:
            return
        with connection.cursor() as cursor:
            # One segment, deleted rows dropped: the stale copy of every
            # rewritten token goes (it doubled the index on each rebuild).
            cursor.execute(f"INSERT INTO {self.fts} ({self.fts}) VALUES ('optimize')")
            if in_transaction:
                return
            cursor.execute("SELECT freelist_count, page_count FROM pragma_freelist_count, pragma_page_count")
            free, pages = cursor.fetchone()
            if free > COMPACT_SHARE * pages:
                cursor.execute("VACUUM")
                # In WAL mode VACUUM writes the whole file through the log.
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class PostgresStore:
    upsert = (
        "INSERT INTO records_searchentry (record_id, title_text, body_text, indexed_at, search_vector) "
        f"VALUES (%s, %s, %s, %s, {POSTGRES_VECTOR_OF_TOKENS}) "
        "ON CONFLICT (record_id) DO UPDATE SET title_text = EXCLUDED.title_text, "
        "body_text = EXCLUDED.body_text, indexed_at = EXCLUDED.indexed_at, search_vector = EXCLUDED.search_vector"
    )

    def write(self, changed):
        now = timezone.now()
        rows = [
            (pk, title, body, now, *vector_tokens(pk, title, body)) for pk, (title, body) in changed.items()
        ]
        with connection.cursor() as cursor:
            cursor.executemany(self.upsert, rows)

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM records_searchentry")

    def compact(self, *, rewritten, total, in_transaction):
        if not rewritten:
            return
        with connection.cursor() as cursor:
            if in_transaction:
                cursor.execute("ANALYZE records_searchentry")
                return
            # Dead row versions of the rewritten entries become free space
            # (and the GIN index's pending list is merged).
            cursor.execute("VACUUM (ANALYZE) records_searchentry")
            if rewritten >= COMPACT_SHARE * total:
                # A GIN index does not shrink by VACUUM; rebuilt without
                # blocking searches or saves.
                build_index(cursor, "REINDEX INDEX CONCURRENTLY records_search_vector")

    rewrite = f"UPDATE records_searchentry SET search_vector = {POSTGRES_VECTOR_OF_TOKENS} WHERE record_id = %s"

    def rewrite_vectors(self, batch=2000):
        """Every entry's vector made again from its texts (after a change
        of what a vector holds; records.search.pg_vector). Outside a
        transaction each batch commits, and after each COMPACT_SHARE of the
        entries VACUUM makes the old versions' space reusable: the table
        grows by about that share, not by all of it."""
        total = SearchEntry.objects.count()
        last, since_vacuum = 0, 0
        while True:
            entries = list(
                SearchEntry.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("record_id", "title_text", "body_text")[:batch]
            )
            if not entries:
                return
            rows = [(*vector_tokens(pk, title, body), pk) for pk, title, body in entries]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(self.rewrite, rows)
            last, since_vacuum = entries[-1][0], since_vacuum + len(entries)
            if since_vacuum >= COMPACT_SHARE * total:
                reclaim()
                since_vacuum = 0


def build_index(cursor, statement):
    """Run CREATE INDEX or REINDEX of the GIN index with INDEX_BUILD_MEMORY."""
    cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    try:
        cursor.execute(statement)
    finally:
        cursor.execute("RESET maintenance_work_mem")


def _store():
    if connection.vendor == "sqlite":
        return SQLiteStore()
    if connection.vendor == "postgresql":
        return PostgresStore()
    raise RuntimeError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")
