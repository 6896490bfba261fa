"""What PostgreSQL's stored search vector holds beyond the tokens, and why.

A GIN index answers `search_vector @@ query` with a bitmap of every match,
built whole before the first row is read: for a term in a fifth of a million
records that alone took ~35 ms, two or three times a search (the capped
count, the matches in the title, the others). Two additions make the lists
it reads short:

- Buckets. Each vector carries its record's bucket (`zzbk19`: ids
  950,000–999,999). Newest first is what the search shows, so a search asks
  for `query & (zzbk20 | zzbk19)` first: GIN then steps through a frequent
  term's long list only where the buckets' short lists point, and a frequent
  term has its page and its capped count from the newest records alone.
  While a bucket holds at least half of what is still missing the next is
  read; otherwise what is missing is asked of everything older at once
  (records.search.backends).
- The title again. The title's tokens are also stored under TITLE_PREFIX
  (`zzt合同`), so "in the title" (the first rank) reads the short lists of
  titles instead of every mention and its weight.

SQLite's FTS5 needs neither: it walks its lists in rowid order, stops after
a page (records.search.backends) and has a title column of its own.
"""
from records.search.tokens import MARKER_PREFIX, Any, Marker, marker

# Migration 0021 stored both in every vector: a change of either needs a
# migration that writes every vector again (a rebuild rewrites only the
# entries whose text changed).
BUCKET_SIZE = 50_000
TITLE_PREFIX = MARKER_PREFIX + "t"


def bucket_token(record_id):
    return marker("bk", record_id // BUCKET_SIZE)


def title_tokens(tokens):
    return [TITLE_PREFIX + token for token in tokens]


def newest_buckets(max_record_id):
    """The buckets holding records up to `max_record_id`, newest first, in
    groups: the newest bucket (with its elder neighbour while it is less
    than half full), then one bucket at a time down to bucket 1. Nothing
    while two buckets would hold everything: bucket 0 is always read with
    the rest (the search asks for what lies below the buckets it read)."""
    top = max_record_id // BUCKET_SIZE
    lowest = top - 1 if max_record_id % BUCKET_SIZE < BUCKET_SIZE // 2 else top
    if lowest <= 0:
        return
    yield tuple(range(top, lowest - 1, -1))
    for number in range(lowest - 1, 0, -1):
        yield (number,)


def bucket_start(number):
    return number * BUCKET_SIZE


def in_buckets(numbers):
    return Any(tuple(Marker(marker("bk", number)) for number in numbers))
