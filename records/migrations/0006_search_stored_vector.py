from django.db import migrations

from records.search.sql import store_vector, unstore_vector


class Migration(migrations.Migration):
    dependencies = [("records", "0005_lending_policy_values")]

    operations = [migrations.RunPython(store_vector, unstore_vector)]
