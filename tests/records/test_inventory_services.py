"""What the year-end stocktake does to a record (records.services.inventory,
R-INV-1..3): moving it to another box, writing it off, filing a missing
record that turned up again, adding copies. Each service's effect and
history (who and why), and each refusal changing nothing."""
import pytest
from django.utils import translation

from core.history import reason_label
from records.disposability import register_blocker, unregister_blocker
from records.exceptions import RecordActionRefused
from records.models import LocationKind, Record, RecordStatus
from records.services import (
    hold_place,
    record_add_copies,
    record_check_out,
    record_file,
    record_mark_missing,
    record_move,
    record_restore_found,
    record_transfer_out,
    record_write_off,
)
from tests.factories import LocationFactory, RecordFactory


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_box(code, *, active=True):
    room = LocationFactory(code=f"R{code}", name="一号档案室")
    cabinet = LocationFactory(parent=room, kind=LocationKind.CABINET, code="C01", name="合同柜")
    shelf = LocationFactory(parent=cabinet, kind=LocationKind.SHELF, code="S1", name="第1层")
    return LocationFactory(parent=shelf, kind=LocationKind.BOX, code=code, name=f"合同盒{code}", is_active=active)


@pytest.fixture
def box(db):
    return make_box("B001")


@pytest.fixture
def other_box(db):
    return make_box("B002")


@pytest.fixture
def record(archivist, box):
    return record_file(record=RecordFactory(title="华东区展会布展合同", year=2024), by=archivist, location=box)


def reason_of(entry):
    return str(reason_label(entry.history_change_reason))


def snapshot(record):
    """What a refused service must leave as it was."""
    record = Record.objects.get(pk=record.pk)
    return (
        record.status, record.location_id, record.copies, record.disposition_reason, record.status_changed_at,
        record.history.count(),
    )


# --- move (R-INV-1) ---------------------------------------------------------------


def test_r_inv_1_a_misplaced_record_moves_and_history_says_from_where_to_where_and_why(record, box, other_box, archivist):
    moved = record_move(record=record, location=other_box, reason="  盘点 PD-2026-0001：在B002找到  ", by=archivist)

    assert Record.objects.get(pk=record.pk).location == other_box
    assert moved.status == RecordStatus.FILED
    entry = moved.history.latest()
    previous = entry.prev_record
    assert (previous.location_id, entry.location_id) == (box.pk, other_box.pk)
    assert entry.history_user == archivist
    assert reason_of(entry) == "Moved to another box: 盘点 PD-2026-0001：在B002找到"


def test_r_inv_1_the_ledger_box_of_a_record_on_loan_is_corrected(record, other_box, archivist):
    record_check_out(record=record, reason="借出", by=archivist)
    moved = record_move(record=record, location=other_box, reason="台账盒号有误", by=archivist)
    assert (moved.status, moved.location) == (RecordStatus.ON_LOAN, other_box)


@pytest.mark.parametrize(
    "target, message",
    [
        ("same", "is already in R"),
        ("inactive", "is not a box in use"),
        ("shelf", "is not a box in use"),
        ("none", "is not a box in use"),
    ],
)
def test_a_move_to_a_place_that_is_not_another_box_in_use_is_refused(record, box, archivist, target, message):
    location = {
        "same": lambda: box,
        "inactive": lambda: make_box("B009", active=False),
        "shelf": lambda: box.parent,
        "none": lambda: None,
    }[target]()
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=message) as refused:
        record_move(record=record, location=location, reason="盘点", by=archivist)
    assert refused.value.field == "location"
    assert snapshot(record) == before


def test_a_record_off_the_books_is_not_moved(record, other_box, archivist):
    record_transfer_out(record=record, receiving_body="集团档案馆", reason="移交", by=archivist)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=f"{record.archive_number} is Transferred out: its box can no longer"):
        record_move(record=record, location=other_box, reason="盘点", by=archivist)
    assert snapshot(record) == before


# --- write-off (R-INV-3) ------------------------------------------------------------


def test_r_inv_3_a_filed_record_is_written_off_with_its_reason(record, department_head):
    written_off = record_write_off(record=record, reason=" 合同作废，经部门负责人批准 ", by=department_head)

    stored = Record.objects.get(pk=record.pk)
    assert stored.status == RecordStatus.WRITTEN_OFF
    assert stored.disposition_reason == "合同作废，经部门负责人批准"
    assert stored.archive_number == record.archive_number
    assert stored.status_changed_at is not None
    entry = written_off.history.latest()
    assert (entry.history_user, reason_of(entry)) == (department_head, "Written off the ledger")
    assert entry.disposition_reason == "合同作废，经部门负责人批准"


def test_r_inv_3_a_missing_record_is_written_off_as_lost(record, archivist, department_head):
    record_mark_missing(record=record, reason="盘点 PD-2026-0001 未见", by=archivist)
    written_off = record_write_off(record=record, reason="遗失，已查找无果", by=department_head)
    assert written_off.status == RecordStatus.WRITTEN_OFF


def test_r_inv_3_a_written_off_number_is_never_given_again(record, archivist, department_head):
    record_write_off(record=record, reason="遗失", by=department_head)
    following = record_file(record=RecordFactory(year=2024), by=archivist)
    assert following.item_number == record.item_number + 1
    assert following.archive_number != record.archive_number
    assert Record.objects.get(pk=record.pk).archive_number == record.archive_number


def test_r_inv_3_a_record_on_loan_is_not_written_off(record, archivist, department_head):
    record_check_out(record=record, reason="借出", by=archivist)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=f"{record.archive_number} is On loan and cannot be written off"):
        record_write_off(record=record, reason="遗失", by=department_head)
    assert snapshot(record) == before


def test_r_inv_3_a_held_record_is_not_written_off(record, archivist, department_head):
    hold_place(record=record, by=department_head, reason="合同纠纷诉讼中")
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="frozen by 1 hold") as refused:
        record_write_off(record=record, reason="作废", by=department_head)
    assert "合同纠纷诉讼中" in refused.value.message
    assert snapshot(record) == before


def test_r_inv_3_a_held_missing_record_is_not_written_off(record, archivist, department_head):
    record_mark_missing(record=record, reason="盘点未见", by=archivist)
    hold_place(record=record, by=department_head, reason="审计中")
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="frozen by 1 hold"):
        record_write_off(record=record, reason="遗失", by=department_head)
    assert snapshot(record) == before


def test_r_inv_3_what_another_app_says_keeps_a_record_from_write_off(record, department_head):
    def open_request(record_ids):
        return {record.pk: ["open loan request"]} if record.pk in record_ids else {}

    register_blocker(open_request)
    try:
        before = snapshot(record)
        with pytest.raises(
            RecordActionRefused, match=f"{record.archive_number} cannot be written off: open loan request"
        ):
            record_write_off(record=record, reason="作废", by=department_head)
        assert snapshot(record) == before
    finally:
        unregister_blocker(open_request)


def test_r_inv_3_a_lost_permanent_record_can_be_written_off(archivist, box, department_head):
    permanent = record_file(record=RecordFactory(retention_years=None), by=archivist, location=box)
    record_write_off(record=permanent, reason="遗失", by=department_head)
    permanent.refresh_from_db()
    assert permanent.status == RecordStatus.WRITTEN_OFF and permanent.disposition_reason == "遗失"


@pytest.mark.parametrize("reason, message", [("  ", "Give the reason"), ("长" * 301, "at most 300 characters")])
def test_r_inv_3_a_write_off_needs_a_reason(record, department_head, reason, message):
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=message) as refused:
        record_write_off(record=record, reason=reason, by=department_head)
    assert refused.value.field == "reason"
    assert snapshot(record) == before


def test_a_record_written_off_is_not_written_off_again(record, department_head):
    record_write_off(record=record, reason="作废", by=department_head)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="is Written off and cannot be written off"):
        record_write_off(record=record, reason="作废", by=department_head)
    assert snapshot(record) == before


# --- restore a missing record that turned up ------------------------------------------


def test_a_missing_record_that_turns_up_is_filed_again_with_the_reason(record, box, archivist):
    record_mark_missing(record=record, reason="盘点未见", by=archivist)
    restored = record_restore_found(record=record, reason="在B001背后找到", by=archivist)
    stored = Record.objects.get(pk=record.pk)
    assert (stored.status, stored.location) == (RecordStatus.FILED, box)
    entry = restored.history.latest()
    assert (entry.history_user, reason_of(entry)) == (archivist, "Turned up and filed again: 在B001背后找到")


def test_a_record_that_turns_up_elsewhere_is_filed_in_that_box(record, other_box, archivist):
    record_mark_missing(record=record, reason="盘点未见", by=archivist)
    restored = record_restore_found(record=record, reason="在B002找到", by=archivist, location=other_box)
    assert (Record.objects.get(pk=record.pk).location, restored.status) == (other_box, RecordStatus.FILED)


def test_a_record_not_missing_is_not_restored(record, archivist):
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match=f"{record.archive_number} is Filed, not missing"):
        record_restore_found(record=record, reason="找到", by=archivist)
    assert snapshot(record) == before


def test_a_missing_record_is_not_restored_into_a_box_out_of_use(record, archivist):
    record_mark_missing(record=record, reason="盘点未见", by=archivist)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="is not a box in use"):
        record_restore_found(record=record, reason="找到", by=archivist, location=make_box("B008", active=False))
    assert snapshot(record) == before


# --- copies (R-INV-2) -------------------------------------------------------------------


def test_r_inv_2_a_copy_raises_the_copy_count_with_history(record, archivist):
    copied = record_add_copies(record=record, count=1, reason="原件受潮，已复制", by=archivist)
    assert Record.objects.get(pk=record.pk).copies == 2
    entry = copied.history.latest()
    assert (entry.prev_record.copies, entry.copies) == (1, 2)
    assert (entry.history_user, reason_of(entry)) == (archivist, "Copy made: 原件受潮，已复制")


@pytest.mark.parametrize("count", [0, -1, "1", True, 32767])
def test_r_inv_2_a_wrong_number_of_copies_is_refused(record, archivist, count):
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="add 1 to 32766 copies") as refused:
        record_add_copies(record=record, count=count, reason="复制", by=archivist)
    assert refused.value.field == "count"
    assert snapshot(record) == before


def test_r_inv_2_no_copy_is_added_to_a_record_off_the_books(record, department_head):
    record_write_off(record=record, reason="作废", by=department_head)
    before = snapshot(record)
    with pytest.raises(RecordActionRefused, match="is Written off: no copy is added"):
        record_add_copies(record=record, count=1, reason="复制", by=department_head)
    assert snapshot(record) == before


# --- the stocktake reports a record missing (custody.record_mark_missing) ------------------


def test_r_inv_1_the_stocktake_marks_a_record_missing_with_its_own_reason(record, archivist):
    missing = record_mark_missing(record=record, reason="盘点 PD-2026-0001 未见", by=archivist)
    entry = missing.history.latest()
    assert (missing.status, entry.history_user, reason_of(entry)) == (
        RecordStatus.MISSING, archivist, "盘点 PD-2026-0001 未见"
    )
