"""Real .xlsx files built in tests (openpyxl), for the ledger imports."""
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows, formula_at=None):
    """A workbook of `rows`; `formula_at` ("D3") puts a formula in that cell."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=SUM(1,2)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows, name="import.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows), content_type=XLSX_TYPE)
