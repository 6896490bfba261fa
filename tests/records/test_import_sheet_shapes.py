"""The back office's import of sheets shaped as people keep them (issue
15): a fully blank line is passed over, a sheet whose rows differ in length
is read (tablib refused it in English), and a printed register with its
title above the headers is refused in words that point to the ledger
import wizard, which reads it (tests/records/ledgers/test_round_trip.py)."""
import datetime
import io

from django.utils import translation

from records.imports import import_file
from records.models import Record
from records.registers import catalogue_register
from records.resources import RecordResource
from tests.factories import category
from tests.records.test_import_catalogue import EN_HEADERS, counts, number
from tests.spreadsheets import xlsx_bytes


def run(content, *, user, dry_run=False):
    with translation.override("en"):
        return import_file(RecordResource(user=user), io.BytesIO(content), "catalogue.xlsx", user=user, dry_run=dry_run)


def test_a_blank_line_between_rows_is_passed_over(archivist):
    rows = [
        EN_HEADERS,
        [number(7), "与华东科技有限公司签订的代理商协议", "HTDL", 2019, datetime.date(2019, 5, 6), "30 years"],
        [None, None, None, None, None, None],
        [number(8), "杭州户外广告牌代理商协议", "HTDL", 2019, "2019/06/01", "D30"],
    ]
    before = counts()
    result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert Record.objects.filter(archive_number__in=[number(7), number(8)]).count() == 2
    assert counts()[0] == before[0] + 2


def test_rows_shorter_than_the_header_are_read(archivist):
    rows = [EN_HEADERS + ["notes"], [number(7), "华东代理商协议", "HTDL", 2019]]
    result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert Record.objects.get(archive_number=number(7)).notes == ""


def test_a_printed_register_is_refused_in_words_pointing_to_the_wizard(archivist):
    content = catalogue_register(archivist, category=category("HTDL"), year=2024).to_xlsx()
    before = counts()
    with translation.override("zh-hans"):
        result, messages = import_file(
            RecordResource(user=archivist), io.BytesIO(content), "目录.xlsx", user=archivist, dry_run=False
        )
    assert counts() == before
    assert messages == ["第一行中没有本目录的任何列名；如果文件在表头上方还有标题等行，请用“导入台账”导入，它会找到表头行。"]


def workbook_bytes(sheets, *, active):
    """An .xlsx of `sheets` ({title: rows}) saved on sheet number `active`."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.active = active
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_sheet_the_workbook_was_saved_on_is_imported(archivist):
    content = workbook_bytes(
        {"说明": [["本文件为市场部 2019 年代理商协议目录"]],
         "目录": [EN_HEADERS, [number(7), "华东代理商协议", "HTDL", 2019, datetime.date(2019, 5, 6), "30 years"]]},
        active=1,
    )
    result, messages = run(content, user=archivist)
    assert messages == []
    assert Record.objects.get(archive_number=number(7)).title == "华东代理商协议"


def test_rows_the_file_leaves_out_keep_the_sheets_row_numbers_in_messages(archivist):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for column, value in enumerate(EN_HEADERS, 1):
        sheet.cell(row=1, column=column, value=value)
    # Rows 2 and 3 are not in the file at all (not even empty); row 4 is.
    for column, value in enumerate([number(7), "华东代理商协议", "HTDL", "二〇一九"], 1):
        sheet.cell(row=4, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = counts()
    result, messages = run(buffer.getvalue(), user=archivist)
    assert messages == ["Row 4, column “year”: not a whole number: 二〇一九"]
    assert counts() == before
