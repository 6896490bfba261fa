"""Dates as legacy ledgers hold them (issue 15): parse_ledger_date.

One reader for every date cell of every import (records.resources.widgets
.ImportDateWidget uses it too), so the back office and the wizard read the
same cells the same way:

- a date or a date and time (what openpyxl gives for a date-formatted cell);
- an Excel serial number (a date cell formatted as a number, or copied as
  one): days in the 1900 date system, 45052 = 2023-05-06. Only serials of
  dates the archive stores are read; a whole number from 1900 to 2999 is a
  year typed into a date column and refused as such;
- text in the usual forms: 2023-05-06, 2023-5-6, 2023/5/6, 2023.5.6,
  2023年5月6日 (日 optional), 20230506, an ISO date and time, with full-width
  digits and separators (NFKC) and surrounding spaces; a 5-digit text is a
  serial number (what a CSV of unformatted date cells holds).

Dates outside the archive's range (core.limits) are refused as the
portal's forms refuse them.
"""
import datetime
import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from core.limits import FIRST_DATE, LAST_DATE, range_message
from records.resources.widgets import ImportCellError

# Excel's day 0 in the 1900 date system, taking its phantom 1900-02-29
# into account: serial 61 and above are exact from 1899-12-30.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_FIRST_SERIAL = (datetime.date(1900, 3, 1) - _EXCEL_EPOCH).days
_LAST_SERIAL = (LAST_DATE - _EXCEL_EPOCH).days

_SEPARATED = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# A time after the date, as exports and databases write it (ignored).
_TIME = re.compile(r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def parse_ledger_date(value):
    """A datetime.date from a cell; raises ImportCellError. Blank cells are
    the caller's to handle (is_blank)."""
    if isinstance(value, bool):
        raise _not_a_date(value)
    if isinstance(value, datetime.datetime):
        return _in_range(value.date())
    if isinstance(value, datetime.date):
        return _in_range(value)
    if isinstance(value, (int, float)):
        return _from_number(value)
    return _from_text(str(value))


def _from_number(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 19000101 <= value <= 29991231:
        return _from_text(str(value))
    if isinstance(value, int) and FIRST_DATE.year <= value <= LAST_DATE.year:
        raise ImportCellError(_("%(value)s is a year, not a date (write it as 2024-03-31)") % {"value": value})
    if _FIRST_SERIAL <= value <= _LAST_SERIAL:
        # A fraction is the time of day; the archive keeps the day.
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    raise _not_a_date(value)


def _from_text(raw):
    text = unicodedata.normalize("NFKC", raw).strip()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _from_number(float(text))
    for pattern in (_SEPARATED, _CHINESE, _COMPACT):
        match = pattern.match(text)
        if match is None or not _TIME.fullmatch(text, match.end()):
            continue
        year, month, day = (int(part) for part in match.group(1, match.lastindex - 1, match.lastindex))
        try:
            date = datetime.date(year, month, day)
        except ValueError:  # 2023-02-30
            raise _not_a_date(raw.strip()) from None
        return _in_range(date)
    raise _not_a_date(raw.strip())


def _not_a_date(value):
    return ImportCellError(_("not a date: %(value)s (write it as 2024-03-31)") % {"value": value})


def _in_range(date):
    """Dates the archive stores (core.limits), as the portal's forms."""
    if not FIRST_DATE <= date <= LAST_DATE:
        raise ImportCellError(str(range_message(_("the date"), FIRST_DATE, LAST_DATE)))
    return date
