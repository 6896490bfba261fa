"""Finding a legacy sheet's header row and mapping its columns
(records.ledgers.headers, issue 15), and the ledger kinds (records.ledgers
.kinds): title rows passed over, 序号 columns ignored, headers matched by the
resources' own names in English and Chinese and by synonyms, however they are
spaced or written (full-width, line breaks, notes in brackets); a saved
template's choices first; every export's headers map back to their fields."""
import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from clients.models import Client
from contracts.models import Contract
from records.ledgers.headers import find_header_row, header_labels, propose_mapping
from records.ledgers.kinds import ledger_kind, ledger_kinds_for
from records.ledgers.types import Row, SheetTable
from records.models import Record

HEADERS = ["序号", "档号", "文件题名", "成文\n日期", "责任者", "发文字号", "页数", "密级", "保管期限", "备 注"]
MAPPED = [
    "",
    "archive_number",
    "title",
    "document_date",
    "responsible_party",
    "document_number",
    "pages",
    "security_level",
    "retention",
    "notes",
]


def sheet_of(*rows, start=1):
    return SheetTable(name="Sheet1", rows=[Row(number, list(cells)) for number, cells in enumerate(rows, start)])


def legacy_sheet(headers=HEADERS, data=None):
    data = data or [[1, None, "关于春季展会的通知", 45052, "市场部", "市字〔2023〕1号", 3, "内部", "30年", None]]
    return sheet_of(["归档文件目录"], ["单位：市场部", None, None, "年度：2023"], [], headers, *data)


def test_the_header_row_is_found_under_title_rows():
    sheet = legacy_sheet()
    assert find_header_row(sheet, "records") == 4
    assert propose_mapping(sheet, 4, "records") == MAPPED


def test_no_header_row_is_found_without_two_known_headers():
    assert find_header_row(sheet_of(["归档文件目录"], ["题名", "经手人", "去向"], ["甲", "乙", "丙"]), "records") is None
    assert find_header_row(sheet_of(["甲", "乙"], ["丙", "丁"]), "records") is None


def test_the_header_row_is_looked_for_in_the_first_twenty_rows_with_data():
    titles = [[f"说明第{i}行"] for i in range(20)]
    assert find_header_row(sheet_of(*titles[:19], [], [], ["题名", "档号"]), "records") == 22
    assert find_header_row(sheet_of(*titles, ["题名", "档号"]), "records") is None


def test_the_row_naming_most_fields_wins():
    sheet = sheet_of(["题名：市场部", "日期"], ["档号", "题名", "日期", "类别"])
    assert find_header_row(sheet, "records") == 2


@pytest.mark.parametrize(
    "header, field",
    [
        ("题名", "title"),
        ("标题", "title"),
        ("文件名称", "title"),
        ("TITLE", "title"),
        ("Archive Number", "archive_number"),
        ("档 号", "archive_number"),
        ("档号\n", "archive_number"),
        ("＊题名", "title"),
        ("日期：", "document_date"),
        ("形成日期", "document_date"),
        ("发文单位", "responsible_party"),
        ("文号", "document_number"),
        ("页数（页）", "pages"),
        ("保管期限", "retention"),
        ("期限", "retention"),
        ("附注", "notes"),
        ("Remarks", "notes"),
        ("Document No.", "document_number"),
        ("分类号", "category_code"),
        ("类别", "category_code"),
        ("归档年度", "year"),
        ("盒号", "location"),
        ("序号", ""),
        ("ＮＯ．", ""),
        ("#", ""),
        ("经手人", ""),
    ],
)
def test_a_header_is_mapped_by_name_or_synonym_however_it_is_written(header, field):
    sheet = sheet_of([header, "档号" if field != "archive_number" else "题名"], [1, "x"])
    assert propose_mapping(sheet, 1, "records")[0] == field


def test_a_counter_column_is_ignored_but_a_numbering_column_is_read():
    counted = sheet_of(["编号", "题名"], [1, "甲"], ["2", "乙"], [None, "丙"])
    assert propose_mapping(counted, 1, "records") == ["", "title"]
    numbered = sheet_of(["编号", "题名"], ["J001-HTDL·2019-D30-SCB-0001", "甲"], [2, "乙"])
    assert propose_mapping(numbered, 1, "records") == ["archive_number", "title"]


def test_each_field_goes_to_one_column_only_the_first():
    sheet = sheet_of(["题名", "标题", "日期", "成文日期"], ["甲", "乙", 45052, 45052])
    assert propose_mapping(sheet, 1, "records") == ["title", "", "document_date", ""]


def test_an_own_column_name_wins_over_a_synonym_and_writable_over_export_only():
    # An export has 类别代码 (the code, imported) and 类别 (the name, export only).
    sheet = sheet_of(["类别", "类别代码", "题名"], ["合同类", "HTDL", "甲"])
    assert propose_mapping(sheet, 1, "records") == ["category_name", "category_code", "title"]


def test_a_template_decides_the_columns_it_names_wherever_they_moved():
    template = {"文件题名": "", "备注": "keywords", "说明": "title", "已删除的列": "notes", "去向": "no_such_field"}
    sheet = sheet_of(["去向", "备注", "说明", "文件题名", "档号"], ["甲", "乙", "丙", "丁", "戊"])
    assert propose_mapping(sheet, 1, "records", template) == ["", "keywords", "title", "", "archive_number"]


def test_header_labels_are_the_header_texts_one_per_column():
    sheet = sheet_of(["成文\n日期", None, 2023, " 题名 "], ["甲", "乙", "丙", "丁", "多出一列"])
    assert header_labels(sheet, 1) == ["成文 日期", "", "2023", "题名", ""]
    assert propose_mapping(sheet, 1, "records") == ["document_date", "", "", "title", ""]


def export_headers(kind, language):
    resource = ledger_kind(kind).make_resource(None)
    with translation.override(language):
        names = list(resource.fields)
        return names, [str(type(resource).fields[name].column_name) for name in names]


@pytest.mark.parametrize("kind", ["records", "contracts", "clients"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_export_header_maps_back_to_its_own_field(kind, language):
    names, headers = export_headers(kind, language)
    sheet = sheet_of(headers, ["x"] * len(headers))
    assert find_header_row(sheet, kind) == 1
    assert propose_mapping(sheet, 1, kind) == names


@pytest.mark.parametrize(
    "kind, headers, expected",
    [
        (
            "contracts",
            ["序号", "合同号", "合同名称", "对方单位", "签订日期", "合同金额（元）", "经办人", "合同类型"],
            ["", "contract_number", "title", "counterparty_name", "signed_on", "amount", "responsible_person",
             "contract_type"],
        ),
        (
            "clients",
            ["序号", "单位名称", "客户类型", "联系人", "手机", "邮箱", "备注"],
            ["", "name", "client_type", "contact_name", "contact_phone", "contact_email", "notes"],
        ),
    ],
)
def test_contract_ledgers_and_client_directories_are_mapped_by_their_synonyms(kind, headers, expected):
    sheet = sheet_of(["台账"], headers, [1] + ["x"] * (len(headers) - 1))
    assert find_header_row(sheet, kind) == 2
    assert propose_mapping(sheet, 2, kind) == expected


@pytest.mark.parametrize("kind", ["records", "contracts", "clients"])
def test_every_synonym_names_a_field_of_the_kind_resource(kind):
    kind = ledger_kind(kind)
    assert set(kind.synonyms) <= set(kind.resource_class.fields)


def test_who_may_import_a_kind_is_who_may_import_it_in_the_back_office(role_users):
    admins = {"records": Record, "contracts": Contract, "clients": Client}
    for user in role_users.values():
        request = RequestFactory().get("/")
        request.user = user
        allowed = {code for code, model in admins.items() if admin.site._registry[model].has_import_permission(request)}
        assert {kind.code for kind in ledger_kinds_for(user)} == allowed, user
    assert {kind.code for kind in ledger_kinds_for(role_users["archivist"])} >= {"records"}
    assert ledger_kinds_for(role_users["staff"]) == []


def test_a_kind_makes_a_resource_for_the_importing_user(archivist):
    resource = ledger_kind("records").make_resource(archivist)
    assert resource.user == archivist
    assert type(resource) is ledger_kind("records").resource_class
