"""Reading a legacy ledger (records.ledgers.workbook.read_workbook, issue
15) from real .xlsx files written by openpyxl and CSV bytes: every sheet,
rows numbered as Excel shows them, title rows and blank rows kept for the
header finder, formulas collected, GBK text read as GBK; and the files that
cannot be read are refused with a message saying what to do."""
import datetime
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.utils import translation

from records import imports
from records.imports import ImportFileRefused, validate_import_file
from records.ledgers.types import FormulaCell, Row
from records.ledgers.workbook import read_workbook
from tests.records.ledgers.support import as_upload, make_csv, make_xlsx
from tests.records.test_filetypes import make_ole2

HEADERS = ["序号", "档号", "题名", "成文日期", "页数"]
LEGACY = [
    ["归档文件目录"],
    HEADERS,
    [1, "", "关于春季展会的通知", datetime.date(2023, 5, 6), 3],
    [None, None, None, None, None],
    [2, None, "市场部年度总结", "2023年5月6日", 12],
    [],
    [],
]


def read(data, name="台账.xlsx"):
    return read_workbook(as_upload(data, name), name)


def refused(data, name, match):
    with translation.override("en"), pytest.raises(ImportFileRefused, match=match) as refusal:
        read(data, name)
    return refusal.value


def test_a_legacy_sheet_is_read_row_by_row_as_excel_numbers_its_rows():
    workbook = read(make_xlsx(LEGACY, merged=["A1:E1"], title="2023年"))
    assert workbook.original_name == "台账.xlsx"
    [sheet] = workbook.sheets
    assert sheet.name == "2023年"
    assert sheet.rows == [
        Row(1, ["归档文件目录"]),
        Row(2, HEADERS),
        Row(3, [1, None, "关于春季展会的通知", datetime.datetime(2023, 5, 6), 3]),
        Row(4, []),  # a blank row between data is kept (skipped later, never an error)
        Row(5, [2, None, "市场部年度总结", "2023年5月6日", 12]),
    ]  # the blank rows at the end are not
    assert sheet.width == 5
    assert sheet.formula_cells == []


def test_every_sheet_with_data_is_read_and_empty_ones_left_out():
    data = make_xlsx(
        [["题名", "档号"], ["甲", "A-1"]], title="2022", sheets={"空白": [[None], []], "2023": [["题名"], ["乙"]]}
    )
    workbook = read(data)
    assert [sheet.name for sheet in workbook.sheets] == ["2022", "2023"]
    assert workbook.sheet("2023").rows == [Row(1, ["题名"]), Row(2, ["乙"])]


def test_hidden_sheets_are_left_out_unless_no_visible_sheet_has_data():
    book = openpyxl.Workbook()
    book.active.append(["题名", "档号"])
    book.active.append(["甲", "A-1"])
    hidden = book.create_sheet("下拉列表")
    hidden.append(["内部", "秘密"])
    hidden.sheet_state = "hidden"
    assert [sheet.name for sheet in read(saved(book)).sheets] == ["Sheet"]
    book.active.delete_rows(1, 2)
    assert [sheet.name for sheet in read(saved(book)).sheets] == ["下拉列表"]


def saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_formula_cells_are_all_collected_and_read_as_nothing():
    data = make_xlsx([["题名", "页数", "合计"], ["甲", 3, "=B2*2"], ["乙", "=1+1", "=B3*2"], [None, None, "=SUM(C2:C3)"]])
    [sheet] = read(data).sheets
    assert sheet.formula_cells == [FormulaCell(2, "C"), FormulaCell(3, "B"), FormulaCell(3, "C"), FormulaCell(4, "C")]
    assert sheet.rows[1:] == [Row(2, ["甲", 3, None]), Row(3, ["乙", None, None]), Row(4, [None, None, None])]


def test_a_wrong_sheet_dimension_written_by_another_program_does_not_cut_rows():
    data = make_xlsx([["题名", "档号"], ["甲", "A-1"], ["乙", "A-2"]])
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(fixed, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<dimension ref="A1:B3" />', b'<dimension ref="A1" />')
                assert b'<dimension ref="A1" />' in content
            target.writestr(item, content)
    [sheet] = read(fixed.getvalue()).sheets
    assert sheet.rows[-1] == Row(3, ["乙", "A-2"])


CSV_ROWS = [["档号", "题名", "日期"], ["", "关于春季展会的通知", "2023年5月6日"], ["", "", ""], ["", "《档案法》学习", "2023.5.6"]]
EXPECTED_CSV = [
    Row(1, ["档号", "题名", "日期"]),
    Row(2, [None, "关于春季展会的通知", "2023年5月6日"]),
    Row(3, []),
    Row(4, [None, "《档案法》学习", "2023.5.6"]),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "gb2312"])
def test_a_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    workbook = read(make_csv(CSV_ROWS, encoding=encoding), name="客户台账.csv")
    [sheet] = workbook.sheets
    assert sheet.name == "客户台账"
    assert sheet.rows == EXPECTED_CSV


def test_a_tab_separated_csv_is_read_by_its_columns():
    data = "档号\t题名\n\t关于春季展会的通知\n".encode("gbk")
    [sheet] = read(data, name="a.csv").sheets
    assert sheet.rows == [Row(1, ["档号", "题名"]), Row(2, [None, "关于春季展会的通知"])]


def test_a_csv_formula_is_collected_and_an_exported_escape_undone():
    data = make_csv([["题名", "备注"], ["'=HYPERLINK(x)", "=1+1"], ["'-减号开头", "'普通撇号"]])
    [sheet] = read(data, name="a.csv").sheets
    assert sheet.formula_cells == [FormulaCell(2, "B")]
    assert sheet.rows[1:] == [Row(2, ["=HYPERLINK(x)", None]), Row(3, ["-减号开头", "'普通撇号"])]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "a.xlsx", "The file is empty"),
        (make_ole2("EncryptedPackage", "EncryptionInfo"), "台账.xlsx", "protected by a password"),
        (make_ole2("Workbook"), "台账.xls", r"old Excel 97-2003 workbook \(.xls\); open it in Excel and save it as .xlsx"),
        (make_ole2("Workbook"), "台账.xlsx", r"old Excel 97-2003 workbook \(.xls\)"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "a.xlsx", "its content is a PDF document"),
        (make_xlsx([["题名"], ["甲"]])[:-200], "a.xlsx", "damaged"),
        (make_xlsx([[None], []], sheets={"空": []}), "a.xlsx", "no sheet with data"),
        (make_csv([[""], [""]]), "a.csv", "no sheet with data"),
    ],
    ids=["empty", "password", "xls", "xls-named-xlsx", "pdf", "damaged", "blank-xlsx", "blank-csv"],
)
def test_unreadable_files_are_refused_saying_what_to_do(data, name, message):
    refused(data, name, message)


def test_the_row_limit_is_200000():
    assert imports.MAX_ROWS == 200_000


@pytest.mark.parametrize("maker, name", [(make_xlsx, "a.xlsx"), (make_csv, "a.csv")])
def test_a_sheet_with_more_data_rows_than_the_limit_is_refused(monkeypatch, maker, name):
    monkeypatch.setattr(imports, "MAX_ROWS", 30)
    title_rows = [["归档文件目录"], ["单位：市场部"]]
    fits = title_rows + [["题名"]] + [[f"第{i}件"] for i in range(30)]
    assert len(read(maker(fits), name).sheets[0].rows) == 33
    too_many = fits + [[f"第{i}件"] for i in range(30, 60)]
    refused(maker(too_many), name, "more than 30 rows")


def test_the_back_office_names_every_formula_cell_at_once():
    data = make_xlsx([["题名", "页数"], ["甲", "=1+1"], ["乙", "=2+2"], ["丙", "=3+3"]])
    with translation.override("en"), pytest.raises(ImportFileRefused, match=r"3 cells hold formulas \(B2, B3, B4\)"):
        validate_import_file(io.BytesIO(data), "a.xlsx")
    csv_data = make_csv([["题名", "页数"], ["=A1", "=1+1"]])
    with translation.override("en"), pytest.raises(ImportFileRefused, match=r"2 cells hold formulas \(A2, B2\)"):
        validate_import_file(io.BytesIO(csv_data), "a.csv")


def test_memory_grows_with_rows_as_plain_values_only():
    """A 200,000-row sheet must stay well under 1 GB: what reading keeps and
    what it allocates on the way is measured per row on 2,000 rows of ten
    columns (measured on 200,000 rows: 265 MB peak for the whole process)."""
    rows = [["归档文件目录"], ["序号", "档号", "题名", "日期", "责任者", "文号", "页数", "密级", "保管期限", "备注"]]
    for i in range(2000):
        rows.append([i + 1, None, f"关于第{i}号活动的合同与附件说明", datetime.date(2023, 5, 6), "市场部",
                     f"市字〔2023〕{i}号", 12, "内部", "30年", "备注" if i % 3 else None])
    data = make_xlsx(rows)
    tracemalloc.start()
    try:
        workbook = read(data)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(workbook.sheets[0].rows) == 2002
    assert kept / 2000 < 900  # bytes per row kept (about 600 measured): < 180 MB at 200,000 rows
    assert peak / 2000 < 1500
