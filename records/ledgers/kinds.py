"""The ledgers the import wizard can read (issue 15). Each app registers its
kind in its AppConfig.ready() (records here, contracts.ledger,
clients.ledger), so records never imports the apps above it.

A kind names the resource that imports the converted rows (the back
office's own, all-or-nothing), the header texts departments use for its
columns besides the resource's own column names (synonyms, compared as
records.ledgers.headers normalises them), the values the page may fill in
for what the file lacks (FILL_* of records.ledgers.types) and who may import
it (the same rule as the back office's has_import_permission).
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from records.ledgers.types import (
    FILL_CATEGORY,
    FILL_LOCATION,
    FILL_RETENTION,
    FILL_SECURITY_LEVEL,
    FILL_YEAR_FROM_DATE,
)


@dataclass(frozen=True, eq=False)
class LedgerKind:
    code: str
    label: str
    resource_class: type
    synonyms: dict = field(default_factory=dict)  # {resource field name: (header text, …)}
    fills: tuple = ()  # FILL_* names from records.ledgers.types
    may_import: object = None  # callable(user) -> bool
    make_resource: object = None  # callable(user) -> a resource instance for one import


_KINDS = {}


def register_ledger_kind(kind):
    _KINDS[kind.code] = kind
    return kind


def ledger_kind(code):
    """The registered kind `code` (a LedgerKind passes through); KeyError
    when there is none."""
    if isinstance(code, LedgerKind):
        return code
    return _KINDS[code]


def ledger_kinds_for(user):
    """The kinds `user` may import, in registration order."""
    return [kind for kind in _KINDS.values() if kind.may_import(user)]


# --- the records catalogue ------------------------------------------------------

RECORD_SYNONYMS = {
    "archive_number": ("档号", "档案号", "档案编号", "编号", "archive no."),
    "title": ("题名", "标题", "文件名称", "文件题名", "文件标题", "案卷题名", "名称"),
    "document_date": ("成文日期", "日期", "文件日期", "形成日期", "发文日期", "时间", "document date"),
    "responsible_party": ("责任者", "发文单位", "发文机关", "作者", "责任单位", "形成单位"),
    "document_number": ("文号", "发文字号", "文件编号", "发文号", "文件字号", "document no.", "doc. no."),
    "pages": ("页数", "页码数"),
    "copies": ("份数",),
    "security_level": ("密级", "保密等级"),
    "retention": ("保管期限", "期限"),
    "notes": ("备注", "附注", "说明", "remarks"),
    "category_code": ("分类号", "类别", "类目", "类别号", "分类", "类别代码", "类目号"),
    "year": ("年度", "归档年度", "年份"),
    "location": ("盒号", "位置", "存放位置", "存放地点", "库位"),
    "medium": ("载体", "载体类型"),
    "keywords": ("关键词", "主题词"),
    "department": ("部门", "所属部门", "归档部门"),
}


def may_import_records(user):
    """Importing files records into the archive: the archivist's work
    (R-FILE-3), as the back office's RecordAdmin.has_import_permission."""
    return user.has_perm("records.file_record")


def records_kind():
    from records.resources import RecordResource

    return LedgerKind(
        code="records",
        label=_("Records catalogue"),
        resource_class=RecordResource,
        synonyms=RECORD_SYNONYMS,
        fills=(FILL_CATEGORY, FILL_YEAR_FROM_DATE, FILL_SECURITY_LEVEL, FILL_RETENTION, FILL_LOCATION),
        may_import=may_import_records,
        make_resource=lambda user: RecordResource(user=user),
    )
