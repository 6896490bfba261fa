"""Stocktake numbers (PD-2026-0001): per calendar year, gapless, like the
disposal lists' (the year's stocktakes are all accounted for, R-INV-1)."""
from core.models import next_in_year
from inventory.models import StocktakeCounter

STOCKTAKE_NUMBER_PREFIX = "PD"  # 盘点


def format_stocktake_number(year, number):
    return f"{STOCKTAKE_NUMBER_PREFIX}-{year}-{number:04d}"


def allocate_stocktake_number(year):
    """The next stocktake number of `year`, inside the transaction that
    saves the stocktake (core.models.next_in_year)."""
    return format_stocktake_number(year, next_in_year(StocktakeCounter, year))
