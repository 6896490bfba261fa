"""Write-offs (核销, R-INV-3): reason and evidence kept, the head approves,
never their own request; the record becomes WRITTEN_OFF."""
import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from inventory import selectors, services
from inventory.exceptions import InventoryRefused
from inventory.models import DifferenceKind, Resolution, WriteOffKind, WriteOffState
from inventory.reasons import InventoryReason
from records.models import RecordStatus
from records.services import hold_place
from tests.disposal.support import with_file
from tests.inventory.support import filed_in, fresh, on_loan, shelves, state

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _request(record, archivist, **kwargs):
    kwargs = {"kind": WriteOffKind.LOSS, "reason": "多年查找未果", "evidence": [with_file(record, archivist)], **kwargs}
    return services.write_off_request(record=record, by=archivist, **kwargs)


def test_r_inv_3_a_write_off_keeps_reason_and_evidence_and_the_head_approves(archivist, department_head, filed_record):
    record = filed_record()
    write_off = _request(record, archivist)
    assert (write_off.state, write_off.reason, write_off.evidence.count()) == (WriteOffState.REQUESTED, "多年查找未果", 1)
    assert fresh(record).status == RecordStatus.FILED

    approved = services.write_off_approve(write_off=write_off, by=department_head)

    assert (approved.state, approved.decided_by) == (WriteOffState.APPROVED, department_head)
    record = fresh(record)
    assert record.status == RecordStatus.WRITTEN_OFF
    assert "多年查找未果" in record.disposition_reason
    assert record.history.latest().history_user == department_head
    assert approved.history.latest().history_change_reason == InventoryReason.WRITE_OFF_APPROVED


def test_r_inv_3_the_head_refuses_with_a_reason_and_the_record_stays(archivist, department_head, filed_record):
    record = filed_record()
    write_off = _request(record, archivist)
    refused = services.write_off_refuse(write_off=write_off, by=department_head, reason="请继续查找")
    assert (refused.state, refused.refusal_reason) == (WriteOffState.REFUSED, "请继续查找")
    assert fresh(record).status == RecordStatus.FILED


def test_r_inv_3_nobody_decides_their_own_request(archivist, department_head, filed_record):
    """Even a head who also files records (both permissions) does not
    approve the write-off they asked for; the archivist never approves."""
    department_head.user_permissions.add(
        Permission.objects.get(codename="file_record", content_type__app_label="records")
    )
    head = fresh(department_head)
    record = filed_record()
    write_off = _request(record, head)
    other = _request(filed_record(), archivist)
    before = state()
    with pytest.raises(InventoryRefused, match="Only the department head"):
        services.write_off_approve(write_off=write_off, by=head)
    with pytest.raises(InventoryRefused, match="Only the department head"):
        services.write_off_approve(write_off=other, by=archivist)
    assert state() == before


@pytest.mark.parametrize(
    "setup, kwargs, message",
    [
        ("on_loan", {}, "is On loan and cannot be written off"),
        ("held", {}, "frozen by a hold"),
        (None, {"evidence": []}, "Add the evidence"),
        (None, {"reason": ""}, "say why the record is struck off"),
        (None, {"kind": "stolen"}, "Choose transfer, void or loss"),
        ("pending", {}, "already waits for the department head"),
    ],
)
def test_r_inv_3_a_request_that_cannot_be_made_is_refused_and_changes_nothing(
    archivist, filed_record, setup, kwargs, message
):
    record = filed_record()
    evidence = [with_file(record, archivist)]
    if setup == "on_loan":
        on_loan(record, archivist)
    elif setup == "held":
        hold_place(record=record, by=archivist, reason="审计")
    elif setup == "pending":
        _request(record, archivist)
    record = fresh(record)
    before = state()
    with pytest.raises(InventoryRefused, match=message):
        services.write_off_request(
            record=record, by=archivist, **{"kind": WriteOffKind.LOSS, "reason": "遗失", "evidence": evidence, **kwargs}
        )
    assert state() == before


def test_r_inv_3_approval_is_refused_when_the_record_was_frozen_since(archivist, department_head, filed_record):
    record = filed_record()
    write_off = _request(record, archivist)
    hold_place(record=record, by=department_head, reason="纠纷")
    before = state()
    with pytest.raises(InventoryRefused):
        services.write_off_approve(write_off=write_off, by=department_head)
    assert state() == before


def test_r_inv_1_a_write_off_from_a_stocktake_resolves_the_missing_difference(archivist, department_head, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    record = filed_in(filed_record, box)[0]
    stocktake = services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    evidence = [with_file(record, archivist)]
    services.write_off_request(record=record, kind=WriteOffKind.LOSS, reason="盘点未见", evidence=evidence,
                               by=archivist, stocktake=stocktake)
    (difference,) = selectors.differences(stocktake)
    assert (difference.kind, difference.resolution.resolution) == (DifferenceKind.MISSING, Resolution.WRITE_OFF_OPENED)
