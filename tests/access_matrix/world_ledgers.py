"""The ledger import wizard's part of the matrix's world (issue 15): the
archivist's upload half-way through the wizard (its workbook kept, sheet,
header row, mapping and fills chosen, so its preview runs) and one already
imported, the colleague's upload of the records catalogue (a kind the
archivist may import: only its owner may open it), the staff user's own
upload of the client directory (a kind staff may not import), and a saved
template. Built through the ORM; the workbooks are kept where the wizard
keeps them (records.import_files.ImportFileStorage, a temporary folder in
the matrix's tests).

Each kept workbook holds texts used nowhere else (UPLOAD_TEXTS): the
matrix's expectations treat them, and the upload's file name, as secrets of
everyone who may not open the upload."""
from uuid import uuid4

from django.core.files.base import ContentFile

from accounts.roles import Role
from records.import_files import ImportFileStorage
from records.ledgers.types import FILL_CATEGORY, FILL_YEAR_FROM_DATE
from records.models import LedgerTemplate, LedgerUpload, LedgerUploadState
from tests.records.ledgers.support import make_xlsx

RECORD_HEADERS = ["序号", "题名", "责任者", "成文日期", "页数", "保管期限"]
RECORD_MAPPING = ["", "title", "responsible_party", "document_date", "pages", "retention"]
RECORD_FILLS = {FILL_CATEGORY: "HTDL", FILL_YEAR_FROM_DATE: True}
SHEET = "矩阵台账"

# variant name -> (file name, the text its one data row holds).
UPLOAD_TEXTS = {
    "archivist's draft": ("矩阵台账甲.xlsx", "矩阵台账题名甲"),
    "colleague's draft": ("矩阵同事台账乙.xlsx", "矩阵同事台账题名乙"),
    "staff's draft of clients": ("矩阵员工客户名录丙.xlsx", "矩阵员工台账客户丙"),
}


def records_workbook(title):
    """A 归档文件目录 as departments keep it: a merged title row, a 序号
    column, no class or year column, a text date."""
    return make_xlsx(
        [["矩阵归档文件目录", *[None] * 5], RECORD_HEADERS, [1, title, "市场部", "2023年5月6日", 3, "30年"]],
        merged=("A1:F1",), title=SHEET,
    )


def _clients_workbook(name):
    return make_xlsx([["客户名称", "客户类型", "备注"], [name, "代理商", "矩阵名录"]], title=SHEET)


def _kept(data):
    """The workbook kept as records.ledgers.run.ledger_upload_start keeps it."""
    return ImportFileStorage().save(uuid4().hex, ContentFile(data))


def _upload(world, name, owner, kind, data, **fields):
    original_name, _text = UPLOAD_TEXTS[name]
    return world.add(name, LedgerUpload.objects.create(
        owner=owner, kind=kind, stored_name=_kept(data), original_name=original_name, **fields
    ))


def add_ledgers(world):
    archivist, staff = world.users[Role.ARCHIVIST], world.users[Role.STAFF]
    plan = dict(sheet_name=SHEET, header_row=2, mapping=RECORD_MAPPING, fills=RECORD_FILLS)
    _upload(world, "archivist's draft", archivist, "records",
            records_workbook(UPLOAD_TEXTS["archivist's draft"][1]), **plan)
    _upload(world, "colleague's draft", world.colleague, "records",
            records_workbook(UPLOAD_TEXTS["colleague's draft"][1]), **plan)
    _upload(world, "staff's draft of clients", staff, "clients",
            _clients_workbook(UPLOAD_TEXTS["staff's draft of clients"][1]), sheet_name=SHEET, header_row=1)
    world.add("archivist's imported", LedgerUpload.objects.create(
        owner=archivist, kind="clients", original_name="矩阵已导入客户名录丁.xlsx", sheet_name=SHEET, header_row=1,
        mapping=["name", "client_type", "notes"], state=LedgerUploadState.IMPORTED, summary="矩阵导入结果丁",
    ))
    world.add("the archivist's", LedgerTemplate.objects.create(
        kind="records", name="矩阵台账模板", owner=archivist,
        mapping={header: field for header, field in zip(RECORD_HEADERS, RECORD_MAPPING) if field},
        fills=RECORD_FILLS,
    ))
