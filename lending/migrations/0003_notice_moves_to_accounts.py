"""Notices move to accounts (accounts 0005), table and rows included: only
lending's migration state forgets the model; the table lending_notice
stays, now accounts.Notice's."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("lending", "0002_lending_policy"),
        ("accounts", "0005_notice"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="notice", name="notice_unread"),
                migrations.DeleteModel(name="Notice"),
            ],
            database_operations=[],
        ),
    ]
