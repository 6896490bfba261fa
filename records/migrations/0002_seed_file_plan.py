from django.db import migrations


def seed(apps, schema_editor):
    from records.file_plan import seed_file_plan

    seed_file_plan(apps.get_model("records", "Category"))


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
