"""List numbers (XH-2026-0001): per calendar year, gapless (R-DISP-3: the
record of what was destroyed is complete, so a missing number would be a
question nobody can answer)."""
from core.models import next_in_year
from disposal.models import ListCounter

LIST_NUMBER_PREFIX = "XH"  # 销毁 / 鉴定


def format_list_number(year, number):
    return f"{LIST_NUMBER_PREFIX}-{year}-{number:04d}"


def allocate_list_number(year):
    """The next list number of `year`, inside the transaction that saves
    the list (core.models.next_in_year)."""
    return format_list_number(year, next_in_year(ListCounter, year))
