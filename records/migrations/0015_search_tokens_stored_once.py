"""The search index's tokens stored once (issue 11): entries keep the text the
tokens come from instead of the tokens, the index (a contentless FTS5 table on
SQLite, a plain tsvector column on PostgreSQL) holds the tokens, and every
record is indexed again into it."""
from django.db import DatabaseError, migrations, models, transaction

from records.search.sql import (
    create_contentless_index,
    drop_contentless_index,
    drop_tokens_index,
    restore_tokens_index,
)


def index_every_record(apps, schema_editor):
    """Derived data, so built with today's indexing code (nothing to do on a
    new database). Should that code one day need columns a later migration
    adds, the index is left empty and `manage.py rebuild_search_index` fills it."""
    from records.search import rebuild_index

    try:
        with transaction.atomic():
            rebuild_index()
    except DatabaseError as error:
        print(f"\n  Search index left empty ({error}); run manage.py rebuild_search_index.")


class Migration(migrations.Migration):
    dependencies = [("records", "0014_newest_first_indexes")]

    operations = [
        migrations.RunPython(drop_tokens_index, restore_tokens_index),
        migrations.RemoveField(model_name="searchentry", name="title_tokens"),
        migrations.RemoveField(model_name="searchentry", name="tokens"),
        migrations.AddField(model_name="searchentry", name="title_text", field=models.TextField(default="")),
        migrations.AddField(model_name="searchentry", name="body_text", field=models.TextField(default="")),
        migrations.RunPython(create_contentless_index, drop_contentless_index),
        migrations.RunPython(index_every_record, migrations.RunPython.noop),
    ]
