"""Archive numbers (档号, R-FILE-5): orderly, unique and gap-free."""
import re

from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr

from records.models import ArchiveSequence, Handover, Policy
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


HANDOVER_NUMBER_PREFIX = "JJ"  # 交接


def allocate_prefixed_numbers(model, field, prefix, *, width, count=1):
    """The next `count` numbers of the form <prefix><n>, n zero-padded to
    `width` digits, after the highest such number `model` already holds in
    `field` (JJ-2026-0001 for handovers, KH-00001 for clients).

    The rows are never deleted, so the next number is counted from the
    existing ones under a lock; no sequence table is needed. It must run
    inside the transaction that saves the numbered rows: on PostgreSQL a
    transaction-scoped advisory lock per prefix keeps two writers from taking
    the same number; SQLite runs every transaction of this site as BEGIN
    IMMEDIATE (settings.SQLITE_OPTIONS), which lets one writer in at a time.
    A rollback releases the numbers with the lock, so numbers stay gap-free.
    Values of `field` that are not <prefix><digits> (a client number typed by
    hand, say) are ignored."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_prefixed_numbers() must run inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"{model._meta.label}.{prefix}"]
            )
    last = (
        model._default_manager.filter(**{f"{field}__regex": rf"^{re.escape(prefix)}[0-9]+$"})
        .annotate(sequence=Cast(Substr(field, len(prefix) + 1), IntegerField()))
        .aggregate(last=Max("sequence"))["last"]
    ) or 0
    return [f"{prefix}{number:0{width}d}" for number in range(last + 1, last + 1 + count)]


def allocate_handover_number(year):
    """The next handover number of a year: JJ-2026-0001, JJ-2026-0002..."""
    return allocate_prefixed_numbers(Handover, "number", f"{HANDOVER_NUMBER_PREFIX}-{year}-", width=4)[0]
