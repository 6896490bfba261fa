"""A legacy sheet read by the user's plan into the dataset the records
resource imports (records.ledgers.convert, issue 15): title rows, 序号,
blank rows, fills from the page, serial and text dates, problems named by
the row and column Excel shows, the closing rows of a printed register."""
import datetime

import pytest
from django.utils import translation

from records.ledgers.convert import to_dataset
from records.ledgers.kinds import LedgerKind
from records.ledgers.layout import SheetLayout, laid_out, shown_column, shown_row
from records.ledgers.types import (
    FILL_CATEGORY,
    FILL_LOCATION,
    FILL_RETENTION,
    FILL_SECURITY_LEVEL,
    FILL_YEAR_FROM_DATE,
    FormulaCell,
    LedgerPlan,
    Row,
    SheetTable,
)
from records.resources import RecordResource, row_message

KIND = LedgerKind(
    code="records",
    label="catalogue",
    resource_class=RecordResource,
    fills=(FILL_CATEGORY, FILL_YEAR_FROM_DATE, FILL_SECURITY_LEVEL, FILL_RETENTION, FILL_LOCATION),
    may_import=lambda user: True,
    make_resource=lambda user: RecordResource(user=user),
)
HEADERS = ["序号", "档号", "文件题名", "成文日期", "责任者", "备注"]
MAPPING = ["", "archive_number", "title", "document_date", "responsible_party", "notes"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def column(name):
    return str(RecordResource.fields[name].column_name)


def legacy_sheet(*data, formula_cells=()):
    """归档文件目录 as a department keeps it: a title row, the headers in
    row 2, data from row 3 (`data` are the cells of rows 3, 4 …)."""
    rows = [Row(1, ["归档文件目录", None, None, None, None, None]), Row(2, list(HEADERS))]
    rows += [Row(number, list(cells)) for number, cells in enumerate(data, start=3)]
    return SheetTable(name="2023", rows=rows, formula_cells=list(formula_cells))


def plan(**fills):
    return LedgerPlan(kind="records", sheet_name="2023", header_row=2, mapping=list(MAPPING), fills=fills)


def as_dicts(dataset):
    return [dict(zip(dataset.headers, row)) for row in dataset]


def test_title_row_serial_no_blank_rows_and_fills_from_the_page():
    sheet = legacy_sheet(
        [1, "", "关于甲的通知", 45052, "市场部", ""],
        [2, None, "关于乙的通知", "2023年5月6日", "办公室", "急件"],
        [3, None, None, None, None, None],  # a numbered empty line: blank
        [4, None, "关于丙的通知", "2023.5.7", None, None],
        [None] * 6,
    )
    dataset, layout, problems, notes = to_dataset(sheet, plan(category_code="HTDL", year_from_date=True), KIND)
    assert problems == []
    assert dataset.headers == [
        column("archive_number"), column("title"), column("document_date"), column("responsible_party"),
        column("notes"), column("category_code"), column("year"),
    ]
    rows = as_dicts(dataset)
    assert [row[column("title")] for row in rows] == ["关于甲的通知", "关于乙的通知", "关于丙的通知"]
    assert [row[column("document_date")] for row in rows] == [
        datetime.date(2023, 5, 6), datetime.date(2023, 5, 6), datetime.date(2023, 5, 7)
    ]
    assert {row[column("category_code")] for row in rows} == {"HTDL"}
    assert {row[column("year")] for row in rows} == {2023}
    # Dataset row n is the sheet's row layout.row_numbers[n - 1].
    assert layout.row_numbers == [3, 4, 6]
    assert layout.columns[column("title")] == ("C", "文件题名")
    assert layout.columns[column("category_code")] == (None, column("category_code"))
    assert notes == [
        f"3 rows had no {column('category_code')}; filled in as HTDL from the page.",
        f"3 rows had no year; it was taken from their {column('document_date')}.",
        "Columns not imported: A “序号”.",
        "1 blank row was skipped.",
    ]


def test_a_fill_takes_only_the_cells_the_file_leaves_empty():
    mapping = [*MAPPING, "category_code", "year"]
    sheet = legacy_sheet(
        [1, None, "甲", "2023-01-02", None, None, "NBZD", 2022],
        [2, None, "乙", "2023-01-03", None, None, "", None],
    )
    sheet.rows[1].cells += ["分类号", "年度"]
    dataset, _layout, problems, notes = to_dataset(
        sheet,
        LedgerPlan(kind="records", sheet_name="2023", header_row=2, mapping=mapping,
                   fills={"category_code": "HTDL", "year_from_date": True}),
        KIND,
    )
    assert problems == []
    rows = as_dicts(dataset)
    assert [(row[column("category_code")], row[column("year")]) for row in rows] == [("NBZD", 2022), ("HTDL", 2023)]
    assert f"1 row had no {column('category_code')}; filled in as HTDL from the page." in notes


def test_every_bad_date_and_formula_is_a_problem_named_by_row_and_column():
    sheet = legacy_sheet(
        [1, None, "甲", "2023-13-45", None, None],
        [2, None, None, "2023/5/6", None, None],  # C3 holds a formula, read as None
        [3, None, "丙", "明年", None, None],
        formula_cells=[FormulaCell(row=4, column="C")],
    )
    dataset, _layout, problems, _notes = to_dataset(sheet, plan(category_code="HTDL", year_from_date=True), KIND)
    assert [(problem.row, problem.column) for problem in problems] == [(3, "D"), (4, "C"), (5, "D")]
    assert problems[0].message.startswith("Row 3, column D “成文日期”: ")
    assert problems[1].message == "Row 4, column C “文件题名”: the cell holds a formula; save the file with values only"
    # The rows are still converted (the resource reports their other problems); a bad date is left empty.
    assert len(dataset) == 3
    assert as_dicts(dataset)[0][column("document_date")] is None


def test_a_required_column_nobody_feeds_and_a_field_mapped_twice_are_problems_of_the_whole_file():
    sheet = legacy_sheet([1, "J1", "甲", "2023-01-02", "乙", "丙"])
    mapping = ["", "archive_number", "", "document_date", "notes", "notes"]
    _dataset, _layout, problems, _notes = to_dataset(
        sheet, LedgerPlan(kind="records", sheet_name="2023", header_row=2, mapping=mapping, fills={}), KIND
    )
    messages = [problem.message for problem in problems]
    assert "Columns E, F are all mapped to “notes”; map only one of them." in messages
    for name in ("title", "category_code", "year"):
        assert (
            f"No column is mapped to “{column(name)}” and the page fills in none: map a column to it or "
            "choose a value." in messages
        )
    assert all(problem.row is None for problem in problems)


def test_year_from_date_needs_a_date_column():
    sheet = legacy_sheet([1, "J1", "甲", None, None, None])
    mapping = ["", "archive_number", "title", "", "", ""]
    _dataset, _layout, problems, _notes = to_dataset(
        sheet, LedgerPlan(kind="records", sheet_name="2023", header_row=2, mapping=mapping,
                          fills={"category_code": "HTDL", "year_from_date": True}), KIND
    )
    assert [problem.message for problem in problems] == [
        f"No column is mapped to “{column('year')}” and the page fills in none: map a column to it or "
        "choose a value."
    ]


def test_a_fill_the_kind_does_not_offer_is_ignored():
    kind = LedgerKind(code="records", label="", resource_class=RecordResource, fills=(FILL_YEAR_FROM_DATE,),
                      may_import=lambda user: True, make_resource=lambda user: RecordResource(user=user))
    sheet = legacy_sheet([1, None, "甲", "2023-01-02", None, None])
    dataset, _layout, problems, _notes = to_dataset(sheet, plan(category_code="HTDL", year_from_date=True), kind)
    assert column("category_code") not in dataset.headers
    assert [problem.row for problem in problems] == [None]


def test_the_closing_rows_of_a_printed_register_are_not_data():
    sheet = legacy_sheet(
        [None, "J1", "甲", "20230102", "市场部", None],
        [None, "J2", "乙", "20230103", "市场部", None],
        [None] * 6,
        ["件数：2 · 页数：10", None, None, None, None, None],
        ["编制人：________________", "审核人：________________", None, None, None, None],
    )
    mapping = ["archive_number", "", "title", "document_date", "responsible_party", ""]
    dataset, layout, problems, notes = to_dataset(
        sheet, LedgerPlan(kind="records", sheet_name="2023", header_row=2, mapping=mapping,
                          fills={"category_code": "HTDL", "year_from_date": True}), KIND
    )
    assert problems == []
    assert layout.row_numbers == [3, 4]
    assert "Rows 6 to 7 below the table (totals, signatures) were not imported." in notes


def test_a_last_data_row_after_a_blank_row_is_kept():
    sheet = legacy_sheet(
        [1, None, "甲", "2023-01-02", "市场部", None],
        [None] * 6,
        [3, None, "丙", "2023-01-04", "市场部", None],
    )
    dataset, layout, _problems, notes = to_dataset(sheet, plan(category_code="HTDL", year_from_date=True), KIND)
    assert layout.row_numbers == [3, 5]
    assert "1 blank row was skipped." in notes


def test_rows_and_columns_outside_a_wizard_import_are_numbered_as_before():
    assert shown_row(1) == 2
    assert shown_column(column("title")) is None
    assert str(row_message(2, "title", "a title is required")) == "Row 2, column “title”: a title is required"
    layout = SheetLayout(row_numbers=[7, 9], columns={"title": ("C", "文件题名"), "year": (None, "year")})
    with laid_out(layout):
        assert (shown_row(1), shown_row(2)) == (7, 9)
        assert str(row_message(9, "title", "a title is required")) == (
            "Row 9, column C “文件题名”: a title is required"
        )
        # A column the page filled in has no letter: named as before.
        assert str(row_message(9, "year", "a year is required")) == "Row 9, column “year”: a year is required"
    assert shown_row(1) == 2
