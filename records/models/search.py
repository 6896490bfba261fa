from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.record import Record


class SearchEntry(models.Model):
    """One row per record: the tokens the retrieval index (R-FILE-4) holds.

    The full-text index itself lives beside this table and is kept in step by
    the database: an FTS5 table with triggers on SQLite, a GIN index over
    the tokens' tsvector on PostgreSQL (records/search/sql.py). Rows are
    written only by records.search.indexing."""

    record = models.OneToOneField(
        Record, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title_tokens = models.TextField(default="")
    tokens = models.TextField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        default_permissions = ()

    def __str__(self):
        return f"search entry of record {self.record_id}"
