"""People are listed in pinyin order (issue 15): a stored sort key of the
name a person is shown by (User.display_name), existing accounts keyed."""
from django.db import migrations

import core.pinyin


def _display_name(user):
    """User.display_name (a migration's model has no properties)."""
    return user.full_name or f"{user.first_name} {user.last_name}".strip() or user.username


def key_existing_users(apps, schema_editor):
    core.pinyin.fill_pinyin_keys(
        apps.get_model("accounts", "User"),
        lambda user: core.pinyin.pinyin_key(_display_name(user), person=True),
        fields=["full_name", "first_name", "last_name", "username"],
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_notice'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': ['name_sort_key', 'username'], 'verbose_name': 'user', 'verbose_name_plural': 'users'},
        ),
        migrations.AddField(
            model_name='user',
            name='name_sort_key',
            field=core.pinyin.PinyinKeyField(db_index=True, person=True, source='display_name', verbose_name='pinyin sort key'),
        ),
        migrations.RunPython(key_existing_users, migrations.RunPython.noop, elidable=True),
    ]
