"""Checking and importing a legacy ledger through the records resource,
and the wizard's services on a stored upload (records.ledgers.run, issue
15): every problem at once, in the user's rows and columns; all or
nothing; no library's English error; the kept file removed at the end."""
import datetime

import pytest
from django.utils import translation

from accounts.roles import Role
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.import_files import ImportFileStorage
from records.imports import ImportFileRefused
from records.ledgers import run
from records.ledgers.types import MAX_PROBLEMS
from records.models import LedgerTemplate, LedgerUpload, LedgerUploadState, Record, RecordStatus
from records.resources import RecordResource
from tests.records.ledgers.ledger_support import (
    LEGACY_MAPPING,
    legacy_plan,
    legacy_rows,
    legacy_xlsx,
    serial_date,
    workbook_of,
)
from tests.conftest import make_user
from tests.records.ledgers.support import as_upload, make_xlsx


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def import_dir(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path / "import_tmp"
    return settings.IMPORT_TMP_DIR


def kept_files(import_dir):
    return sorted(path.name for path in import_dir.iterdir()) if import_dir.exists() else []


def test_check_lists_every_problem_at_once_in_the_users_rows_and_columns(archivist):
    rows = legacy_rows(5)
    rows[0][4] = "2023-13-45"  # row 3, column E: no such date
    rows[2][5] = "十"  # row 5, column F: pages not a number
    rows[3][3] = None  # row 6, column D: no title
    rows[3][1] = "=1+1"  # row 6, column B: a formula
    before = Record.objects.count()
    checked = run.check_ledger(workbook_of(legacy_xlsx(rows)), legacy_plan(), archivist)
    assert [(problem.row, problem.column) for problem in checked.problems] == [
        (3, "E"), (5, "F"), (6, "B"), (6, "D")
    ]
    messages = [problem.message for problem in checked.problems]
    assert messages[0].startswith("Row 3, column E “成文日期”: ")
    assert messages[1] == "Row 5, column F “页数”: not a whole number: 十"
    assert messages[3] == "Row 6, column D “文件题名”: a title is required"
    assert checked.problem_count == 4 and not checked.importable
    assert checked.rows == 5
    assert Record.objects.count() == before


def test_check_previews_the_converted_rows_with_notes_and_totals(archivist):
    checked = run.check_ledger(workbook_of(legacy_xlsx(legacy_rows(3))), legacy_plan(), archivist)
    assert checked.problems == [] and checked.importable
    assert checked.totals == {"new": 3, "skip": 0}
    number, first = checked.preview[0]
    assert number == 3
    assert first["title"] == "关于渠道备案的通知（第1号）"
    assert first["date"] == serial_date(1) and first["year"] == 2023 and first["category code"] == "HTDL"
    assert checked.headers[-2:] == ["category code", "year"]
    assert "3 rows had no category code; filled in as HTDL from the page." in checked.notes
    assert "Columns not imported: A “序号”." in checked.notes


def test_problems_are_listed_up_to_the_limit_and_counted_beyond_it(archivist):
    rows = legacy_rows(MAX_PROBLEMS + 50)
    for row in rows:
        row[4] = "明天"
    checked = run.check_ledger(workbook_of(legacy_xlsx(rows)), legacy_plan(), archivist)
    assert len(checked.problems) == MAX_PROBLEMS
    assert checked.problem_count == MAX_PROBLEMS + 50
    assert [problem.row for problem in checked.problems[:3]] == [3, 4, 5]


def test_import_writes_every_row_with_history_and_a_second_import_changes_nothing(archivist):
    workbook = workbook_of(legacy_xlsx(legacy_rows(3)))
    before = Record.objects.count(), Record.history.count()
    assert run.import_ledger(workbook, legacy_plan(), archivist) == {"new": 3, "skip": 0}
    assert (Record.objects.count(), Record.history.count()) == (before[0] + 3, before[1] + 3)
    record = Record.objects.get(title="关于渠道备案的通知（第2号）")
    assert record.status == RecordStatus.SUBMITTED and record.category.code == "HTDL" and record.year == 2023
    assert record.document_date == datetime.date(2023, 5, 3) and record.document_number == "市场〔2023〕2号"
    entry = record.history.get()
    assert entry.history_user == archivist and entry.history_change_reason == ChangeReason.IMPORTED
    # The same file again: every row is already there, nothing is written.
    assert run.import_ledger(workbook, legacy_plan(), archivist) == {"new": 0, "skip": 3}
    assert Record.objects.count() == before[0] + 3
    checked = run.check_ledger(workbook, legacy_plan(), archivist)
    assert checked.totals == {"new": 0, "skip": 3} and checked.problems == []


def test_import_with_a_problem_anywhere_writes_nothing_and_says_what(archivist):
    rows = legacy_rows(30)
    rows[-1][4] = "2023-02-30"
    before = Record.objects.count(), Record.history.count()
    with pytest.raises(ImportFileRefused, match=r"^Nothing was imported: Row 32, column E “成文日期”: "):
        run.import_ledger(workbook_of(legacy_xlsx(rows)), legacy_plan(), archivist)
    assert (Record.objects.count(), Record.history.count()) == before


def test_a_missing_header_row_or_sheet_is_refused_in_words(archivist):
    workbook = workbook_of(legacy_xlsx(legacy_rows(1)))
    with pytest.raises(ImportFileRefused, match="Choose the row that holds the column headers"):
        run.check_ledger(workbook, legacy_plan(header_row=0), archivist)
    with pytest.raises(ImportFileRefused, match="sheet or ledger is not in this file"):
        run.check_ledger(workbook, legacy_plan(sheet_name="2024"), archivist)


def test_a_sheet_without_data_rows_is_a_problem(archivist):
    workbook = workbook_of(make_xlsx([["2023年归档文件目录"], ["文件题名", "成文日期"]], title="2023"))
    checked = run.check_ledger(workbook, legacy_plan(mapping=["title", "document_date"]), archivist)
    assert [problem.message for problem in checked.problems] == [
        "There are no data rows below the header row (row 2)."
    ]
    assert not checked.importable


def _failing_bulk_create(self, *args, **kwargs):
    raise ValueError("'InvalidDimensions' encountered while trying to read file")


def _failing_before_import_row(self, row, **kwargs):
    raise KeyError("archive number")


def test_a_library_error_is_worded_for_the_user_never_shown(archivist, monkeypatch):
    workbook = workbook_of(legacy_xlsx(legacy_rows(2)))
    before = Record.objects.count()
    monkeypatch.setattr(RecordResource, "bulk_create", _failing_bulk_create)
    with pytest.raises(ImportFileRefused) as refused:
        run.import_ledger(workbook, legacy_plan(), archivist)
    assert "InvalidDimensions" not in refused.value.message
    assert "error in the archive system" in refused.value.message
    monkeypatch.undo()
    monkeypatch.setattr(RecordResource, "before_import_row", _failing_before_import_row)
    checked = run.check_ledger(workbook, legacy_plan(), archivist)
    assert [problem.message for problem in checked.problems] == [
        "Row 3 could not be read because of an error in the archive system; it has been logged.",
        "Row 4 could not be read because of an error in the archive system; it has been logged.",
    ]
    assert Record.objects.count() == before


# --- services ----------------------------------------------------------------------------


def start(user, data=None, name="2023年目录.xlsx"):
    data = legacy_xlsx(legacy_rows(3)) if data is None else data
    return run.ledger_upload_start(user=user, kind="records", file=as_upload(data, name))


def plan_upload(upload, **fills):
    plan = legacy_plan(**fills)
    upload.sheet_name, upload.header_row, upload.mapping, upload.fills = (
        plan.sheet_name, plan.header_row, plan.mapping, plan.fills
    )
    upload.save()
    return upload


def test_an_upload_keeps_its_file_until_it_is_imported(archivist, import_dir, django_capture_on_commit_callbacks):
    upload = start(archivist)
    assert upload.state == LedgerUploadState.DRAFT and upload.owner == archivist
    assert upload.original_name == "2023年目录.xlsx" and kept_files(import_dir) == [upload.stored_name]
    assert run.ledger_upload_workbook(upload).sheets[0].name == "2023"
    plan_upload(upload)
    before = Record.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        outcome, totals = run.ledger_upload_confirm(upload=upload, user=archivist)
    assert (outcome, totals) == ("done", {"new": 3, "skip": 0})
    assert Record.objects.count() == before + 3
    upload.refresh_from_db()
    assert upload.state == LedgerUploadState.IMPORTED
    assert upload.summary == "Imported: 3 new rows, 0 rows already in the archive left as they were."
    assert kept_files(import_dir) == []
    with pytest.raises(RecordActionRefused, match="already confirmed or cancelled"):
        run.ledger_upload_confirm(upload=upload, user=archivist)
    assert Record.objects.count() == before + 3


def test_an_upload_is_refused_without_the_right_to_import_or_when_unreadable(staff, archivist, import_dir):
    with pytest.raises(RecordActionRefused, match="may not import this kind of ledger"):
        start(staff)
    with pytest.raises(ImportFileRefused):
        start(archivist, data=b"PK\x03\x04 not really a workbook")
    assert LedgerUpload.objects.count() == 0 and kept_files(import_dir) == []


def test_a_confirmation_with_problems_imports_nothing_and_stays_a_draft(archivist, import_dir):
    rows = legacy_rows(3)
    rows[1][4] = "2023-02-30"
    upload = plan_upload(start(archivist, legacy_xlsx(rows)))
    before = Record.objects.count()
    with pytest.raises(ImportFileRefused, match="Row 4, column E"):
        run.ledger_upload_confirm(upload=upload, user=archivist)
    upload.refresh_from_db()
    assert upload.state == LedgerUploadState.DRAFT and Record.objects.count() == before
    assert kept_files(import_dir) == [upload.stored_name]


def test_only_the_uploader_confirms_or_cancels_and_cancel_drops_the_file(
    archivist, department_head, import_dir, django_capture_on_commit_callbacks
):
    upload = plan_upload(start(archivist))
    for action in (run.ledger_upload_confirm, run.ledger_upload_cancel):
        with pytest.raises(RecordActionRefused, match="started by someone else"):
            action(upload=upload, user=department_head)
    with django_capture_on_commit_callbacks(execute=True):
        run.ledger_upload_cancel(upload=upload, user=archivist)
    upload.refresh_from_db()
    assert upload.state == LedgerUploadState.CANCELLED and kept_files(import_dir) == []
    with pytest.raises(ImportFileRefused, match="no longer kept"):
        run.ledger_upload_workbook(upload)


def test_a_template_keeps_the_mapping_by_header_text_and_the_fills(archivist):
    workbook = workbook_of(legacy_xlsx(legacy_rows(1)))
    template = run.ledger_template_save(
        user=archivist, kind="records", name=" 市场部目录 ", plan=legacy_plan(security_level="internal"),
        workbook=workbook,
    )
    assert template.name == "市场部目录"
    assert template.mapping == dict(zip(["序号", "文号", "责任者", "文件题名", "成文日期", "页数", "备注"], LEGACY_MAPPING))
    assert template.fills == {"category_code": "HTDL", "year_from_date": True, "security_level": "internal"}
    # Saved again next year under the same name: replaced, not doubled.
    run.ledger_template_save(user=archivist, kind="records", name="市场部目录", plan=legacy_plan(), workbook=workbook)
    assert LedgerTemplate.objects.get(name="市场部目录").fills == {"category_code": "HTDL", "year_from_date": True}
    with pytest.raises(RecordActionRefused, match="Someone else saved a template"):
        run.ledger_template_save(
            user=make_user(Role.ARCHIVIST, "archivist2"), kind="records", name="市场部目录", plan=legacy_plan(),
            workbook=workbook,
        )
    with pytest.raises(RecordActionRefused, match="Give the template a name"):
        run.ledger_template_save(user=archivist, kind="records", name="  ", plan=legacy_plan(), workbook=workbook)


def test_a_column_set_to_not_imported_stays_so_when_the_template_is_applied(archivist):
    """备注 would be mapped to the notes by its name; the template says it
    is not imported, and next year's file keeps it that way."""
    from records.ledgers.headers import propose_mapping

    workbook = workbook_of(legacy_xlsx(legacy_rows(1)))
    plan = legacy_plan()
    plan.mapping = [*LEGACY_MAPPING[:-1], ""]
    template = run.ledger_template_save(user=archivist, kind="records", name="不含备注", plan=plan, workbook=workbook)
    assert template.mapping["备注"] == ""
    sheet = workbook.sheet(plan.sheet_name)
    assert propose_mapping(sheet, plan.header_row, "records")[-1] == "notes"
    assert propose_mapping(sheet, plan.header_row, "records", template_mapping=template.mapping) == plan.mapping
