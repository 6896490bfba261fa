"""Runs a match expression (records.search.tokens) on the database in use.

SQLite: the FTS5 table records_search_fts (rowid = record id; columns
title_tokens and tokens). PostgreSQL: a tsvector whose title lexemes carry
weight A (a stored column, search_vector), @@ to_tsquery('simple', …), served
by a GIN index (records.search.sql)."""
from django.db import connection

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


def render_tsquery(node, weight=""):
    if isinstance(node, Term):
        quoted = [f"'{token}'" + (f":{weight}" if weight else "") for token in node.tokens]
        if node.prefix:
            quoted[-1] = f"'{node.tokens[-1]}':*{weight}"
        return "(" + " <-> ".join(quoted) + ")"
    if isinstance(node, Marker):
        return f"'{node.token}'"
    if isinstance(node, InTitle):
        return render_tsquery(node.node, weight="A")
    if isinstance(node, All):
        return "(" + " & ".join(render_tsquery(part, weight) for part in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " | ".join(render_tsquery(part, weight) for part in node.parts) + ")"
    if isinstance(node, Without):
        excluded = " | ".join(render_tsquery(part, weight) for part in node.excluded)
        return f"({render_tsquery(node.base, weight)} & !({excluded}))"
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
    match = "search_vector @@ to_tsquery('simple', %s)"

    def render(self, node):
        return render_tsquery(node)

    def count(self, expression, limit=None):
        if limit is None:
            return _scalar(f"SELECT count(*) FROM records_searchentry WHERE {self.match}", [self.render(expression)])
        sql = f"SELECT 1 FROM records_searchentry WHERE {self.match} LIMIT %s"
        return _scalar(f"SELECT count(*) FROM ({sql}) AS matches", [self.render(expression), limit])

    #: Up to this many matches are fetched whole and sorted here.
    FEW_MATCHES = 10_000

    def newest_ids(self, expression, *, limit, offset=0):
        """The planner walks the primary key backwards and filters each row:
        instant when matches are frequent, a scan of the whole table when
        they are rare (a title match of a term found only in archive numbers,
        ~1 s at a million records). So the matches are first read through
        the GIN index, stopping after FEW_MATCHES; fewer than that are
        sorted here, more are frequent enough for the backward walk."""
        query = self.render(expression)
        few = _column(
            f"SELECT record_id FROM records_searchentry WHERE {self.match} LIMIT %s", [query, self.FEW_MATCHES + 1]
        )
        if len(few) <= self.FEW_MATCHES:
            return sorted(few, reverse=True)[offset : offset + limit]
        sql = (
            f"SELECT record_id FROM records_searchentry WHERE {self.match} "
            "ORDER BY record_id DESC LIMIT %s OFFSET %s"
        )
        return _column(sql, [query, limit, offset])

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
