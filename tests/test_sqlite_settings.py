"""SQLite runs in WAL mode with IMMEDIATE transactions.

Measured in shared/docs/pitfalls.md: with the default DEFERRED transactions,
concurrent read-then-write transactions fail with "database is locked"; with
BEGIN IMMEDIATE and WAL they queue on the busy timeout instead.
"""
import sqlite3

import pytest
from django.conf import settings
from django.db import connection, transaction

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings only")


@pytest.mark.django_db
def test_connection_uses_wal_journal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_settings_ask_for_immediate_transactions():
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_atomic_block_takes_the_write_lock_before_any_write():
    connection.ensure_connection()
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        with transaction.atomic():
            # Nothing has been written yet: only BEGIN IMMEDIATE holds the lock now.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()
