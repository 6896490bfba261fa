"""Runs a match expression (records.search.tokens) on the database in use.

SQLite: the FTS5 table records_search_fts (rowid = record id; columns
title_tokens and tokens). PostgreSQL: a stored tsvector (search_vector,
records.search.pg_vector says what it holds), @@ to_tsquery('simple', …),
served by a GIN index (records.search.sql)."""
from django.db import connection

from records.search.pg_vector import bucket_start, in_buckets, newest_buckets, title_tokens
from records.search.tokens import All, Any, InTitle, Marker, Term, Without


class Order:
    # Title matches first, then the rest; newest first within each. bm25
    # over every match costs ~0.5 s for a one-character query at a million
    # records, this costs two index walks that stop after one page.
    RELEVANCE = "relevance"
    NEWEST = "newest"
    DATE = "date"


def render_fts5(node):
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.tokens) + '"'
        return phrase + "*" if node.prefix else phrase
    if isinstance(node, Marker):
        return f'"{node.token}"'
    if isinstance(node, InTitle):
        return "{title_tokens} : (" + render_fts5(node.node) + ")"
    if isinstance(node, All):
        return "(" + " AND ".join(render_fts5(part) for part in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " OR ".join(render_fts5(part) for part in node.parts) + ")"
    if isinstance(node, Without):
        excluded = " OR ".join(render_fts5(part) for part in node.excluded)
        return f"({render_fts5(node.base)} NOT ({excluded}))"
    raise TypeError(f"Unknown expression node {node!r}")


def render_tsquery(node, in_title=False):
    if isinstance(node, Term):
        tokens = title_tokens(node.tokens) if in_title else node.tokens
        quoted = [f"'{token}'" for token in tokens]
        if node.prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + ")"
    if isinstance(node, Marker):
        return f"'{node.token}'"
    if isinstance(node, InTitle):
        return render_tsquery(node.node, in_title=True)
    if isinstance(node, All):
        return "(" + " & ".join(render_tsquery(part, in_title) for part in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " | ".join(render_tsquery(part, in_title) for part in node.parts) + ")"
    if isinstance(node, Without):
        excluded = " | ".join(render_tsquery(part, in_title) for part in node.excluded)
        return f"({render_tsquery(node.base, in_title)} & !({excluded}))"
    raise TypeError(f"Unknown expression node {node!r}")


class SQLiteBackend:
    match = "records_search_fts MATCH %s"

    def render(self, node):
        return render_fts5(node)

    def count(self, expression, limit=None):
        if limit is None:
            return _scalar(f"SELECT count(*) FROM records_search_fts WHERE {self.match}", [self.render(expression)])
        sql = f"SELECT rowid FROM records_search_fts WHERE {self.match} LIMIT %s"
        return _scalar(f"SELECT count(*) FROM ({sql}) AS matches", [self.render(expression), limit])

    def newest_ids(self, expression, *, limit, offset=0):
        sql = f"SELECT rowid FROM records_search_fts WHERE {self.match} ORDER BY rowid DESC LIMIT %s OFFSET %s"
        return _column(sql, [self.render(expression), limit, offset])

    def by_date_ids(self, expression, *, limit, offset=0):
        sql = (
            "SELECT r.id FROM records_record r WHERE r.id IN "
            f"(SELECT rowid FROM records_search_fts WHERE {self.match}) "
            "ORDER BY r.document_date IS NULL, r.document_date DESC, r.id DESC LIMIT %s OFFSET %s"
        )
        return _column(sql, [self.render(expression), limit, offset])


class PostgresBackend:
    """Counts and newest-first pages read the newest records first and
    stop once they have enough (records.search.pg_vector)."""

    match = "search_vector @@ to_tsquery('simple', %s)"

    def render(self, node):
        return render_tsquery(node)

    def count(self, expression, limit=None):
        if limit is None:
            return _scalar(f"SELECT count(*) FROM records_searchentry WHERE {self.match}", [self.render(expression)])

        def count_matches(condition, params, wanted):
            sql = f"SELECT 1 FROM records_searchentry WHERE {condition} LIMIT %s"
            return range(_scalar(f"SELECT count(*) FROM ({sql}) AS matches", [*params, wanted]))

        return len(self._newest_first(expression, limit, count_matches))

    def newest_ids(self, expression, *, limit, offset=0):
        # The matches are read through the GIN index and sorted here:
        # ORDER BY … LIMIT alone invites the planner to walk the primary
        # key backwards, a scan of every row when matches are rare.
        def newest(condition, params, wanted):
            sql = (
                f"WITH matches AS MATERIALIZED (SELECT record_id FROM records_searchentry WHERE {condition}) "
                "SELECT record_id FROM matches ORDER BY record_id DESC LIMIT %s"
            )
            return _column(sql, [*params, wanted])

        return self._newest_first(expression, offset + limit, newest)[offset:]

    def _newest_first(self, expression, wanted, read):
        """What `read(condition, params, how_many)` finds, newest first,
        until `wanted` are found: bucket by bucket while a bucket holds at
        least half of what is still missing, then everything older at once
        (records.search.pg_vector)."""
        newest = _scalar("SELECT max(record_id) FROM records_searchentry", []) or 0
        found, below = [], None
        for buckets in newest_buckets(newest):
            part = read(self.match, [self.render(All((expression, in_buckets(buckets))))], wanted - len(found))
            found += part
            below = bucket_start(buckets[-1])
            missing = wanted - len(found)
            if missing <= 0:
                return found
            if 2 * len(part) < missing:
                break
        if below is None:
            return found + list(read(self.match, [self.render(expression)], wanted - len(found)))
        older = f"{self.match} AND record_id < %s"
        return found + list(read(older, [self.render(expression), below], wanted - len(found)))

    def by_date_ids(self, expression, *, limit, offset=0):
        sql = (
            "SELECT r.id FROM records_record r JOIN records_searchentry ON record_id = r.id "
            f"WHERE {self.match} ORDER BY r.document_date DESC NULLS LAST, r.id DESC LIMIT %s OFFSET %s"
        )
        return _column(sql, [self.render(expression), limit, offset])


def _scalar(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _column(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def current_backend():
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise RuntimeError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")
