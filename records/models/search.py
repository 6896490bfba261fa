from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.record import Record


class SearchEntry(models.Model):
    """One row per record: the text the retrieval index (R-FILE-4) holds it by.

    The tokens themselves are stored once, in the full-text index beside this
    table: a contentless FTS5 table on SQLite, a tsvector column with a GIN
    index on PostgreSQL (records/search/sql.py). The entry keeps the text they
    were made from (normalised words and Chinese runs, not the tokens): SQLite's
    index forgets a row only when given its tokens again, and an unchanged text
    is not rewritten. Rows are written only by records.search.storage."""

    record = models.OneToOneField(
        Record, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    title_text = models.TextField(default="")
    body_text = models.TextField(default="")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        default_permissions = ()

    def __str__(self):
        return f"search entry of record {self.record_id}"
