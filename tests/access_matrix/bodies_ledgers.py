"""What the write matrix posts to the ledger import wizard's URLs (issue
15), and the page in front of each step that takes only POST; bodies.py
merges them. Each body would write if let through: an upload stores a
LedgerUpload, a sheet or header-row choice saves the plan on the upload, a
confirmation imports the row, a cancel ends the upload."""
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access_matrix.world_ledgers import SHEET, records_workbook

PORTAL = {}
GATES = {}

PORTAL["ledger_upload"] = lambda world: {
    "kind": "records",
    "file": SimpleUploadedFile("矩阵上传台账.xlsx", records_workbook("矩阵上传台账题名")),
}
PORTAL["ledger_sheet"] = lambda world: {"sheet": SHEET}
PORTAL["ledger_mapping"] = lambda world: {"step": "header", "header_row": "1"}

# The import and the cancel are posted from the preview.
GATES["ledger_confirm"] = ("ledger_preview", True)
GATES["ledger_cancel"] = ("ledger_preview", True)
