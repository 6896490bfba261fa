"""Legacy ledgers and plans shared by the wizard's run, job and round-trip
tests (issue 15): a 归档文件目录 as a department keeps it, with a merged
title row, a 序号 column, no class or year column, serial and text dates."""
import datetime

from records.ledgers.types import LedgerPlan
from records.ledgers.workbook import read_workbook
from tests.records.ledgers.support import as_upload, make_xlsx

LEGACY_HEADERS = ["序号", "文号", "责任者", "文件题名", "成文日期", "页数", "备注"]
LEGACY_MAPPING = ["", "document_number", "responsible_party", "title", "document_date", "pages", "notes"]


def legacy_rows(count=3, *, start=1, title="关于渠道备案的通知"):
    """Data rows: dates alternate between an Excel serial and Chinese text."""
    rows = []
    for number in range(start, start + count):
        date = 45052 + number if number % 2 else f"2023年5月{(number % 28) + 1}日"
        rows.append([number, f"市场〔2023〕{number}号", "市场部", f"{title}（第{number}号）", date, 2, ""])
    return rows


def legacy_xlsx(data_rows, *, title="2023年归档文件目录"):
    """Merged title row 1, headers in row 2, data from row 3."""
    rows = [[title, None, None, None, None, None, None], list(LEGACY_HEADERS), *data_rows]
    return make_xlsx(rows, merged=("A1:G1",), title="2023")


def workbook_of(data, name="目录.xlsx"):
    return read_workbook(as_upload(data, name), name)


def legacy_plan(*, sheet_name="2023", header_row=2, mapping=LEGACY_MAPPING, **fills):
    fills = {"category_code": "HTDL", "year_from_date": True, **fills}
    return LedgerPlan(kind="records", sheet_name=sheet_name, header_row=header_row, mapping=list(mapping),
                      fills=fills)


def serial_date(number):
    return datetime.date(1899, 12, 30) + datetime.timedelta(days=45052 + number)
