"""The stocktake report (盘点报告, issue 13 point 7, R-INV-1) and the
write-off register (核销登记簿, point 5, R-INV-3), read back: the PDF's
text with pypdf, the workbook's cells with openpyxl. Words this part adds
are checked in English (their Chinese is merged into the catalogue by the
lead: see test_new_words_print_in_chinese); the words the inventory app
already had (kinds, resolutions) and the dates are checked in Chinese."""
import pytest
from django.utils import formats, timezone, translation

from inventory import services
from inventory.models import WriteOffKind
from inventory.registers import render_stocktake_report, write_off_register
from records.models import SecurityLevel
from tests.disposal.support import with_file
from tests.inventory.registers_support import (
    YEAR,
    cells,
    counted_stocktake,
    pdf_text,
    resolve_the_rest,
    sheet_rows,
    workbook,
)
from tests.inventory.support import counter_without_confidential, filed_in, shelves, unit_of

# What a register must never print: state codes and rule ids.
CODES = ("marked_missing", "misplaced", "filed_extra", "on_loan", "requested", "approved", "R-INV", "R-LEND")


def flat(text):
    return "".join(str(text).split())


def local_moment(value):
    return flat(formats.date_format(timezone.localtime(value), "DATETIME_FORMAT"))


@pytest.fixture
def counted(archivist, filed_record):
    return counted_stocktake(archivist, filed_record)


def test_r_inv_1_report_pdf_has_totals_per_box_and_in_total(counted):
    stocktake, _box1, _box2, _names = counted
    text = pdf_text(render_stocktake_report(stocktake))
    assert stocktake.number in text
    # Box, expected, found, on loan, missing, misplaced, extra, conflicts, damaged.
    assert "R1-C1-B0011号盒32111101" in text
    assert "R1-C1-B0022号盒21000000" in text
    assert "合计53111101" in text
    assert not any(code in text for code in CODES)


def test_r_inv_1_report_pdf_lists_each_difference_with_its_resolution_in_chinese(counted, archivist):
    stocktake, _box1, _box2, names = counted
    text = pdf_text(render_stocktake_report(stocktake))
    lost = stocktake.differences.get(record=names["lost"])
    resolved = f"丢失已标记为缺失{flat(archivist.display_name)}{local_moment(lost.resolved_at)}全面查找未果"
    assert f"{names['lost'].archive_number}{flat(names['lost'].title)}{resolved}" in text
    assert f"{names['strayed'].archive_number}{flat(names['strayed'].title)}错放" in text
    assert "已移位（更正位置）" in text
    # Unresolved ones are listed too, with their kind.
    assert f"{names['unboxed'].archive_number}账外档案账外" in text
    assert "破损或老化" in text
    assert "部门负责人：________________" in text
    assert "UTC" not in text


def test_r_inv_1_an_open_stocktake_prints_a_draft_and_a_closed_one_the_final_report(counted, archivist):
    stocktake, _box1, _box2, names = counted
    with translation.override("en"):
        draft = pdf_text(render_stocktake_report(stocktake))
    assert draft.startswith(flat("Stocktake report (draft: the stocktake is not closed)"))
    assert flat("Draft, not closed") in draft and flat("Not closed yet: this report is a draft") in draft
    assert flat("Differences: 4, resolved: 2, not resolved: 2") in draft
    assert flat("Not resolved yet") in draft
    for line in ("Archivist: ________________", "Date: ________________", "Department head: ________________"):
        assert flat(line) in draft

    resolve_the_rest(stocktake, names, archivist)
    closed = services.stocktake_close(stocktake=stocktake, by=archivist)
    with translation.override("en"):
        final = pdf_text(render_stocktake_report(closed))
        closed_at = local_moment(closed.closed_at)
    assert final.startswith(flat("Stocktake report") + flat("Stocktake ") + closed.number)
    assert "draft" not in final.lower() and flat("Final") in final
    assert flat(f"Closed {archivist.display_name}, ") + closed_at in final
    assert flat("Differences: 4, resolved: 4, not resolved: 0") in final


def test_new_words_print_in_chinese(counted):
    stocktake, _box1, _box2, _names = counted
    text = pdf_text(render_stocktake_report(stocktake))
    assert text.startswith("盘点报告（草稿：盘点未结束）")
    assert "档案员：________________日期：________________部门负责人：________________日期：________________" in text
    assert "尚未处理" in text


def test_r_inv_1_one_box_report_has_only_that_box(counted):
    stocktake, box1, _box2, names = counted
    unit = unit_of(stocktake, box1)
    text = pdf_text(render_stocktake_report(stocktake, unit=unit))
    assert "R1-C1-B0011号盒32111101" in text and "R1-C1-B0022号盒21000000" not in text
    assert names["lost"].archive_number in text
    other = pdf_text(render_stocktake_report(stocktake, unit=unit_of(stocktake, _box2)))
    assert names["lost"].archive_number not in other and "R1-C1-B0022号盒21000000" in other


def test_r_inv_1_report_workbook_has_a_totals_sheet_and_a_differences_sheet(counted, archivist):
    stocktake, _box1, _box2, names = counted
    with translation.override("en"):
        book = workbook(render_stocktake_report(stocktake, file_format="xlsx"))
    totals, differences = book.worksheets
    assert (totals.title, differences.title) == ("Totals per box", "Differences")
    rows = sheet_rows(totals)
    assert rows[0][0] == "Stocktake report (draft: the stocktake is not closed)"
    assert ("Stocktake number", stocktake.number) == rows[4][:2]
    header = rows.index(("Box", "Expected", "Found", "On loan", "Missing", "Misplaced", "Extra", "Conflicts", "Damaged"))
    assert rows[header + 1] == ("R1-C1-B001 1号盒", 3, 2, 1, 1, 1, 1, 0, 1)
    assert rows[header + 2] == ("R1-C1-B002 2号盒", 2, 1, 0, 0, 0, 0, 0, 0)
    assert rows[header + 3] == ("Total", 5, 3, 1, 1, 1, 1, 0, 1)
    assert rows[-1][:4] == ("Archivist: ________________", "Date: ________________",
                           "Department head: ________________", "Date: ________________")
    lines = sheet_rows(differences)
    assert lines[2] == ("No.", "Box", "Archive number", "Title", "Difference", "Resolution", "Resolved by",
                        "Resolved at", "Note")
    lost = stocktake.differences.get(record=names["lost"])
    with translation.override("en"):
        resolved_at = formats.date_format(timezone.localtime(lost.resolved_at), "DATETIME_FORMAT")
    assert lines[3][2:] == (names["lost"].archive_number, names["lost"].title, "Missing", "Marked missing",
                            archivist.display_name, resolved_at, "全面查找未果")
    assert lines[5][2:6] == (names["unboxed"].archive_number, "账外档案", "Not on the books", "Not resolved yet")
    assert len(lines) == 3 + 4
    assert not any(code in value for value in cells(totals) + cells(differences) for code in CODES)


def test_r_lend_4_a_reader_who_may_not_see_a_record_gets_no_number_or_title(archivist, filed_record):
    """The report counts every record, but names only those its reader may see."""
    _room, _cabinet, (box,) = shelves(1)
    secret, plain = filed_in(filed_record, box, 2)
    secret.security_level = SecurityLevel.CONFIDENTIAL
    secret.title = "机密盘点档案"
    secret.save()
    stocktake = services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    reader = counter_without_confidential()
    with translation.override("en"):
        text = pdf_text(render_stocktake_report(stocktake, reader=reader))
        archivist_text = pdf_text(render_stocktake_report(stocktake))
    assert secret.archive_number not in text and "机密盘点档案" not in text
    assert flat("A record you may not see") in text and plain.archive_number in text
    assert flat("Differences: 2,") in text
    assert secret.archive_number in archivist_text and "机密盘点档案" in archivist_text


# -- 核销登记簿 ------------------------------------------------------------------------------


@pytest.fixture
def write_offs(archivist, department_head, filed_record):
    lost, void, transferred = filed_record(title="遗失的合同"), filed_record(), filed_record()
    request = services.write_off_request
    approved = request(record=lost, kind=WriteOffKind.LOSS, reason="多年查找未果", by=archivist,
                       evidence=[with_file(lost, archivist)])
    services.write_off_approve(write_off=approved, by=department_head)
    refused = request(record=void, kind=WriteOffKind.VOID, reason="重复归档", by=archivist,
                      evidence=[with_file(void, archivist)])
    services.write_off_refuse(write_off=refused, by=department_head, reason="请先核对")
    waiting = request(record=transferred, kind=WriteOffKind.TRANSFER, reason="移交总部", by=archivist,
                      evidence=[with_file(transferred, archivist, b"other")])
    return {"approved": approved, "refused": refused, "waiting": waiting}


def test_r_inv_3_write_off_register_pdf_lists_the_years_write_offs(write_offs, archivist, department_head):
    text = pdf_text(write_off_register(archivist, YEAR).to_pdf())
    approved = write_offs["approved"]
    assert f"{approved.record.archive_number}遗失的合同遗失多年查找未果清册附件.txt{flat(archivist.display_name)}" in text
    assert local_moment(approved.requested_at) in text
    assert flat(department_head.display_name) + local_moment(fresh_decided(approved)) in text
    assert "重复归档" in text and "请先核对" in text and "移交总部" in text
    assert "核销" in text and not any(code in text for code in CODES)
    assert write_off_register(archivist, YEAR - 1).row_count == 0


def cells_of(rows):
    return [str(value) for row in rows for value in row if value is not None]


def fresh_decided(write_off):
    return type(write_off).objects.get(pk=write_off.pk).decided_at


def test_r_inv_3_write_off_register_workbook(write_offs, archivist, department_head):
    with translation.override("en"):
        rows = sheet_rows(workbook(write_off_register(archivist, YEAR).to_xlsx()).active)
    assert rows[0][0] == "Write-off register" and rows[1][0] == f"Year {YEAR}"
    assert rows[2] == ("No.", "Archive number", "Title", "Kind", "Reason", "Evidence", "Requested by", "Requested at",
                       "Decision", "Decided by", "Decided at")
    approved = write_offs["approved"]
    assert rows[3][1:7] == (approved.record.archive_number, "遗失的合同", "Loss", "多年查找未果", "清册附件.txt",
                            archivist.display_name)
    assert rows[3][8:10] == ("Approved, written off", department_head.display_name)
    assert rows[4][8].startswith("Refused") and rows[4][8].endswith("请先核对")
    assert rows[5][8] == "Awaiting the department head" and rows[5][9] is None
    assert "Write-offs: 3 (Awaiting the department head: 1, Approved, written off: 1, Refused: 1)" in cells_of(rows)


def test_r_lend_4_write_off_register_names_no_record_its_reader_may_not_see(write_offs, archivist):
    record = write_offs["waiting"].record
    record.security_level = SecurityLevel.CONFIDENTIAL
    record.save()
    reader = counter_without_confidential()
    text = pdf_text(write_off_register(reader, YEAR).to_pdf())
    assert record.archive_number not in text and "移交总部" not in text
    assert write_offs["approved"].record.archive_number in text
