"""Repair and copy tasks (R-INV-2)."""
import datetime

import pytest
from django.utils import timezone, translation

from inventory import selectors, services
from inventory.exceptions import InventoryRefused
from inventory.models import Condition, DifferenceKind, RepairKind, RepairState, Resolution
from tests.inventory.support import filed_in, fresh, scan, shelves, state

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_r_inv_2_a_damaged_item_scanned_gets_a_copy_task_that_raises_the_copies(archivist, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    record = filed_in(filed_record, box)[0]
    stocktake = services.stocktake_open(year=TODAY.year, locations=[box], by=archivist)
    scan(stocktake, box, record, archivist, condition=Condition.DECAYING, note="纸张脆化")
    task = services.repair_task_open(record=record, kind=RepairKind.COPY, due_on=TODAY, by=archivist,
                                     note="复制一份", stocktake=stocktake)
    (difference,) = selectors.differences(stocktake)
    assert (difference.kind, difference.resolution.resolution) == (DifferenceKind.DAMAGED, Resolution.REPAIR_OPENED)

    done = services.repair_task_done(task=task, by=archivist, note="已复印", copies=1)

    assert (done.state, done.copies_made, done.done_by) == (RepairState.DONE, 1, archivist)
    assert fresh(record).copies == record.copies + 1


def test_r_inv_2_a_repair_task_is_done_with_a_note_and_leaves_the_copies(archivist, filed_record):
    record = filed_record()
    task = services.repair_task_open(record=record, kind=RepairKind.REPAIR, due_on=TODAY, by=archivist)
    services.repair_task_done(task=task, by=archivist, note="已托裱修复")
    assert fresh(record).copies == record.copies
    before = state()
    with pytest.raises(InventoryRefused, match="already done"):
        services.repair_task_done(task=task, by=archivist, note="再次")
    assert state() == before


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"due_on": TODAY - datetime.timedelta(days=1)}, "from today on"),
        ({"due_on": None}, "choose a date"),
        ({"kind": "bind"}, "Choose repair or copy"),
    ],
)
def test_r_inv_2_a_task_with_bad_input_is_refused(archivist, filed_record, kwargs, message):
    record = filed_record()
    before = state()
    with pytest.raises(InventoryRefused, match=message):
        services.repair_task_open(record=record, by=archivist, **{"kind": RepairKind.REPAIR, "due_on": TODAY, **kwargs})
    assert state() == before


def test_r_inv_2_a_copy_task_needs_the_copies_made_and_a_note(archivist, filed_record):
    record = filed_record()
    task = services.repair_task_open(record=record, kind=RepairKind.COPY, due_on=TODAY, by=archivist)
    before = state()
    with pytest.raises(InventoryRefused, match="at least one"):
        services.repair_task_done(task=task, by=archivist, note="复印", copies=0)
    with pytest.raises(InventoryRefused, match="say what was done"):
        services.repair_task_done(task=task, by=archivist, note="", copies=1)
    assert state() == before


def test_r_inv_2_only_the_archivist_does_repairs(department_head, filed_record):
    record = filed_record()
    before = state()
    with pytest.raises(InventoryRefused, match="Only the archivist"):
        services.repair_task_open(record=record, kind=RepairKind.REPAIR, due_on=TODAY, by=department_head)
    assert state() == before


def test_r_inv_2_open_and_overdue_tasks_are_listed_for_those_who_see_the_record(archivist, staff, filed_record):
    from records.models import SecurityLevel

    record, secret = filed_record(), filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    soon = services.repair_task_open(record=record, kind=RepairKind.REPAIR, due_on=TODAY, by=archivist)
    hidden = services.repair_task_open(record=secret, kind=RepairKind.COPY, due_on=TODAY, by=archivist)
    assert list(selectors.open_repair_tasks(archivist)) == [soon, hidden]
    assert list(selectors.open_repair_tasks(archivist, record=secret)) == [hidden]
    assert list(selectors.open_repair_tasks(staff)) == [soon]
    assert list(selectors.overdue_repair_tasks(archivist)) == []
    assert list(selectors.overdue_repair_tasks(archivist, today=TODAY + datetime.timedelta(days=1))) == [soon, hidden]
