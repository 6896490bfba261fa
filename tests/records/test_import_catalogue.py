"""All-or-nothing import of the records catalogue (issue 5), with real
.xlsx/.csv files built in the test and read through records.imports, the
code path of the back-office import."""
import datetime
import io
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from import_export.formats.base_formats import XLSX

from records import imports
from records.history import ChangeReason
from records.imports import import_file
from records.models import ArchiveSequence, Record, RecordStatus, SearchEntry
from records.resources import RecordResource
from records.services import record_file
from tests.admin_support import admin_url, staff_user_with_perms
from tests.factories import RecordFactory
from tests.spreadsheets import XLSX_TYPE, xlsx_bytes

EN_HEADERS = ["archive number", "title", "category code", "year", "date", "retention"]


def number(item, category="HTDL", year=2019, retention="D30"):
    return f"J001-{category}·{year}-{retention}-SCB-{item:04d}"



def run(content, name="catalogue.xlsx", *, user, dry_run=False):
    with translation.override("en"):
        return import_file(RecordResource(user=user), io.BytesIO(content), name, user=user, dry_run=dry_run)


def counts():
    return Record.objects.count(), Record.history.count(), SearchEntry.objects.count()


def good_rows():
    return [
        EN_HEADERS,
        [number(7), "与华东科技有限公司签订的代理商协议", "HTDL", 2019, datetime.date(2019, 5, 6), "30 years"],
        [number(12), "杭州户外广告牌代理商协议", "HTDL", 2019, "2019/06/01", "D30"],
        ["", "关于渠道备案的通知", "NBZD", 2024, "", ""],
    ]


def test_import_files_numbered_rows_and_submits_the_others_with_history_and_index(archivist):
    before = counts()
    result, messages = run(xlsx_bytes(good_rows()), user=archivist)
    assert messages == []
    assert Record.objects.count() == before[0] + 3
    filed = Record.objects.get(archive_number=number(12))
    assert filed.status == RecordStatus.FILED and filed.item_number == 12 and filed.filed_by == archivist
    assert filed.document_date == datetime.date(2019, 6, 1) and filed.retention_years == 30
    assert filed.retention_expires_on == datetime.date(2049, 12, 31)
    waiting = Record.objects.get(title="关于渠道备案的通知")
    assert waiting.status == RecordStatus.SUBMITTED and waiting.archive_number is None
    assert waiting.retention_years is None  # NBZD's default: permanent
    assert waiting.submitted_by == archivist
    # Every imported row has its history entry, by the importer, and is searchable.
    assert Record.history.count() == before[1] + 3
    entry = filed.history.get()
    assert entry.history_user == archivist and entry.history_change_reason == ChangeReason.IMPORTED
    assert SearchEntry.objects.filter(record__in=[filed, waiting]).count() == 2


def test_r_file_5_filing_after_an_import_continues_after_the_highest_item(archivist):
    run(xlsx_bytes(good_rows()), user=archivist)
    assert ArchiveSequence.objects.get(category__code="HTDL", year=2019).last_item == 12
    record = record_file(record=RecordFactory(year=2019), by=archivist)
    assert record.archive_number == number(13)


def test_chinese_headers_in_any_order_are_accepted(archivist):
    with translation.override("zh-hans"):
        headers = [translation.gettext(h) for h in ["title", "year", "category code", "archive number"]]
    assert headers == ["题名", "年度", "类别代码", "档号"]
    rows = [headers, ["成都展会样稿", 2020, "XCZH", number(3, "XCZH", 2020, "D10")]]
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert Record.objects.get(archive_number=number(3, "XCZH", 2020, "D10")).title == "成都展会样稿"


def test_csv_is_imported_too(archivist):
    text = "archive number,title,category code,year\n" + f"{number(1)},代理协议,HTDL,2019\n"
    _result, messages = run(text.encode("utf-8-sig"), "catalogue.csv", user=archivist)
    assert messages == []
    assert Record.objects.filter(archive_number=number(1)).exists()


def assert_refused(content, expected, *, user, name="catalogue.xlsx"):
    before = counts()
    result, messages = run(content, name, user=user)
    assert any(expected in message for message in messages), messages
    assert counts() == before
    return messages


def test_unknown_category_refuses_the_whole_file(archivist):
    rows = good_rows() + [[number(1, "XYZ"), "某协议", "XYZ", 2019, "", ""]]
    messages = assert_refused(xlsx_bytes(rows), "Row 5, column “category code”: unknown category XYZ", user=archivist)
    assert len(messages) == 1


def test_bad_date_is_refused_naming_row_and_column(archivist):
    rows = good_rows()
    rows[2][4] = "2019-13-45"
    assert_refused(xlsx_bytes(rows), "Row 3, column “date”: not a date: 2019-13-45", user=archivist)


def test_duplicate_archive_number_within_the_file_is_refused(archivist):
    rows = good_rows() + [[number(7), "重复的档号", "HTDL", 2019, "", ""]]
    assert_refused(
        xlsx_bytes(rows), f"Row 5, column “archive number”: archive number {number(7)} is also in row 2",
        user=archivist,
    )


def test_archive_number_already_in_the_database_with_other_data_is_refused(archivist, filed_record):
    existing = filed_record(year=2019)
    rows = good_rows() + [[existing.archive_number, "另一份文件", "HTDL", 2019, "", ""]]
    assert_refused(xlsx_bytes(rows), "already in the catalogue with other data", user=archivist)


def test_item_taken_in_the_database_under_another_number_is_refused(archivist, filed_record):
    existing = filed_record(year=2019, retention_years=10)  # J001-HTDL·2019-D10-SCB-0001
    assert existing.item_number == 1
    rows = [EN_HEADERS, [number(1), "同一件号", "HTDL", 2019, "", ""]]
    assert_refused(xlsx_bytes(rows), "item 1 of HTDL 2019 is already taken", user=archivist)


def test_archive_number_not_following_the_pattern_is_refused(archivist):
    rows = [EN_HEADERS, ["HTDL-2019-7", "格式不对", "HTDL", 2019, "", ""]]
    assert_refused(xlsx_bytes(rows), "HTDL-2019-7 does not follow the archive number pattern", user=archivist)
    rows = [EN_HEADERS, [number(7, year=2018), "年度不符", "HTDL", 2019, "", ""]]
    assert_refused(xlsx_bytes(rows), "does not follow the archive number pattern", user=archivist)


def test_missing_and_unknown_columns_are_refused(archivist):
    rows = [["archive number", "title", "year", "colour"], [number(1), "缺分类", 2019, "red"]]
    messages = assert_refused(xlsx_bytes(rows), "Missing column “category code”.", user=archivist)
    assert "Unknown column “colour”." in messages


def test_bad_year_and_missing_title_are_refused(archivist):
    rows = [EN_HEADERS, [number(1), "", "HTDL", "二〇一九", "", ""]]
    messages = assert_refused(xlsx_bytes(rows), "Row 2, column “year”: not a whole number: 二〇一九", user=archivist)
    assert "Row 2, column “title”: a title is required" in messages
    rows = [EN_HEADERS, ["", "", "HTDL", 2019, "", ""]]
    assert_refused(xlsx_bytes(rows), "Row 2, column “title”: a title is required", user=archivist)


def test_formula_cell_is_refused_naming_the_cell(archivist):
    content = xlsx_bytes(good_rows(), formula_at="B3")
    assert_refused(content, "Row 3, column B: the cell holds a formula", user=archivist)


def test_formula_in_a_csv_is_refused(archivist):
    text = "archive number,title,category code,year\n" + f'{number(1)},"=HYPERLINK(""x"")",HTDL,2019\n'
    assert_refused(text.encode(), "Row 2, column B: the cell holds a formula", user=archivist, name="c.csv")


def test_a_non_excel_file_named_xlsx_is_refused(archivist):
    assert_refused(b"MZ\x90\x00" + b"\x00" * 200, "it looks like a Windows program", user=archivist)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert_refused(pdf, "The file is named .xlsx but its content is a PDF document", user=archivist)


def test_an_oversized_file_is_refused(archivist, monkeypatch):
    content = xlsx_bytes(good_rows() * 50)
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", len(content) - 1)
    assert_refused(content, "files up to", user=archivist)


def test_a_zip_bomb_is_refused(archivist):
    buffer = io.BytesIO(xlsx_bytes(good_rows()))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024
    assert_refused(buffer.getvalue(), "zip bomb", user=archivist)


def test_too_many_rows_are_refused(archivist, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    assert_refused(xlsx_bytes(good_rows()), "more than 2 rows", user=archivist)


def test_preview_writes_nothing(archivist):
    before = counts()
    result, messages = run(xlsx_bytes(good_rows()), user=archivist, dry_run=True)
    assert messages == [] and result.totals["new"] == 3
    assert counts() == before
    assert not ArchiveSequence.objects.filter(category__code="HTDL", year=2019).exists()


def export_bytes(user):
    with translation.override("zh-hans"):
        dataset = RecordResource(user=user).export()
    return XLSX().export_data(dataset)


def test_export_then_import_changes_nothing(archivist, filed_record):
    filed_record(year=2019, title="代理协议甲", document_date=datetime.date(2019, 1, 2))
    filed_record(year=2020, retention_years=None, title="永久协议")
    RecordFactory(title="等待归档的协议")
    run(xlsx_bytes(good_rows()), user=archivist)
    snapshot = list(Record.objects.order_by("pk").values())
    before = counts()
    result, messages = run(export_bytes(archivist), user=archivist)
    assert messages == []
    assert result.totals["skip"] == Record.objects.count() and result.totals["new"] == 0
    assert counts() == before
    assert list(Record.objects.order_by("pk").values()) == snapshot


def test_a_changed_row_of_an_export_is_refused(archivist, filed_record):
    record = filed_record(year=2019, title="代理协议甲")
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes(archivist)))
    sheet = workbook.active
    sheet["B2"] = "改过的题名"
    buffer = io.BytesIO()
    workbook.save(buffer)
    messages = assert_refused(buffer.getvalue(), "already in the catalogue with other data", user=archivist)
    assert messages[0].startswith("Row 2, column “title”")
    record.refresh_from_db()
    assert record.title == "代理协议甲"


# --- the back office ---------------------------------------------------------


def test_admin_import_previews_then_confirms(client, archivist):
    client.force_login(archivist)
    url = admin_url(Record, "import")
    page = client.get(url)
    assert page.status_code == 200
    xlsx_index = next(value for value, label in page.context["form"].fields["format"].choices if label == "xlsx")
    upload = SimpleUploadedFile("catalogue.xlsx", xlsx_bytes(good_rows()), content_type=XLSX_TYPE)
    before = counts()
    preview = client.post(url, {"import_file": upload, "format": xlsx_index, "resource": "0"})
    assert preview.status_code == 200 and counts() == before
    confirm_form = preview.context["confirm_form"]
    data = {name: confirm_form[name].value() for name in confirm_form.fields}
    done = client.post(admin_url(Record, "process_import"), {k: v for k, v in data.items() if v is not None})
    assert done.status_code == 302
    assert Record.objects.count() == before[0] + 3
    assert Record.history.count() == before[1] + 3


def test_admin_import_refuses_a_file_with_formulas_before_reading_it(client, archivist):
    client.force_login(archivist)
    url = admin_url(Record, "import")
    page = client.get(url)
    xlsx_index = next(value for value, label in page.context["form"].fields["format"].choices if label == "xlsx")
    upload = SimpleUploadedFile("c.xlsx", xlsx_bytes(good_rows(), formula_at="C2"), content_type=XLSX_TYPE)
    before = counts()
    with translation.override("en"):
        preview = client.post(url, {"import_file": upload, "format": xlsx_index, "resource": "0"})
    assert preview.context.get("confirm_form") is None
    assert preview.context["form"].errors["import_file"]
    assert counts() == before


def test_admin_import_shows_row_errors_and_offers_no_confirm(client, archivist):
    client.force_login(archivist)
    url = admin_url(Record, "import")
    page = client.get(url)
    xlsx_index = next(value for value, label in page.context["form"].fields["format"].choices if label == "xlsx")
    rows = good_rows() + [[number(1, "XYZ"), "某协议", "XYZ", 2019, "", ""]]
    upload = SimpleUploadedFile("c.xlsx", xlsx_bytes(rows), content_type=XLSX_TYPE)
    before = counts()
    preview = client.post(url, {"import_file": upload, "format": xlsx_index, "resource": "0"})
    assert preview.context.get("confirm_form") is None
    assert preview.context["result"].has_validation_errors()
    assert counts() == before


def test_only_holders_of_file_record_may_import(client, archivist):
    user = staff_user_with_perms("clerk", "records.view_record", "records.add_record")
    client.force_login(user)
    assert client.get(admin_url(Record, "changelist")).status_code == 200
    assert client.get(admin_url(Record, "import")).status_code == 403
    assert client.post(admin_url(Record, "process_import"), {}).status_code == 403
    client.force_login(archivist)
    assert archivist.has_perm("records.file_record")
    assert client.get(admin_url(Record, "import")).status_code == 200


def test_confirm_step_writes_nothing_when_a_row_fails(archivist, filed_record):
    """The admin's confirm calls import_data without rollback_on_validation_errors;
    a row that fails then (say, its number was filed since the preview) still
    keeps every other row out."""
    existing = filed_record(year=2019)
    rows = good_rows() + [[existing.archive_number, "另一份文件", "HTDL", 2019, "", ""]]
    dataset = XLSX().create_dataset(xlsx_bytes(rows))
    before = counts()
    with translation.override("en"):
        result = RecordResource(user=archivist).import_data(dataset, dry_run=False, user=archivist)
    assert result.has_validation_errors()
    assert counts() == before
