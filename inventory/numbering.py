"""Stocktake numbers (PD-2026-0001): per calendar year, gapless, like the
disposal lists' (the year's stocktakes are all accounted for, R-INV-1).
The pattern is disposal.numbering's; inventory does not import disposal."""
from django.db import transaction

from inventory.models import StocktakeCounter

STOCKTAKE_NUMBER_PREFIX = "PD"  # 盘点


def format_stocktake_number(year, number):
    return f"{STOCKTAKE_NUMBER_PREFIX}-{year}-{number:04d}"


def allocate_stocktake_number(year):
    """The next stocktake number of `year`. Must run inside the transaction
    that saves the stocktake: the counter row stays locked until it
    commits, and a rollback returns the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_stocktake_number() must run inside transaction.atomic().")
    StocktakeCounter.objects.bulk_create([StocktakeCounter(year=year, last=0)], ignore_conflicts=True)
    counter = StocktakeCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_stocktake_number(year, counter.last)
