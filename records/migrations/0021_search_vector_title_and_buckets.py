"""PostgreSQL: every stored search vector also holds the title's tokens under
a title prefix and its record's bucket (records.search.pg_vector), so that
"in the title" and "newest first" read short lists. The index is dropped
while the vectors are written again from the entries' texts, in batches
that each commit, with VACUUM after each tenth so the table does not double,
and built after with enough memory to come out compact: at a million records
a few minutes in all. The version still running meanwhile finds what it
found before (it asks for none of the added lexemes), slowly while the
index is missing. Nothing to do on SQLite. Going back needs nothing: the
earlier searches never ask for the added lexemes."""
from django.db import migrations

from records.search.sql import POSTGRES_CREATE_VECTOR_INDEX


def rewrite_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from records.search.storage import PostgresStore, build_index

    schema_editor.execute("DROP INDEX IF EXISTS records_search_vector")
    PostgresStore().rewrite_vectors()
    with schema_editor.connection.cursor() as cursor:
        build_index(cursor, POSTGRES_CREATE_VECTOR_INDEX)


class Migration(migrations.Migration):
    # Each batch of vectors commits and VACUUM runs between them
    # (records.search.storage.PostgresStore.rewrite_vectors).
    atomic = False
    dependencies = [("records", "0020_attachment_ocr")]

    operations = [migrations.RunPython(rewrite_vectors, migrations.RunPython.noop)]
