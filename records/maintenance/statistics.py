"""The statistics the database's query planner chooses indexes by (issue 11).

SQLite keeps none until ANALYZE runs, and without them guesses that any
indexed condition is selective: the home page then reads every catalogued
record through the status index and sorts them, instead of reading the
newest off record_newest_filed until it has twenty the user may see (with
statistics: 0.4 ms instead of about 200 ms at 100,000 records). A sampled
ANALYZE (PRAGMA analysis_limit) is not enough: its row estimates lead to
the same sort. PostgreSQL's autovacuum keeps its own statistics; ANALYZE
there only refreshes them sooner.

Migration records 0014 gathers them once; the worker gathers them again
every night (records.tasks), as the archive grows (about 0.4 s per 100,000
records on SQLite)."""
from django.db import connections


def refresh_planner_statistics(using="default"):
    """Gather the statistics of every table and index (ANALYZE)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
