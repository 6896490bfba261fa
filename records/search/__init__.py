"""The retrieval index (检索工具, R-FILE-4): bilingual full-text search that
finds any substring of two or more Chinese characters, single characters and
word prefixes, at a million records, showing each user only what they may see.

The interface (everything outside this package imports from here):

- `search_records(user, text, filters=Filters(...), order=Order...)`: a lazy,
  pageable result for one user; `has_criteria(text, filters)` says whether
  there is anything to search on.
- `index_records(record_ids, trees=…)`: re-index these records, inside the
  transaction that changed them; saves of records, attachments, classes and
  locations do it by themselves; bulk writes call it (with the class and
  location trees read once by `read_trees()` when indexing many batches).
- `register_text_provider(provider)`: another app's text found with a
  record (client names, contract parties), registered in its ready().
- `rebuild_index(batch_size=…, progress=…)`: index every record again
  (the rebuild_search_index command); rewrites only what changed and
  compacts the index at the end, so its size stays the same.

The engine: `tokens` turns text into bigram and word tokens and a query into
a match expression; `indexing` keeps one `SearchEntry` per record (the text
it is indexed by); `storage` writes the tokens, stored once, in SQLite FTS5 or
a PostgreSQL tsvector and compacts them; `backends` runs the expression on
them (`sql` holds their DDL, used by migrations); `query` ranks title matches
first and reads each page through `visible_records`, so the index can never
reveal a record.
"""
from records.search.backends import Order
from records.search.indexing import BATCH_SIZE, index_records, read_trees, rebuild_index
from records.search.providers import register_text_provider
from records.search.query import Filters, has_criteria, search_records

__all__ = [
    "BATCH_SIZE",
    "Filters",
    "Order",
    "has_criteria",
    "index_records",
    "read_trees",
    "rebuild_index",
    "register_text_provider",
    "search_records",
]
