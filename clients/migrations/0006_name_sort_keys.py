"""Clients and their contacts are listed in pinyin order (issue 15): a
stored sort key of each name, existing rows keyed."""
from django.db import migrations

import core.pinyin


def key_existing_clients(apps, schema_editor):
    core.pinyin.fill_pinyin_keys(
        apps.get_model("clients", "Client"),
        # Client.names_a_person: an agent trading in their own name.
        lambda client: core.pinyin.pinyin_key(client.name, person=bool(client.gender) or client.age is not None),
        fields=["name", "gender", "age"],
    )
    core.pinyin.fill_pinyin_keys(
        apps.get_model("clients", "ClientContact"),
        lambda contact: core.pinyin.pinyin_key(contact.name, person=True),
        fields=["name"],
    )


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0005_age_and_date_ranges'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='client',
            options={'ordering': ['name_sort_key', 'name', 'pk'], 'permissions': [('view_client_data', "Can see clients' personal data unmasked")], 'verbose_name': 'client', 'verbose_name_plural': 'clients'},
        ),
        migrations.AlterModelOptions(
            name='clientcontact',
            options={'ordering': ['client', '-is_active', 'name_sort_key', 'name', 'pk'], 'verbose_name': 'client contact', 'verbose_name_plural': 'client contacts'},
        ),
        migrations.AddField(
            model_name='client',
            name='name_sort_key',
            field=core.pinyin.PinyinKeyField(db_index=True, person='names_a_person', source='name', verbose_name='pinyin sort key'),
        ),
        migrations.AddField(
            model_name='clientcontact',
            name='name_sort_key',
            field=core.pinyin.PinyinKeyField(db_index=True, person=True, source='name', verbose_name='pinyin sort key'),
        ),
        migrations.RunPython(key_existing_clients, migrations.RunPython.noop, elidable=True),
    ]
