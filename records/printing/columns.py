"""A register's columns: a label, a width and how a row gives its value."""
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from django.utils import timezone


def _attribute_getter(path):
    def get(row):
        value = row
        for name in path.split("."):
            if value is None:
                return None
            value = getattr(value, name)
        return value() if callable(value) else value

    return get


@dataclass
class Column:
    """One column: a label (a translatable msgid), a width in character
    units (the Excel width; the PDF shares the page in the same proportions),
    and a getter, either a callable `row -> value` or a dotted attribute path.
    Values may be str, int, Decimal, date, datetime or None."""

    label: Any
    getter: Callable[[Any], Any] | str
    width: float = 12
    align: str = "left"  # left, center or right
    date_format: str = "%Y-%m-%d"  # PDF text of dates
    xlsx_date_format: str = "yyyy-mm-dd"

    def __post_init__(self):
        if isinstance(self.getter, str):
            self.getter = _attribute_getter(self.getter)
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"align must be left, center or right, not {self.align!r}")

    def value(self, row):
        return self.getter(row)

    def text(self, value):
        """The value as printed in the PDF."""
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime(self.date_format + " %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime(self.date_format)
        if isinstance(value, Decimal):
            # Amounts, with thousands separators like the totals line.
            return f"{value:,.2f}"
        return str(value)
