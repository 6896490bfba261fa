"""Where a converted ledger's rows and columns stand in the user's own
sheet (issue 15), so every message of an import names the row and column
as Excel shows them: "第 7 行，C 列“文件题名”：…".

The wizard (records.ledgers.convert) turns a legacy sheet into a dataset
whose rows are only the data rows (title rows, the header row and blank
rows dropped) and whose columns are the resource's own; a SheetLayout keeps
the way back. The resources and records.imports.error_messages ask
shown_row / shown_column, which answer from the layout of the import
running in this context (laid_out) and, outside one, as the back office's
plain files are numbered: the header is row 1, so dataset row n is row n+1.
"""
import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

HEADER_ROWS = 1


@dataclass
class SheetLayout:
    """row_numbers[i]: the Excel row of the dataset's row i (0-based);
    columns: {dataset column name: (column letter, header text)}; the letter
    is None for a column the file lacks and the page filled in."""


    row_numbers: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)
    # (Excel row, column name) whose problem the conversion already
    # reported in other words (a year to be taken from an unreadable date).
    already_said: set = field(default_factory=set)


_current = ContextVar("records_ledger_layout", default=None)


@contextlib.contextmanager
def laid_out(layout):
    """Inside the block, row and column numbers are the layout's."""
    token = _current.set(layout)
    try:
        yield layout
    finally:
        _current.reset(token)


def current_layout():
    return _current.get()


def shown_row(number):
    """The Excel row of django-import-export's 1-based dataset row `number`."""
    layout = _current.get()
    if layout is None or not 0 < number <= len(layout.row_numbers):
        return number + HEADER_ROWS
    return layout.row_numbers[number - 1]


def shown_column(column_name):
    """The column as the user sees it: 'column C “文件题名”' inside a
    layout; outside one (or for a column the page filled in) None, and
    the caller names the column by its own name as before."""
    layout = _current.get()
    if layout is None or column_name not in layout.columns:
        return None
    letter, header = layout.columns[column_name]
    if letter is None:
        return None
    return _("column %(letter)s “%(header)s”") % {"letter": letter, "header": header or column_name}
