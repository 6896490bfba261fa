"""Repair and copy tasks (R-INV-2): a damaged or decaying item is repaired
or copied at once: a task with a due date, done with a note; a copy made
raises the record's copy count through records.services.record_add_copies."""
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from core.limits import SMALL_INTEGER_MAX
from inventory import policies
from inventory.exceptions import InventoryRefused
from inventory.models import DifferenceKind, RepairKind, RepairState, RepairTask, Resolution
from inventory.reasons import InventoryReason
from inventory.services._common import locked_stocktake, records_refusals, refuse_unless_open, text
from inventory.services.differences import open_difference, save_resolution
from records import services as records_services
from records.models import RecordStatus

REPAIRABLE_STATES = (RecordStatus.FILED, RecordStatus.ON_LOAN)


def _due_on(due_on):
    if not isinstance(due_on, datetime.date):
        raise InventoryRefused(_("Due on: choose a date."), field="due_on")
    if due_on < timezone.localdate():
        raise InventoryRefused(_("Due on: a date from today on."), field="due_on")
    return due_on


@transaction.atomic
def repair_task_open(*, record, kind, due_on, by, note="", stocktake=None):
    """Open a repair or copy task of a damaged or decaying item (R-INV-2).
    From a stocktake, it resolves the item's damaged difference."""
    if not policies.may_do_repair(by):
        raise InventoryRefused(_("Only the archivist opens repair and copy tasks."))
    if kind not in RepairKind.values:
        raise InventoryRefused(_("Choose repair or copy."), field="kind")
    due_on = _due_on(due_on)
    note = text(note, model=RepairTask, field="note")
    if record.status not in REPAIRABLE_STATES:
        raise InventoryRefused(
            _("%(record)s is %(status)s: there is nothing to repair or copy.")
            % {"record": record.archive_number, "status": record.get_status_display()}
        )
    if stocktake is not None:
        stocktake = locked_stocktake(stocktake)
        refuse_unless_open(stocktake)
        difference = open_difference(stocktake, record, DifferenceKind.DAMAGED)
        save_resolution(stocktake, difference, Resolution.REPAIR_OPENED, by, note)
    task = RepairTask(
        record=record, stocktake=stocktake, kind=kind, due_on=due_on, note=note, opened_by=by, opened_at=timezone.now()
    )
    return save_with_history(task, by=by, reason=InventoryReason.REPAIR_OPENED)


def _copies(task, copies):
    if task.kind != RepairKind.COPY:
        return 0
    try:
        copies = int(copies)
    except (TypeError, ValueError):
        copies = 0
    if not 1 <= copies <= SMALL_INTEGER_MAX:
        raise InventoryRefused(_("Copies made: at least one."), field="copies")
    return copies


@transaction.atomic
def repair_task_done(*, task, by, note, copies=0):
    """Mark the task done with a note (R-INV-2); a copy task adds the
    copies made to the record's copy count, with history."""
    if not policies.may_do_repair(by):
        raise InventoryRefused(_("Only the archivist completes repair and copy tasks."))
    task = RepairTask.objects.select_for_update().select_related("record").get(pk=task.pk)
    if task.state != RepairState.OPEN:
        raise InventoryRefused(_("This task is already done."))
    task.done_note = text(note, model=RepairTask, field="done_note", missing=_("Note: say what was done."))
    task.copies_made = _copies(task, copies)
    if task.copies_made:
        with records_refusals():
            records_services.record_add_copies(record=task.record, count=task.copies_made, reason=task.done_note, by=by)
    task.state, task.done_by, task.done_at = RepairState.DONE, by, timezone.now()
    return save_with_history(task, by=by, reason=InventoryReason.REPAIR_DONE)
