"""Runs a match expression (records.search.tokens) on the database in use.

SQLite: the FTS5 table records_search_fts (rowid = record id).
PostgreSQL: to_tsvector('simple', tokens) @@ to_tsquery('simple', …), served
by a GIN index over the same expression."""
from django.db import connection

from records.search.tokens import All, Any, Marker, Term, Without

# Relevance is computed over the newest matches only: ranking every match of
# a one-character query at a million records costs ~0.5 s (bm25 for 270,000
# rows); the newest few thousand carry what a reader looks for.
RANK_WINDOW = 5000


class Order:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    DATE = "date"


def render_fts5(node):
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.tokens) + '"'
        return phrase + "*" if node.prefix else phrase
    if isinstance(node, Marker):
        return f'"{node.token}"'
    if isinstance(node, All):
        return "(" + " AND ".join(render_fts5(part) for part in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " OR ".join(render_fts5(part) for part in node.parts) + ")"
    if isinstance(node, Without):
        excluded = " OR ".join(render_fts5(part) for part in node.excluded)
        return f"({render_fts5(node.base)} NOT ({excluded}))"
    raise TypeError(f"Unknown expression node {node!r}")


def render_tsquery(node):
    if isinstance(node, Term):
        quoted = [f"'{token}'" for token in node.tokens]
        if node.prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + ")"
    if isinstance(node, Marker):
        return f"'{node.token}'"
    if isinstance(node, All):
        return "(" + " & ".join(render_tsquery(part) for part in node.parts) + ")"
    if isinstance(node, Any):
        return "(" + " | ".join(render_tsquery(part) for part in node.parts) + ")"
    if isinstance(node, Without):
        excluded = " | ".join(render_tsquery(part) for part in node.excluded)
        return f"({render_tsquery(node.base)} & !({excluded}))"
    raise TypeError(f"Unknown expression node {node!r}")


class SQLiteBackend:
    match = "records_search_fts MATCH %s"

    def render(self, node):
        return render_fts5(node)

    def count(self, expression):
        sql = f"SELECT count(*) FROM records_search_fts WHERE {self.match}"
        return _scalar(sql, [self.render(expression)])

    def ids(self, expression, *, order, limit, offset):
        rendered = self.render(expression)
        if order == Order.RELEVANCE:
            sql = (
                "SELECT rowid FROM (SELECT rowid, bm25(records_search_fts) AS score "
                f"FROM records_search_fts WHERE {self.match} ORDER BY rowid DESC LIMIT %s) "
                "ORDER BY score, rowid DESC LIMIT %s OFFSET %s"
            )
            return _column(sql, [rendered, RANK_WINDOW, limit, offset])
        if order == Order.DATE:
            sql = (
                "SELECT r.id FROM records_record r WHERE r.id IN "
                f"(SELECT rowid FROM records_search_fts WHERE {self.match}) "
                "ORDER BY r.document_date IS NULL, r.document_date DESC, r.id DESC LIMIT %s OFFSET %s"
            )
            return _column(sql, [rendered, limit, offset])
        sql = f"SELECT rowid FROM records_search_fts WHERE {self.match} ORDER BY rowid DESC LIMIT %s OFFSET %s"
        return _column(sql, [rendered, limit, offset])


class PostgresBackend:
    match = "to_tsvector('simple', tokens) @@ to_tsquery('simple', %s)"

    def render(self, node):
        return render_tsquery(node)

    def count(self, expression):
        sql = f"SELECT count(*) FROM records_searchentry WHERE {self.match}"
        return _scalar(sql, [self.render(expression)])

    def ids(self, expression, *, order, limit, offset):
        rendered = self.render(expression)
        if order == Order.RELEVANCE:
            sql = (
                "SELECT record_id FROM (SELECT record_id, ts_rank(to_tsvector('simple', tokens), "
                "to_tsquery('simple', %s)) AS score "
                f"FROM records_searchentry WHERE {self.match} ORDER BY record_id DESC LIMIT %s) AS newest "
                "ORDER BY score DESC, record_id DESC LIMIT %s OFFSET %s"
            )
            return _column(sql, [rendered, rendered, RANK_WINDOW, limit, offset])
        if order == Order.DATE:
            sql = (
                "SELECT r.id FROM records_record r JOIN records_searchentry s ON s.record_id = r.id "
                f"WHERE {self.match} ORDER BY r.document_date DESC NULLS LAST, r.id DESC LIMIT %s OFFSET %s"
            )
            return _column(sql, [rendered, limit, offset])
        sql = (
            f"SELECT record_id FROM records_searchentry WHERE {self.match} "
            "ORDER BY record_id DESC LIMIT %s OFFSET %s"
        )
        return _column(sql, [rendered, limit, offset])


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
