"""Contracts sorted by counterparty sort in pinyin order, as clients do
(issue 15): a stored sort key of the counterparty's name, existing
contracts keyed."""
from django.db import migrations

import core.pinyin


def key_existing_contracts(apps, schema_editor):
    core.pinyin.fill_pinyin_keys(
        apps.get_model("contracts", "Contract"),
        lambda contract: core.pinyin.pinyin_key(contract.counterparty_name),
        fields=["counterparty_name"],
        key_field="counterparty_sort_key",
    )


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0003_amount_copies_and_date_ranges'),
    ]

    operations = [
        migrations.AddField(
            model_name='contract',
            name='counterparty_sort_key',
            field=core.pinyin.PinyinKeyField(db_index=True, source='counterparty_name', verbose_name='pinyin sort key'),
        ),
        migrations.RunPython(key_existing_contracts, migrations.RunPython.noop, elidable=True),
    ]
