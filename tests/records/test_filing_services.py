"""The filing desk's services (R-FILE-1, R-FILE-2, R-FILE-3, R-FILE-5,
R-FILE-6): submission, return, receipt as a handover, correction. Every
refused action leaves the database as it was."""
import datetime

import pytest
from django.db import transaction
from django.utils import timezone, translation

from accounts.roles import Role
from records.exceptions import RecordActionRefused
from records.history import ChangeReason, history_rows
from records.models import (
    ArchiveSequence,
    Handover,
    HandoverItem,
    LocationKind,
    Medium,
    Record,
    RecordStatus,
    SecurityLevel,
)
from records.numbering import allocate_handover_number
from records.services import (
    ReceivedItem,
    handover_receive,
    record_correct,
    record_create,
    record_return,
    record_submit,
    record_update,
)
from tests.concurrency import at_once
from tests.conftest import make_user
from tests.factories import LocationFactory, category


def make_box(code="B001", *, active=True):
    """A box on a shelf in a cabinet in a room (R-FILE-4)."""
    room = LocationFactory(code=f"R{code}", name="一号档案室")
    cabinet = LocationFactory(parent=room, kind=LocationKind.CABINET, code="C01", name="合同柜")
    shelf = LocationFactory(parent=cabinet, kind=LocationKind.SHELF, code="S1", name="第1层")
    return LocationFactory(parent=shelf, kind=LocationKind.BOX, code=code, name=f"合同盒{code}", is_active=active)


def submission_data(**overrides):
    data = {
        "title": "华东区代理商协议",
        "category": category("HTDL"),
        "document_date": datetime.date(2025, 3, 1),
        "responsible_party": "华东代理商",
        "document_number": "SCB-2025-001",
        "security_level": SecurityLevel.INTERNAL,
        "medium": Medium.PAPER,
        "copies": 2,
        "pages": 12,
        "keywords": "代理 华东",
        "notes": "",
    }
    data.update(overrides)
    return data


def submitted(by, **overrides):
    return record_create(by=by, data=submission_data(**overrides), submit=True).record


def snapshot():
    """Everything a filing-desk action may write."""
    return {
        "records": list(Record.objects.order_by("pk").values()),
        "record_history": Record.history.count(),
        "handovers": Handover.objects.count(),
        "handover_items": HandoverItem.objects.count(),
        "sequences": list(ArchiveSequence.objects.values("category_id", "year", "last_item")),
    }


@pytest.fixture
def second_staff(db):
    return make_user(Role.STAFF, "staff2")


@pytest.fixture
def box(db):
    return make_box()


# --- submission (R-FILE-2) ----------------------------------------------------------


def test_r_file_2_staff_save_a_draft_with_the_class_retention(staff):
    record = record_create(by=staff, data=submission_data()).record
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT
    assert record.submitted_by == staff and record.submitted_at is None
    assert record.department == staff.department
    assert record.year == 2025  # from the document date
    assert record.retention_years == category("HTDL").default_retention_years == 30
    entry = record.history.first()
    assert entry.history_change_reason == ChangeReason.DRAFTED
    assert entry.history_user == staff


def test_r_file_2_staff_submit_at_once(staff):
    record = submitted(staff)
    assert record.status == RecordStatus.SUBMITTED and record.submitted_at is not None
    reasons = list(record.history.values_list("history_change_reason", flat=True))
    assert reasons == [ChangeReason.SUBMITTED, ChangeReason.DRAFTED]


@pytest.mark.parametrize("retention", [None, 10])
def test_r_file_6_retention_chosen_by_the_submitter_wins(staff, retention):
    record = record_create(by=staff, data=submission_data(retention_years=retention)).record
    assert record.retention_years == retention


def test_r_file_2_undated_material_goes_under_this_year(staff):
    record = record_create(by=staff, data=submission_data(document_date=None)).record
    assert record.year == timezone.localdate().year


@pytest.mark.parametrize("role", [Role.OUTSIDE_STAFF, Role.DEPARTMENT_HEAD, Role.LEADERSHIP, Role.SYSADMIN])
def test_r_file_2_only_archive_department_staff_submit(role_users, role):
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="Only staff"):
        record_create(by=role_users[role], data=submission_data(), submit=True)
    assert snapshot() == before


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"status": RecordStatus.FILED}, "cannot be set"),
        ({"archive_number": "X-1"}, "cannot be set"),
        ({"copies": 0}, "Copies"),
        ({"title": ""}, "Title"),
        ({"security_level": "secret"}, "Security level"),
    ],
)
def test_r_file_2_a_bad_submission_is_refused_and_nothing_saved(staff, overrides, message):
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match=message):
        record_create(by=staff, data=submission_data(**overrides), submit=True)
    assert snapshot() == before


def test_r_file_2_a_class_out_of_use_is_refused(staff):
    retired = category("HTQT")
    retired.is_active = False
    retired.save()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="no longer in use"):
        record_create(by=staff, data=submission_data(category=retired))
    assert not Record.objects.exists()


def test_r_file_2_submitter_edits_a_draft_then_submits(staff):
    record = record_create(by=staff, data=submission_data()).record
    record = record_update(
        record=record, by=staff, data=submission_data(title="华东区代理商协议（补充）", category=category("HTQT"))
    ).record
    assert record.status == RecordStatus.DRAFT
    assert record.title == "华东区代理商协议（补充）"
    assert record.retention_years == 10  # the new class's default
    assert record.history.first().history_change_reason == ChangeReason.EDITED
    record = record_update(record=record, by=staff, data=submission_data(), submit=True).record
    assert record.status == RecordStatus.SUBMITTED


@pytest.mark.parametrize("status", [RecordStatus.SUBMITTED, RecordStatus.FILED])
def test_r_file_2_a_submitted_or_filed_item_is_not_edited_by_its_submitter(staff, status):
    record = submitted(staff)
    Record.objects.filter(pk=record.pk).update(status=status, archive_number="X-1")
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="Only the submitter"):
        record_update(record=record, by=staff, data=submission_data(title="改了"))
    assert snapshot() == before


def test_r_file_2_nobody_edits_someone_elses_draft(staff, second_staff):
    record = record_create(by=staff, data=submission_data()).record
    before = snapshot()
    with pytest.raises(RecordActionRefused):
        record_update(record=record, by=second_staff, data=submission_data(title="改了"))
    with pytest.raises(RecordActionRefused):
        record_submit(record=record, by=second_staff)
    assert snapshot() == before


# --- return (R-FILE-3) ----------------------------------------------------------------


def test_r_file_3_archivist_returns_with_a_reason_and_submitter_resubmits(staff, archivist):
    record = submitted(staff)
    record = record_return(record=record, by=archivist, reason="  缺少签字页  ")
    assert record.status == RecordStatus.RETURNED
    assert record.return_reason == "缺少签字页"
    entry = history_rows(record)[0]
    assert entry["reason"] == ChangeReason.RETURNED.label
    changes = {change["name"]: (change["old"], change["new"]) for change in entry["changes"]}
    assert changes["return_reason"] == (None, "缺少签字页")
    assert record.history.first().history_user == archivist

    record = record_update(record=record, by=staff, data=submission_data(pages=13), submit=True).record
    assert record.status == RecordStatus.SUBMITTED and record.pages == 13


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_r_file_3_a_return_needs_a_reason(staff, archivist, reason):
    record = submitted(staff)
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="Reason for return"):
        record_return(record=record, by=archivist, reason=reason)
    assert snapshot() == before


def test_r_file_3_a_return_reason_has_a_length_limit(staff, archivist):
    record = submitted(staff)
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="at most 300"):
        record_return(record=record, by=archivist, reason="长" * 301)
    assert snapshot() == before


def test_r_file_3_only_the_archivist_returns(staff, department_head):
    record = submitted(staff)
    before = snapshot()
    for user in (staff, department_head):
        with pytest.raises(RecordActionRefused):
            record_return(record=record, by=user, reason="不行")
    assert snapshot() == before


@pytest.mark.parametrize("status", [RecordStatus.DRAFT, RecordStatus.RETURNED])
def test_r_file_3_only_a_submitted_item_is_returned(staff, archivist, status):
    record = record_create(by=staff, data=submission_data()).record
    Record.objects.filter(pk=record.pk).update(status=status)
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="Only the archivist"):
        record_return(record=record, by=archivist, reason="不行")
    assert snapshot() == before


# --- receipt as a handover (R-FILE-3, R-FILE-5) ----------------------------------------


def test_r_file_3_receive_two_items_as_one_handover(staff, archivist, box):
    first = submitted(staff, title="华东区代理商协议")
    second = submitted(staff, title="华南区代理商协议", copies=1, pages=8)
    Record.objects.filter(pk=first.pk).update(return_reason="上次缺页")

    handover = handover_receive(
        by=archivist,
        items=[(first, 2, 12, True, "", box), ReceivedItem(second, 1, 8, location=box)],
        notes="季度合同移交",
    )

    year = timezone.localdate().year
    assert handover.number == f"JJ-{year}-0001"
    assert handover.handed_over_by == staff and handover.received_by == archivist
    assert handover.notes == "季度合同移交"
    first.refresh_from_db()
    second.refresh_from_db()
    for record in (first, second):
        assert record.status == RecordStatus.FILED
        assert record.location == box and record.filed_by == archivist
        assert record.history.first().history_change_reason == ChangeReason.FILED
        assert record.return_reason == ""
    assert first.archive_number == "J001-HTDL·2025-D30-SCB-0001"
    assert second.archive_number == "J001-HTDL·2025-D30-SCB-0002"
    items = list(handover.items.order_by("pk"))
    assert [(item.record, item.copies_received, item.pages_received, item.remarks) for item in items] == [
        (first, 2, 12, ""),
        (second, 1, 8, ""),
    ]


def test_r_file_3_handover_numbers_count_up_per_year(staff, archivist, box):
    first = handover_receive(by=archivist, items=[(submitted(staff), 2, 12, True, "", box)])
    second = handover_receive(by=archivist, items=[(submitted(staff), 2, 12, True, "", box)])
    year = timezone.localdate().year
    assert [first.number, second.number] == [f"JJ-{year}-0001", f"JJ-{year}-0002"]


def test_r_file_3_handover_number_allocation(staff, archivist):
    now = timezone.now()
    for number in ("JJ-2025-0007", "JJ-2025-9999", "JJ-2025-10000", "JJ-2024-0003"):
        Handover.objects.create(number=number, handed_over_by=staff, received_by=archivist, received_at=now)
    with transaction.atomic():
        assert allocate_handover_number(2025) == "JJ-2025-10001"
        assert allocate_handover_number(2024) == "JJ-2024-0004"
        assert allocate_handover_number(2026) == "JJ-2026-0001"


@pytest.mark.django_db(transaction=True)
def test_handover_number_allocation_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="atomic"):
        allocate_handover_number(2025)


def test_r_file_1_counts_that_differ_are_filed_as_counted_with_a_remark(staff, archivist, box):
    record = submitted(staff, copies=2, pages=12)
    with translation.override("en"):
        handover = handover_receive(by=archivist, items=[(record, 1, 11, True, "一份留在总经办", box)])
    item = handover.items.get()
    record.refresh_from_db()
    assert (record.copies, record.pages) == (1, 11)
    assert (item.copies_received, item.pages_received) == (1, 11)
    assert item.remarks == "Counted on receipt: copies 1 (submitted 2), pages 11 (submitted 12). 一份留在总经办"
    entry = history_rows(record)[0]
    assert entry["reason"] == ChangeReason.RECEIVED_AS_COUNTED.label
    changes = {change["name"]: (change["old"], change["new"]) for change in entry["changes"]}
    assert changes["copies"] == (2, 1) and changes["pages"] == (12, 11)


def test_r_file_3_a_format_fault_is_received_only_with_a_remark(staff, archivist, box):
    record = submitted(staff)
    handover = handover_receive(by=archivist, items=[(record, 2, 12, False, "复印件，原件在总经办", box)])
    item = handover.items.get()
    assert item.format_ok is False and item.remarks == "复印件，原件在总经办"


def test_r_file_3_an_electronic_item_needs_no_box(staff, archivist):
    record = submitted(staff, medium=Medium.ELECTRONIC)
    handover_receive(by=archivist, items=[(record, 2, 12, True, "", None)])
    record.refresh_from_db()
    assert record.status == RecordStatus.FILED and record.location is None


def _refused_cases():
    """(name, build items from (staff, second_staff, archivist, box), message)."""
    return [
        (
            "two_submitters",
            lambda s, s2, a, b: [(submitted(s), 2, 12, True, "", b), (submitted(s2), 2, 12, True, "", b)],
            "one person only",
        ),
        (
            "draft_item",
            lambda s, s2, a, b: [
                (submitted(s), 2, 12, True, "", b),
                (record_create(by=s, data=submission_data()).record, 2, 12, True, "", b),
            ],
            "not waiting",
        ),
        ("format_fault_without_remark", lambda s, s2, a, b: [(submitted(s), 2, 12, False, "  ", b)], "format"),
        ("no_box_for_paper", lambda s, s2, a, b: [(submitted(s), 2, 12, True, "", None)], "choose the box"),
        (
            "shelf_instead_of_box",
            lambda s, s2, a, b: [(submitted(s), 2, 12, True, "", b.parent)],
            "not a box in use",
        ),
        (
            "box_out_of_use",
            lambda s, s2, a, b: [(submitted(s), 2, 12, True, "", make_box("B999", active=False))],
            "not a box in use",
        ),
        ("no_copies", lambda s, s2, a, b: [(submitted(s), 0, 12, True, "", b)], "at least one copy"),
        ("no_items", lambda s, s2, a, b: [], "at least one item"),
        (
            "same_item_twice",
            lambda s, s2, a, b: [(record, 2, 12, True, "", b) for record in [submitted(s)] * 2],
            "twice",
        ),
        (
            "remark_too_long",
            lambda s, s2, a, b: [(submitted(s), 1, 12, True, "长" * 260, b)],
            "at most 300",
        ),
    ]


@pytest.mark.parametrize("name, build, message", _refused_cases(), ids=[case[0] for case in _refused_cases()])
def test_r_file_3_a_refused_handover_files_nothing(staff, second_staff, archivist, box, name, build, message):
    items = build(staff, second_staff, archivist, box)
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match=message):
        handover_receive(by=archivist, items=items)
    assert snapshot() == before


def test_r_file_3_a_bad_second_item_leaves_the_first_unfiled(staff, archivist, box):
    good, bad = submitted(staff), submitted(staff)
    before = snapshot()
    with pytest.raises(RecordActionRefused):
        handover_receive(by=archivist, items=[(good, 2, 12, True, "", box), (bad, 2, 12, True, "", None)])
    assert snapshot() == before
    good.refresh_from_db()
    assert good.status == RecordStatus.SUBMITTED and good.archive_number is None


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPARTMENT_HEAD, Role.LEADERSHIP])
def test_r_file_3_only_the_archivist_receives(role_users, box, role):
    record = submitted(role_users[Role.STAFF])
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="Only the archivist"):
        handover_receive(by=role_users[role], items=[(record, 2, 12, True, "", box)])
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_r_file_3_concurrent_handovers_get_unique_gap_free_numbers(archivist):
    """Four archivist sessions, each with its own connection, receive three
    handovers each at the same moment."""
    staff = make_user(Role.STAFF, "staff")
    box = make_box()
    # Different classes, so the archive-number sequences do not queue them.
    classes = ["HTDL", "HTQT", "NBHY", "XCZH"]
    records = [submitted(staff, category=category(classes[i % 4])) for i in range(12)]

    def receiver(batch):
        def receive(_outcomes):
            for record in batch:
                handover_receive(by=archivist, items=[(record, 2, 12, True, "", box)])
        return receive

    assert at_once([receiver(records[i::4]) for i in range(4)]).errors == []
    year = timezone.localdate().year
    numbers = sorted(Handover.objects.values_list("number", flat=True))
    assert numbers == [f"JJ-{year}-{n:04d}" for n in range(1, 13)]
    assert Record.objects.filter(status=RecordStatus.FILED).count() == 12


# --- correction (R-FILE-3) --------------------------------------------------------------


@pytest.fixture
def filed(staff, archivist, box):
    record = submitted(staff, title="华东区代理商协议")
    handover_receive(by=archivist, items=[(record, 2, 12, True, "", box)])
    record.refresh_from_db()
    return record


def test_r_file_3_archivist_corrects_with_a_reason_history_shows_before_and_after(archivist, filed):
    other_box = make_box("B002")
    record = record_correct(
        record=filed,
        by=archivist,
        changes={"title": "华东区代理商合作协议", "security_level": SecurityLevel.CONFIDENTIAL, "location": other_box},
        reason="题名与原件不符",
    )
    record.refresh_from_db()
    assert record.title == "华东区代理商合作协议" and record.location == other_box
    assert record.status == RecordStatus.FILED
    entry = history_rows(record)[0]
    assert entry["reason"] == "题名与原件不符"
    assert entry["user"] == archivist
    changes = {change["name"]: (change["old"], change["new"]) for change in entry["changes"]}
    assert changes["title"] == ("华东区代理商协议", "华东区代理商合作协议")
    assert changes["security_level"] == (SecurityLevel.INTERNAL.label, SecurityLevel.CONFIDENTIAL.label)
    assert set(changes) == {"title", "security_level", "location"}


def test_r_file_3_unchanged_values_are_left_out_of_a_correction(archivist, filed):
    record_correct(record=filed, by=archivist, changes={"title": filed.title, "pages": 13}, reason="补页")
    changes = {change["name"] for change in history_rows(filed)[0]["changes"]}
    assert changes == {"pages"}


@pytest.mark.parametrize(
    "changes, reason, message",
    [
        ({"category": None}, "改类", "Category: part of the archive number"),
        ({"year": 2020}, "改年度", "Year: part of the archive number"),
        ({"retention_years": 10}, "改期限", "part of the archive number"),
        ({"status": RecordStatus.VOID}, "作废", "cannot be corrected: status"),
        ({"archive_number": "X-1"}, "改档号", "cannot be corrected: archive_number"),
        ({"title": "新题名"}, "   ", "Reason for the correction"),
        ({"title": ""}, "清空", "Title"),
        ({"copies": 0}, "少一份", "Copies"),
        ({"security_level": "secret"}, "改密级", "Security level"),
        ({"pages": 12}, "没改", "Nothing to correct"),
        ({"location": None}, "拿走", "needs the box"),
    ],
)
def test_r_file_3_refused_corrections_change_nothing(archivist, filed, changes, reason, message):
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match=message):
        record_correct(record=filed, by=archivist, changes=changes, reason=reason)
    assert snapshot() == before


def test_r_file_3_a_correction_to_a_shelf_that_is_not_a_box_is_refused(archivist, filed):
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="not a box in use"):
        record_correct(record=filed, by=archivist, changes={"location": filed.location.parent}, reason="换位置")
    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPARTMENT_HEAD, Role.LEADERSHIP])
def test_r_file_3_only_the_archivist_corrects(role_users, filed, role):
    before = snapshot()
    with translation.override("en"), pytest.raises(RecordActionRefused, match="Only the archivist"):
        record_correct(record=filed, by=role_users[role], changes={"title": "改"}, reason="改")
    assert snapshot() == before


def test_r_file_3_an_item_not_yet_filed_is_not_corrected(staff, archivist):
    record = submitted(staff)
    before = snapshot()
    with pytest.raises(RecordActionRefused):
        record_correct(record=record, by=archivist, changes={"title": "改"}, reason="改")
    assert snapshot() == before
