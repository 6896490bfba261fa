"""Every write that changes a record's state. Each service locks the row,
checks, and saves in one transaction; history records who and why
(core.history.save_with_history, reasons in records.history.ChangeReason).
Who may do what is decided in records.policies; the services ask again
under the row lock. A refusal raises RecordActionRefused with a message for
the user, and changes nothing.

One module per concern; callers import from records.services:

- submissions: record_create, record_update, record_submit, record_return
  (R-FILE-2, R-FILE-3)
- filing: record_file (R-FILE-3, R-FILE-5)
- handovers: handover_receive, ReceivedItem (交接单, R-FILE-3, R-FILE-5)
- corrections: record_correct (R-FILE-3)
- custody: record_check_out, record_check_in, record_mark_missing (called
  by lending and the stocktake: R-LEND-1, R-LEND-5, R-INV-3)
- holds: hold_place, holds_place, hold_release, refuse_if_held (a frozen
  record is kept from weeding, write-off and destruction; disposal and
  inventory ask)
- disposition: record_extend_retention, record_keep_permanently,
  record_weed, record_transfer_out, record_destroy and records_destroy
  (many at once, set-based: a whole disposal list in one call), called by
  the disposal app (R-DISP-1..3); what blocks a strike-off:
  records.disposability
- inventory: record_move, record_write_off, record_restore_found,
  record_add_copies, called by the inventory app's stocktake, write-offs
  and repair tasks (R-INV-1..3); reporting a record missing is
  custody.record_mark_missing
- _common: locking, saving with history, field labels for messages
"""
from records.services._common import REASON_MAX_LENGTH, REMARKS_MAX_LENGTH
from records.services.corrections import record_correct
from records.services.custody import record_check_in, record_check_out, record_mark_missing
from records.services.filing import record_file
from records.services.handovers import ReceivedItem, handover_receive
from records.services.disposition import (
    record_destroy,
    record_extend_retention,
    record_keep_permanently,
    record_transfer_out,
    record_weed,
    records_destroy,
)
from records.services.inventory import record_add_copies, record_move, record_restore_found, record_write_off
from records.services.holds import hold_place, hold_release, holds_place, refuse_if_held
from records.services.submissions import (
    Submission,
    record_create,
    record_return,
    record_submit,
    record_update,
)

__all__ = [
    "REASON_MAX_LENGTH",
    "REMARKS_MAX_LENGTH",
    "ReceivedItem",
    "Submission",
    "handover_receive",
    "hold_place",
    "hold_release",
    "holds_place",
    "record_add_copies",
    "record_check_in",
    "record_check_out",
    "record_correct",
    "record_create",
    "record_destroy",
    "record_extend_retention",
    "record_file",
    "record_keep_permanently",
    "record_mark_missing",
    "record_move",
    "record_restore_found",
    "record_return",
    "record_submit",
    "record_transfer_out",
    "record_update",
    "record_weed",
    "record_write_off",
    "records_destroy",
    "refuse_if_held",
]
