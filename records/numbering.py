"""Archive numbers (档号, R-FILE-5): orderly, unique and gap-free."""
from django.db import transaction

from records.models import ArchiveSequence, Policy
from records.models.choices import retention_code


def allocate_item_number(category, year):
    """The next item number for a category and year.

    Must run inside the transaction that files the record: the sequence row
    stays locked until it commits (select_for_update on PostgreSQL; SQLite's
    IMMEDIATE transactions serialise writers), and a rollback returns the
    number, so numbers have no gaps."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_item_number() must run inside transaction.atomic().")
    # INSERT ... ON CONFLICT DO NOTHING: two first filings of a year cannot
    # both create the row; the loser waits for the winner, then finds it.
    ArchiveSequence.objects.bulk_create(
        [ArchiveSequence(category=category, year=year, last_item=0)], ignore_conflicts=True
    )
    sequence = ArchiveSequence.objects.select_for_update().get(category=category, year=year)
    sequence.last_item += 1
    sequence.save(update_fields=["last_item"])
    return sequence.last_item


def format_archive_number(*, category, year, retention_years, item, policy=None):
    policy = policy or Policy.current()
    return policy.archive_number_pattern.format(
        fonds=policy.fonds_code,
        category=category.code,
        year=year,
        retention=retention_code(retention_years),
        unit=policy.unit_code,
        item=item,
    )
