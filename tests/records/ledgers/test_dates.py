"""Dates as legacy ledgers hold them (records.ledgers.dates, issue 15): Excel
serial numbers, real dates and the usual Chinese text forms are read; what
is not a date, or outside the archive's range, is refused with a message
naming the value; the back office reads date cells the same way."""
import datetime

import pytest
from django.utils import translation

from records.ledgers.dates import parse_ledger_date
from records.resources.widgets import ImportCellError, ImportDateWidget

MAY_6 = datetime.date(2023, 5, 6)


@pytest.mark.parametrize(
    "value",
    [
        45052,  # Excel serial number, 1900 date system
        45052.0,
        45052.75,  # with a time of day
        "45052",  # a CSV of an unformatted date cell
        datetime.date(2023, 5, 6),
        datetime.datetime(2023, 5, 6, 14, 30),
        "2023年5月6日",
        "2023年05月06日",
        "2023年5月6",
        "2023.5.6",
        "2023/5/6",
        "2023-05-06",
        "2023-5-6",
        "20230506",
        20230506,
        "２０２３年５月６日",  # full-width digits
        "２０２３－０５－０６",
        "  2023-05-06\u3000",
        "2023-05-06 00:00:00",
        "2023-05-06T09:15",
    ],
)
def test_a_date_is_read_in_every_usual_form(value):
    assert parse_ledger_date(value) == MAY_6


@pytest.mark.parametrize(
    "serial, expected",
    [(61, datetime.date(1900, 3, 1)), (36526, datetime.date(2000, 1, 1)), (43831, datetime.date(2020, 1, 1))],
)
def test_excel_serial_numbers_follow_the_1900_date_system(serial, expected):
    assert parse_ledger_date(serial) == expected


@pytest.mark.parametrize(
    "value", ["2023-02-30", "2023/5-6", "2023年5月", "5/6/2023", "明年", "2023-05-06 上午", True, -3, 7, 99999999]
)
def test_what_is_not_a_date_is_refused_naming_the_value(value):
    with translation.override("en"), pytest.raises(ImportCellError, match="not a date") as refused:
        parse_ledger_date(value)
    assert str(value) in str(refused.value)


def test_a_year_alone_is_refused_as_a_year():
    with translation.override("en"), pytest.raises(ImportCellError, match="2023 is a year, not a date"):
        parse_ledger_date(2023)


@pytest.mark.parametrize("value", ["1899-12-31", "3000-01-01", datetime.date(1, 1, 1), "9999-12-31"])
def test_dates_outside_the_archive_range_are_refused(value):
    with translation.override("en"), pytest.raises(ImportCellError, match="between 1900-01-01 and 2999-12-31"):
        parse_ledger_date(value)


def test_the_message_is_chinese_in_the_site_language():
    with translation.override("zh-hans"), pytest.raises(ImportCellError, match="不是有效日期：明年"):
        parse_ledger_date("明年")


@pytest.mark.parametrize("value", [45052, "2023.5.6", "２０２３年５月６日", "20230506"])
def test_the_back_office_import_reads_dates_the_same_way(value):
    assert ImportDateWidget().clean(value) == MAY_6


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_blank_date_cell_is_empty_in_the_back_office(value):
    assert ImportDateWidget().clean(value) is None
