"""The retrieval index (检索工具, R-FILE-4): Chinese full-text search that finds
any substring of two or more characters, and single characters, at a million
records.

- `tokens`: how text becomes index tokens and how a query becomes a match
  expression (the same for both databases);
- `indexing`: keeps `SearchEntry` rows in step with records;
- `backends`: runs the expression on SQLite FTS5 or PostgreSQL tsvector;
- `query`: the search the portal and the benchmark use.
"""
