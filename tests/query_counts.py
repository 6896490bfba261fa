"""Counting the SQL a page runs, at any size.

Django's CaptureQueriesContext keeps at most 9,000 queries (connection
.queries_log is a bounded deque), so a page that runs one query per row looks
constant past that size. A connection execute wrapper sees every statement.

    with count_queries() as counted:
        client.get(url)
    assert counted.total == ...
"""
import contextlib
from dataclasses import dataclass, field

from django.db import connection


@dataclass
class QueryCount:
    total: int = 0
    statements: list = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        self.total += 1
        if len(self.statements) < 200:  # enough to show what repeats when a test fails
            self.statements.append(sql)
        return execute(sql, params, many, context)


@contextlib.contextmanager
def count_queries():
    counted = QueryCount()
    with connection.execute_wrapper(counted):
        yield counted


def queries_for(client, url):
    """How many statements one GET of `url` runs; the response must be a 200."""
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counted.total
