"""Dates as legacy ledgers hold them (issue 15): parse_ledger_date."""


def parse_ledger_date(value):
    """A datetime.date from an Excel serial, a date/datetime or Chinese-style
    text; raises records.resources.widgets.ImportCellError."""
    raise NotImplementedError
