"""The legacy-ledger import wizard's screens (issue 15): upload → sheet →
header row and mapping → preview → confirm → done, with real workbooks built
in the test; access (only importers, only one's own upload: 404 for
another's), wrong methods, refusals shown on the form, every problem listed
at once and nothing written until the confirmation."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.ledgers.types import FILL_CATEGORY, FILL_YEAR_FROM_DATE
from records.models import LedgerTemplate, LedgerUpload, LedgerUploadState, Record, RecordStatus
from records.views.ledger_import import LIST_URL_NAMES
from tests.records.ledgers.support import make_csv, make_xlsx

HEADERS = ["序号", "档号", "题名", "责任者", "文号", "成文日期", "页数", "保管期限", "备注"]
TITLES = ["与华东科技有限公司签订的代理商协议", "杭州户外广告牌代理商协议", "成都展会场地租赁合同"]


def number(item, category="HTDL", year=2023, retention="D30"):
    return f"J001-{category}·{year}-{retention}-SCB-{item:04d}"


def legacy_rows(*, dates=(45052, "2023年5月6日", "2023.6.1")):
    """A 归档文件目录 as departments keep it: a merged title row above the
    headers, a 序号 column, no class or year column, a serial date and text
    dates, a blank row in the middle."""
    return [
        ["2023年度归档文件目录"] + [None] * 8,
        HEADERS,
        [1, number(1), TITLES[0], "市场部", "市场〔2023〕1号", dates[0], 12, "30年", None],
        [2, number(2), TITLES[1], "市场部", "市场〔2023〕2号", dates[1], 8, "30年", "原件"],
        [None] * 9,
        [3, number(3), TITLES[2], "市场部", "市场〔2023〕3号", dates[2], 5, "30年", None],
    ]


def legacy_xlsx(**kwargs):
    return make_xlsx(legacy_rows(**kwargs), merged=("A1:I1",), title="2023年")


def upload(client, data, name="2023年归档文件目录.xlsx", kind="records"):
    return client.post(reverse("ledger_upload"), {"kind": kind, "file": SimpleUploadedFile(name, data)})


def last_upload(user):
    return LedgerUpload.objects.filter(owner=user).latest("created_at")


def mapping_post(response, **overrides):
    """The mapping form as the page proposes it, with `overrides`."""
    form = response.context["form"]
    data = {"step": "mapping"}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value not in (None, False):
            data[name] = value
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


FILLS = {f"fill_{FILL_CATEGORY}": "HTDL", f"fill_{FILL_YEAR_FROM_DATE}": "on"}


def through_mapping(client, user, data=None, name="2023年归档文件目录.xlsx", **overrides):
    """Upload `data` (the legacy workbook by default) and post the proposed
    mapping with the class and year-from-date fills; returns the upload."""
    response = upload(client, data or legacy_xlsx(), name=name)
    ledger = last_upload(user)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(response.url)  # one sheet: the sheet step goes straight on
    response = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    response = client.post(reverse("ledger_mapping", args=[ledger.pk]), mapping_post(response, **FILLS, **overrides))
    assert response.status_code == 302 and response.url == reverse("ledger_preview", args=[ledger.pk])
    ledger.refresh_from_db()
    return ledger


# --- access ---------------------------------------------------------------------------------------


def test_upload_page_and_menu_only_for_those_who_may_import(client, archivist, staff):
    client.force_login(staff)
    assert client.get(reverse("ledger_upload")).status_code == 403
    assert reverse("ledger_upload") not in client.get(reverse("home")).content.decode()

    client.force_login(archivist)
    page = client.get(reverse("ledger_upload")).content.decode()
    assert 'name="kind"' in page and 'value="records"' in page
    assert f'href="{reverse("ledger_upload")}"' in client.get(reverse("home")).content.decode()


def test_another_users_upload_is_not_found_and_not_changed(client, archivist, department_head, staff):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    for other in (staff, department_head):
        client.force_login(other)
        for name in ("ledger_sheet", "ledger_mapping", "ledger_preview", "ledger_done"):
            assert client.get(reverse(name, args=[ledger.pk])).status_code == 404, name
        for name in ("ledger_confirm", "ledger_cancel"):
            assert client.post(reverse(name, args=[ledger.pk])).status_code == 404, name
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.DRAFT
    assert not Record.objects.filter(title__in=TITLES).exists()


def test_wrong_methods(client, archivist):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    assert client.get(reverse("ledger_confirm", args=[ledger.pk])).status_code == 405
    assert client.get(reverse("ledger_cancel", args=[ledger.pk])).status_code == 405
    assert client.post(reverse("ledger_preview", args=[ledger.pk])).status_code == 405
    assert client.delete(reverse("ledger_upload")).status_code == 405


# --- upload -----------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_form(client, archivist):
    client.force_login(archivist)
    response = upload(client, b"%PDF-1.4 not a ledger\n", name="台账.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert 'class="field field--file field--error"' in response.content.decode()
    assert not LedgerUpload.objects.exists()


def test_a_password_protected_workbook_is_refused_on_the_form(client, archivist):
    client.force_login(archivist)
    # An encrypted .xlsx is an OLE compound file (D0CF11E0 …), as an old .xls is.
    response = upload(client, bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, name="台账.xlsx")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not LedgerUpload.objects.exists()


def test_several_sheets_with_data_ask_which_one(client, archivist):
    client.force_login(archivist)
    data = make_xlsx(
        legacy_rows(), merged=("A1:I1",), title="2023年",
        sheets={"说明": [["本表为市场部归档文件目录"]], "空表": []},
    )
    response = upload(client, data)
    ledger = last_upload(archivist)
    response = client.get(response.url)
    page = response.content.decode()
    assert 'value="2023年"' in page and 'value="说明"' in page and 'value="空表"' not in page
    response = client.post(reverse("ledger_sheet", args=[ledger.pk]), {"sheet": "2023年"})
    assert response.url == reverse("ledger_mapping", args=[ledger.pk])
    ledger.refresh_from_db()
    assert ledger.sheet_name == "2023年"


def test_one_sheet_goes_straight_to_the_mapping(client, archivist):
    client.force_login(archivist)
    response = upload(client, legacy_xlsx())
    ledger = last_upload(archivist)
    assert response.url == reverse("ledger_sheet", args=[ledger.pk])
    assert client.get(response.url).url == reverse("ledger_mapping", args=[ledger.pk])


# --- mapping ----------------------------------------------------------------------------------------


def test_the_header_row_under_the_title_is_found_and_the_columns_mapped(client, archivist):
    client.force_login(archivist)
    upload(client, legacy_xlsx())
    ledger = last_upload(archivist)
    client.get(reverse("ledger_sheet", args=[ledger.pk]))
    response = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    assert response.context["header_row"] == 2 and response.context["header_found"]
    page = response.content.decode()
    assert 'name="header_row" value="2" id="header-row-2" ' in page and "checked" in page
    initial = response.context["form"].initial
    assert initial["column_0"] == ""  # 序号 is not imported
    assert [initial[f"column_{i}"] for i in range(1, 9)] == [
        "archive_number", "title", "responsible_party", "document_number", "document_date", "pages",
        "retention", "notes",
    ]
    # Each column shows its header and sample values.
    assert "题名" in page and TITLES[0] in page
    # The records kind offers the class and year-from-date fills.
    assert f'name="fill_{FILL_CATEGORY}"' in page and f'name="fill_{FILL_YEAR_FROM_DATE}"' in page


def test_changing_the_header_row_proposes_a_new_mapping(client, archivist):
    client.force_login(archivist)
    upload(client, legacy_xlsx())
    ledger = last_upload(archivist)
    client.get(reverse("ledger_sheet", args=[ledger.pk]))
    response = client.post(reverse("ledger_mapping", args=[ledger.pk]), {"step": "header", "header_row": "1"})
    assert response.url == reverse("ledger_mapping", args=[ledger.pk])
    ledger.refresh_from_db()
    assert ledger.header_row == 1
    assert client.get(response.url).context["header_row"] == 1


def test_a_field_read_from_two_columns_is_refused(client, archivist):
    client.force_login(archivist)
    upload(client, legacy_xlsx())
    ledger = last_upload(archivist)
    client.get(reverse("ledger_sheet", args=[ledger.pk]))
    response = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    response = client.post(
        reverse("ledger_mapping", args=[ledger.pk]), mapping_post(response, column_3="title", **FILLS)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["column_3"]
    ledger.refresh_from_db()
    assert ledger.mapping == []


def test_a_template_is_saved_and_applied_to_next_years_file(client, archivist):
    client.force_login(archivist)
    through_mapping(client, archivist, column_8="keywords", template_name="市场部归档文件目录")
    template = LedgerTemplate.objects.get(kind="records", name="市场部归档文件目录")
    assert template.owner == archivist
    # Next year's file: the 备注 column moved to the front.
    rows = [[row[8], *row[:8]] for row in legacy_rows()]
    upload(client, make_xlsx(rows))
    ledger = last_upload(archivist)
    client.get(reverse("ledger_sheet", args=[ledger.pk]))
    page = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    assert "市场部归档文件目录" in page.content.decode()
    response = client.post(
        reverse("ledger_mapping", args=[ledger.pk]), {"step": "template", "template": template.pk}
    )
    assert response.url == reverse("ledger_mapping", args=[ledger.pk])
    ledger.refresh_from_db()
    assert ledger.mapping[0] == "keywords"  # 备注 as the template reads it, wherever it stands
    assert ledger.mapping[3] == "title"
    assert ledger.fills.get(FILL_CATEGORY) == "HTDL"


# --- preview, confirm, done ----------------------------------------------------------------------------


def test_preview_lists_every_problem_at_once_and_offers_no_import(client, archivist):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist, data=legacy_xlsx(dates=(45052, "2023年13月6日", "去年")))
    response = client.get(reverse("ledger_preview", args=[ledger.pk]))
    checked = response.context["checked"]
    assert checked.problem_count >= 2 and not checked.importable
    assert {problem.row for problem in checked.problems} >= {4, 6}  # Excel's rows, title row counted
    page = response.content.decode()
    for problem in checked.problems:
        assert str(problem.message) in page
    assert reverse("ledger_confirm", args=[ledger.pk]) not in page
    assert client.post(reverse("ledger_confirm", args=[ledger.pk])).url == reverse("ledger_preview", args=[ledger.pk])
    assert not Record.objects.filter(title__in=TITLES).exists()


def test_preview_then_confirm_imports_the_rows_and_says_how_many(client, archivist):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    response = client.get(reverse("ledger_preview", args=[ledger.pk]))
    checked = response.context["checked"]
    assert checked.problems == [] and checked.importable, checked.problems
    assert checked.rows == 3 and checked.totals["new"] == 3
    assert [row for row, _values in checked.preview] == [3, 4, 6]  # the blank row 5 is skipped
    page = response.content.decode()
    assert reverse("ledger_confirm", args=[ledger.pk]) in page
    assert not Record.objects.filter(title__in=TITLES).exists()  # a preview writes nothing

    response = client.post(reverse("ledger_confirm", args=[ledger.pk]))
    assert response.url == reverse("ledger_done", args=[ledger.pk])
    records = Record.objects.filter(title__in=TITLES).order_by("archive_number")
    assert [record.archive_number for record in records] == [number(1), number(2), number(3)]
    assert {record.status for record in records} == {RecordStatus.FILED}
    assert {(record.year, record.category.code) for record in records} == {(2023, "HTDL")}
    assert records[0].document_date == datetime.date(2023, 5, 6)
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.IMPORTED
    done = client.get(response.url).content.decode()
    assert reverse(LIST_URL_NAMES["records"]) in done
    # The same file again: every row is already there, nothing new.
    ledger = through_mapping(client, archivist)
    checked = client.get(reverse("ledger_preview", args=[ledger.pk])).context["checked"]
    assert checked.totals == {"new": 0, "skip": 3}


def test_cancel_drops_the_upload(client, archivist):
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    unfinished = f'href="{reverse("ledger_sheet", args=[ledger.pk])}"'
    assert unfinished in client.get(reverse("ledger_upload")).content.decode()
    response = client.post(reverse("ledger_cancel", args=[ledger.pk]))
    assert response.url == reverse("ledger_upload")
    assert unfinished not in client.get(response.url).content.decode()
    ledger.refresh_from_db()
    assert ledger.state == LedgerUploadState.CANCELLED
    assert client.get(reverse("ledger_preview", args=[ledger.pk])).url == reverse("ledger_done", args=[ledger.pk])
    assert not Record.objects.filter(title__in=TITLES).exists()


def test_a_large_file_is_imported_by_a_background_job(client, archivist, settings, run_jobs):
    settings.ARCHIVE_IMPORT_DIRECT_ROWS = 2
    client.force_login(archivist)
    ledger = through_mapping(client, archivist)
    client.get(reverse("ledger_preview", args=[ledger.pk]))  # starts the background check
    run_jobs()  # (tests/records/ledgers/test_preview_job.py)
    response = client.post(reverse("ledger_confirm", args=[ledger.pk]))
    ledger.refresh_from_db()
    assert ledger.job is not None
    assert response.url == reverse("job_detail", args=[ledger.job.pk])


def test_a_gbk_csv_goes_through_the_wizard(client, archivist):
    client.force_login(archivist)
    rows = [row for row in legacy_rows() if any(cell is not None for cell in row)][1:]
    ledger = through_mapping(client, archivist, data=make_csv(rows, encoding="gbk"), name="目录.csv")
    assert ledger.header_row == 1
    checked = client.get(reverse("ledger_preview", args=[ledger.pk])).context["checked"]
    assert checked.importable and checked.totals["new"] == 3


def test_a_header_row_that_cannot_be_found_is_chosen_by_hand(client, archivist):
    client.force_login(archivist)
    rows = [["甲", "乙", "丙"], ["一", "二", "三"], ["四", "五", "六"]]
    upload(client, make_xlsx(rows), name="无表头.xlsx")
    ledger = last_upload(archivist)
    client.get(reverse("ledger_sheet", args=[ledger.pk]))
    response = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    assert response.context["header_found"] is False
    assert 'class="notice notice--warning"' in response.content.decode()
    assert response.context["header_row"] == 1  # the first row, until the user picks one


def test_a_kind_not_offered_is_refused_on_the_form(client, archivist):
    client.force_login(archivist)
    response = upload(client, legacy_xlsx(), kind="lending")
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert not LedgerUpload.objects.exists()


def test_a_legacy_contract_ledger_goes_through_the_wizard(client, archivist):
    from contracts.models import Contract

    client.force_login(archivist)
    rows = [
        ["市场部合同台帐（2024年）", None, None, None, None, None],
        ["序号", "合同号", "合同类型", "对方单位", "签订日期", "金额"],
        [1, "SCB-HW-2024-017", "户外广告制作合同", "杭州灯箱厂", "2024年5月6日", "8,500.50"],
        [2, "SCB-HW-2024-018", "户外广告制作合同", "宁波灯箱厂", 45418, 1200],
    ]
    response = upload(client, make_xlsx(rows, merged=("A1:F1",)), name="合同台帐.xlsx", kind="contracts")
    ledger = last_upload(archivist)
    client.get(response.url)
    mapping = client.get(reverse("ledger_mapping", args=[ledger.pk]))
    assert mapping.context["header_row"] == 2
    response = client.post(reverse("ledger_mapping", args=[ledger.pk]), mapping_post(mapping))
    assert response.url == reverse("ledger_preview", args=[ledger.pk])
    checked = client.get(response.url).context["checked"]
    assert checked.importable and checked.totals["new"] == 2, checked.problems
    response = client.post(reverse("ledger_confirm", args=[ledger.pk]))
    assert response.url == reverse("ledger_done", args=[ledger.pk])
    assert set(Contract.objects.values_list("contract_number", flat=True)) == {"SCB-HW-2024-017", "SCB-HW-2024-018"}
    assert Contract.objects.get(contract_number="SCB-HW-2024-018").signed_on == datetime.date(2024, 5, 6)
    assert reverse("contract_ledger") in client.get(response.url).content.decode()
