"""List numbers (XH-2026-0001): per calendar year, gapless (R-DISP-3: the
record of what was destroyed is complete, so a missing number would be a
question nobody can answer)."""
from django.db import transaction

from disposal.models import ListCounter

LIST_NUMBER_PREFIX = "XH"  # 销毁 / 鉴定


def format_list_number(year, number):
    return f"{LIST_NUMBER_PREFIX}-{year}-{number:04d}"


def allocate_list_number(year):
    """The next list number of `year`. Must run inside the transaction that
    saves the list: the counter row stays locked until it commits
    (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions let
    one writer in at a time), and a rollback returns the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_list_number() must run inside transaction.atomic().")
    # INSERT ... ON CONFLICT DO NOTHING: two first lists of a year cannot
    # both create the row; the second waits for the first, then finds it.
    ListCounter.objects.bulk_create([ListCounter(year=year, last=0)], ignore_conflicts=True)
    counter = ListCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_list_number(year, counter.last)
